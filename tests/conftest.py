"""Shared fixtures: personas (hr, manager, officiant, outsider) and clients."""

import os
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection

from tests.factories import UserFactory
from tests.mfa_support import give_totp, sign_in
from tests.parts import all_parts_required


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "onboarding.mail.outbox.QueueBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.OUTBOX_SEND_AFTER_COMMIT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and used TOTP codes live in the cache: every test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# What the data migrations create: a transactional test's flush removes it, so each such test puts it back.
SEEDS = [
    ("onboarding.migrations.0002_create_role_groups", "create_groups"),
    ("onboarding.migrations.0007_load_seed_texts", "load_texts"),
    ("onboarding.migrations.0010_load_seed_organisation", "load_organisation"),
    ("eed.migrations.0002_seed_programme_items", "add_items"),
]


def is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    uses = set(getattr(item, "fixturenames", ()))
    return bool(marker and marker.kwargs.get("transaction")) or bool(uses & {"transactional_db", "live_server"})


@pytest.fixture(autouse=True)
def _seed_data_after_flush(request):
    """A transactional test starts with what the migrations seed, whatever test flushed the tables before it."""
    if not is_transactional(request.node):
        return
    request.getfixturevalue("transactional_db")
    for module, function in SEEDS:
        getattr(import_module(module), function)(apps, None)


def pytest_collection_modifyitems(config, items):
    """Transactional tests run after the others (their flush empties what the migrations seeded).

    PostgreSQL tests skip on SQLite locally; with REQUIRE_ALL=1 they run, and fail without PostgreSQL.
    """
    items.sort(key=is_transactional)  # stable: the order within each group is kept
    on_sqlite_locally = "postgres" not in os.environ.get("DATABASE_URL", "") and not all_parts_required()
    skip_on_sqlite = pytest.mark.skipif(on_sqlite_locally, reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip_on_sqlite)


@pytest.fixture
def require_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture
def mailbox(db):
    """Deliver what the queue holds (as the cron job would) and return what arrived."""
    from django.core import mail

    from onboarding.mail.outbox import outbox_send_due

    def deliver():
        outbox_send_due()
        return mail.outbox

    return deliver


@pytest.fixture
def hr(db):
    """HR must have a second factor to use the app: this persona has an authenticator app."""
    user = UserFactory(email="hr@example.org", first_name="Hanna", last_name="de Ruiter", roles=["HR"])
    user.totp_secret = give_totp(user)
    return user


@pytest.fixture
def manager(db):
    return UserFactory(email="manager@example.org", first_name="Mehmet", last_name="Yilmaz", roles=["Manager"])


@pytest.fixture
def other_manager(db):
    return UserFactory(email="other.manager@example.org", first_name="Olga", last_name="Bakker", roles=["Manager"])


@pytest.fixture
def officiant(db):
    return UserFactory(email="secretaris@example.org", first_name="Pieter", last_name="Smit", roles=["Officiant"])


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.org", roles=[])


def _client_for(client_class, user):
    client = client_class()
    sign_in(client, user)
    return client


@pytest.fixture
def hr_client(hr):
    from django.test import Client

    return _client_for(Client, hr)


@pytest.fixture
def manager_client(manager):
    from django.test import Client

    return _client_for(Client, manager)


@pytest.fixture
def officiant_client(officiant):
    from django.test import Client

    return _client_for(Client, officiant)


@pytest.fixture
def outsider_client(outsider):
    from django.test import Client

    return _client_for(Client, outsider)
