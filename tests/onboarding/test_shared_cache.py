"""Rate limits hold across server processes: gunicorn with two workers, the cache in the database.

A temporary SQLite database is migrated, gunicorn serves the project with two
sync workers on a free 127.0.0.1 port, and many clients at once call a
rate-limited URL, each request on a new connection, so both workers answer.
With the shared cache the number let through is exactly the limit; with each
worker's own memory cache (the development default) it is about twice that,
which is why production uses the shared one.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 20
REQUESTS = 60
CLIENTS = 8
STARTUP_TIMEOUT = 30.0

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(database: Path, *, shared: bool) -> dict:
    keep = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "tests.gunicorn_settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "1",  # for loading only: the settings module turns DEBUG off
        "SHARED_CACHE": "1" if shared else "0",
        "CACHE_URL": "",
        "DECLARATION_GETS_PER_MINUTE": str(LIMIT),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    path = tmp_path_factory.mktemp("gunicorn") / "db.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=_environment(path, shared=True),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return path


def request(port: int, method: str, path: str, *, body="", headers=None, source="127.0.0.1") -> tuple[int, dict, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20, source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.fixture
def server(database, request_shared):
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync"]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", "config.wsgi:application"]
    process = subprocess.Popen(command, cwd=ROOT, env=_environment(database, shared=request_shared))
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                if request(port, "GET", "/accounts/login/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("gunicorn did not answer in time")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def request_shared(request):
    return request.param


def _same_minute_for(seconds: float) -> None:
    """The limits count per clock minute: start where the burst cannot straddle two."""
    if time.time() % 60 > 60 - seconds:
        time.sleep(60 - time.time() % 60 + 0.2)


def _burst(port: int, path: str) -> tuple[Counter, set[str]]:
    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(lambda _n: request(port, "GET", path), range(REQUESTS)))
    return Counter(status for status, _headers, _body in answers), {
        headers["X-Worker-Pid"] for _s, headers, _b in answers
    }


@pytest.mark.parametrize("request_shared", [True], indirect=True)
def test_with_the_shared_cache_two_workers_let_through_exactly_the_limit(server):
    _same_minute_for(15)
    statuses, workers = _burst(server, "/d/not-a-real-link-token-at-all/")

    assert len(workers) == 2, "both workers must have answered"
    assert statuses == Counter({404: LIMIT, 429: REQUESTS - LIMIT})


def _ask_login_codes(port: int, *, email: str, source: str, count: int) -> list[tuple[int, str]]:
    """``count`` clients at once ask a login code for ``email`` from address ``source``: (status, worker)."""

    def ask(_number):
        _status, headers, html = request(port, "GET", "/accounts/login/code/", source=source)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
        status, headers, _html = request(
            port,
            "POST",
            "/accounts/login/code/",
            body=urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": email}),
            headers={"Cookie": f"csrftoken={cookie}", "Content-Type": "application/x-www-form-urlencoded"},
            source=source,
        )
        return status, headers["X-Worker-Pid"]

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(ask, range(count)))


@pytest.mark.parametrize("request_shared", [True], indirect=True)
def test_allauth_login_code_limit_holds_across_workers(server):
    """allauth's own limit (3 codes per address per 5 minutes) through the same shared cache.

    Tried from a fresh loopback address and e-mail address until both workers
    took part (the operating system decides which worker accepts).
    """
    _same_minute_for(15)
    for attempt in range(2, 7):
        answers = _ask_login_codes(server, email=f"someone{attempt}@example.org", source=f"127.0.0.{attempt}", count=8)
        assert Counter(status for status, _pid in answers) == Counter({302: 3, 200: 5})
        if len({pid for _status, pid in answers}) == 2:
            break
    else:
        pytest.fail("one worker answered every attempt")


@pytest.mark.parametrize("request_shared", [False], indirect=True)
def test_with_each_workers_own_memory_cache_the_limit_would_not_hold(server):
    _same_minute_for(15)
    statuses, workers = _burst(server, "/d/not-a-real-link-token-at-all/")

    assert len(workers) == 2
    assert statuses[404] > LIMIT  # each worker counts on its own: up to twice the limit
