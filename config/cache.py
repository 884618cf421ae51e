"""Django's database cache, with ``add`` and ``incr`` that hold across server processes.

Rate limits (allauth's and ``core.ratelimit``) and TOTP replay
protection live in the cache, so with several gunicorn workers the cache must
be shared and its counters exact. Django's database cache implements ``incr``
as a read followed by a write: two processes counting at once can both read
4 and both write 5. Here both operations run in a transaction that first
locks the cache row: ``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the
IMMEDIATE transaction mode (config.env) already makes writers wait their
turn. ``incr`` also keeps the entry's expiry, where Django's resets it.
"""

import base64
import pickle

from django.core.cache.backends import db
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import connections, router, transaction


class DatabaseCache(db.DatabaseCache):
    def _lock_row(self, cache_key: str, alias: str) -> None:
        connection = connections[alias]
        if not connection.features.has_select_for_update:
            return  # SQLite: the IMMEDIATE transaction holds the write lock already
        quote_name = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote_name('cache_key')} FROM {quote_name(self._table)} "  # noqa: S608 (names are quoted)
                f"WHERE {quote_name('cache_key')} = %s FOR UPDATE",
                [cache_key],
            )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        alias = router.db_for_write(self.cache_model_class)
        with transaction.atomic(using=alias):
            self._lock_row(self.make_and_validate_key(key, version=version), alias)
            return super().add(key, value, timeout=timeout, version=version)

    def incr(self, key, delta=1, version=None):
        cache_key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote_name = connection.ops.quote_name
        with transaction.atomic(using=alias):
            self._lock_row(cache_key, alias)
            value = self.get(key, self._missing_key, version=version)
            if value is self._missing_key:
                raise ValueError(f"Key '{key}' not found")
            new_value = value + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode("latin1")
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {quote_name(self._table)} SET {quote_name('value')} = %s "  # noqa: S608 (names are quoted)
                    f"WHERE {quote_name('cache_key')} = %s",
                    [encoded, cache_key],
                )
            return new_value
