"""Small readers for settings from environment variables.

Each one raises ``ImproperlyConfigured`` naming the variable when its value
cannot be read, instead of guessing.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_UNSET = object()


def env_str(name, *, default=_UNSET):
    """The variable's value; required (and then not empty) when there is no default."""
    value = os.environ.get(name)
    required = default is _UNSET or default is None
    if value is not None and (value.strip() or not required):
        return value
    if required:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return default


def env_bool(name, *, default):
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true/false), not {value!r}.")


def env_int(name, *, default):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, *, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int_list(name, *, default):
    """Comma-separated whole numbers ("7,14"), e.g. reminder days."""
    items = env_list(name, default=None)
    if items is None:
        return list(default)
    try:
        return [int(item) for item in items]
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be whole numbers separated by commas, not {os.environ[name]!r}."
        ) from None


# Session settings every PostgreSQL connection starts with (libpq's ``options``).
POSTGRESQL_OPTIONS = "-c jit=off"


def env_database(name, *, sqlite_path: Path):
    """SQLite in the project folder when unset; any dj-database-url URL otherwise."""
    url = os.environ.get(name)
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            # IMMEDIATE makes concurrent writers wait for the lock instead of
            # failing with "database is locked" (see shared/PERFORMANCE.md).
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a database URL we can use: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # JIT compiling pays off for long analytic queries, not for these short page queries: it added
        # ~0.5 s to the dashboard's count on demo data (issue #19). Set here, not left to the server's config.
        options = config.setdefault("OPTIONS", {})
        options["options"] = " ".join(filter(None, [options.get("options", ""), POSTGRESQL_OPTIONS]))
    return config


def env_email(name):
    """Return (EMAIL_BACKEND, extra settings) for an EMAIL_URL.

    Unset: console backend. ``smtp://host:port`` plain SMTP,
    ``smtp+tls://user:pass@host:port`` STARTTLS, ``smtp+ssl://...`` implicit TLS.
    """
    url = os.environ.get(name)
    if not url:
        return "django.core.mail.backends.console.EmailBackend", {}
    parts = urlsplit(url)
    schemes = {"smtp": {}, "smtp+tls": {"EMAIL_USE_TLS": True}, "smtp+ssl": {"EMAIL_USE_SSL": True}}
    if parts.scheme == "console":
        return "django.core.mail.backends.console.EmailBackend", {}
    if parts.scheme not in schemes or not parts.hostname:
        raise ImproperlyConfigured(f"{name} must look like smtp://host:port or smtp+tls://user:pass@host:port.")
    try:
        port = parts.port or (465 if parts.scheme == "smtp+ssl" else 25)
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a port that is not a number.") from None
    options = {
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_TIMEOUT": 30,
        **schemes[parts.scheme],
    }
    return "django.core.mail.backends.smtp.EmailBackend", options


def env_cache(name, *, shared: bool) -> dict:
    """The default cache for CACHES from a CACHE_URL.

    Unset: the database cache table (``cache_table``, made by a migration) when
    ``shared``, else a per-process memory cache. ``redis://`` or ``rediss://``:
    Django's Redis backend (the ``redis`` package). ``db://`` or ``locmem://``
    choose those two explicitly.
    """
    url = os.environ.get(name, "").strip()
    scheme = urlsplit(url).scheme if url else ("db" if shared else "locmem")
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "db":
        # MAX_ENTRIES high: culling would forget rate-limit counts and used TOTP codes.
        return {
            "BACKEND": "config.cache.DatabaseCache",
            "LOCATION": "cache_table",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(f"{name} must be redis://host:port/db, db:// or locmem://, not {url!r}.")


def url_origin(url: str) -> str:
    """``https://login.example.com`` for ``https://login.example.com/tenant/v2.0``."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(f"{url!r} is not an http(s) URL.")
    return f"{parts.scheme}://{parts.netloc}"


def env_site_url(name, *, development: bool) -> str:
    """The public base of every absolute link, without a trailing slash.

    Unset in development (``DEBUG=1``): the address ``make run`` serves,
    ``http://HOST:PORT`` (``HOST`` and ``PORT`` as the Makefile passes them;
    127.0.0.1 and 8000 when unset, 127.0.0.1 for a wildcard host such as
    0.0.0.0). Unset in production: ``http://127.0.0.1:8000``, as before.
    """
    value = os.environ.get(name, "").strip()
    if not value:
        return _served_address() if development else "http://127.0.0.1:8000"
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"{name} must be an http(s) address such as https://eed.example.org, not {value!r}.")
    return value.rstrip("/")


def _served_address() -> str:
    host = os.environ.get("HOST", "").strip() or "127.0.0.1"
    port = env_int("PORT", default=8000)
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104 - a wildcard is not an address to link to
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}"
