"""Helpers shared by the benchmark scripts.

A benchmark calls ``setup_django()`` first: it points Django at a fresh,
temporary SQLite database (removed at exit) and migrates it, so a benchmark
never touches db.sqlite3 or a configured PostgreSQL. Each figure is printed as
one JSON line by ``emit()``.
"""

import atexit
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(*, debug: bool = False) -> None:
    """Set Django up against a fresh temporary SQLite database and migrate it quietly.

    The settings module loads with DEBUG=1 (plain static files storage, so
    pages render without collectstatic; no SECRET_KEY needed), then DEBUG is
    switched off before anything runs unless ``debug`` is true, so queries are
    not logged and templates render as in production.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    directory = tempfile.mkdtemp(prefix="eed-bench-")
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = debug
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0, interactive=False)


def median_of(fn, runs: int = 7) -> float:
    """Median wall-clock time of ``fn()`` over ``runs`` calls, in seconds."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def emit(name: str, value, unit: str, goal: str | None = None) -> None:
    """Print one figure as a JSON line on stdout."""
    if isinstance(value, float):
        value = round(value, 3)
    print(json.dumps({"name": name, "value": value, "unit": unit, "goal": goal}), flush=True)


def sign_in(client, user) -> None:
    """Sign ``user`` in with their second factor's record, as the tests do (``tests.mfa_support.sign_in``):
    ``force_login`` alone skips allauth's MFA stage, and HR's pages then redirect to the login."""
    from tests.mfa_support import sign_in as sign_in_with_second_factor

    sign_in_with_second_factor(client, user)
