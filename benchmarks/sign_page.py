"""The public signing page (GET) under gunicorn, against a hello-world view of the same project.

Prepares a temporary SQLite database (migrated, one external with a live
link), starts gunicorn with 2 sync workers on a free 127.0.0.1 port, and
measures requests per second for ``/d/<token>/`` and for ``/__hello__/`` with
the same load generator (several processes, each sending requests one after
another over http.client for a fixed time). The figures alternate and the
medians are compared, so both rates share the machine's state.

    python -m benchmarks.sign_page
"""

import email
import email.policy
import http.client
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import time

from benchmarks._common import ROOT, emit, setup_django

CLIENTS = 4
SECONDS = 4.0
ROUNDS = 3
MAX_REQUESTS = 200_000  # per client and round: a bound, never reached in practice
STARTUP_TIMEOUT = 30.0


def prepare_link() -> str:
    """An external with a live declaration link; returns the raw token, read from the queued (sealed) mail."""
    from django.conf import settings

    from onboarding.declarations.services import declaration_request_send
    from onboarding.enums import Kind
    from onboarding.mail.seal import mail_unseal
    from onboarding.models import Newcomer, QueuedMail

    settings.OUTBOX_SEND_AFTER_COMMIT = False
    newcomer = Newcomer.objects.create(
        given_names="Zoë",
        surname_prefix="van der",
        surname="Öster",
        email="zoe@bench.example.org",
        personnel_number="B0000001",
        start_date="2026-11-02",
        deadline="2027-01-02",
        kind=Kind.EXTERNAL,
    )
    declaration_request_send(newcomer=newcomer, by=None)
    queued = QueuedMail.objects.get()
    raw = mail_unseal(bytes(queued.message), from_email=queued.from_email, recipients=queued.recipients)
    body = email.message_from_bytes(raw, policy=email.policy.default).get_body(("plain",)).get_content()
    return re.search(r"/d/([A-Za-z0-9_-]{40,64})/", body).group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def start_server(port: int) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "DEBUG": "1",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync"]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", "config.wsgi:application"]
    server = subprocess.Popen(command, cwd=ROOT, env=environment)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        try:
            if fetch(port, "/__hello__/")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer in time")


def client_loop(port: int, path: str, seconds: float) -> int:
    """Requests one after another for ``seconds``; the number answered 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline and done < MAX_REQUESTS:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        done += 1
    connection.close()
    return done


def rate(pool, port: int, path: str) -> float:
    started = time.perf_counter()
    counts = pool.starmap(client_loop, [(port, path, SECONDS)] * CLIENTS)
    return sum(counts) / (time.perf_counter() - started)


def main():
    setup_django()
    token = prepare_link()
    sign_path = f"/d/{token}/"
    port = free_port()
    server = start_server(port)
    try:
        status, body = fetch(port, sign_path)
        if status != 200 or b'name="full_name"' not in body:
            raise RuntimeError(f"the signing page answered {status} without its form")
        with multiprocessing.get_context("spawn").Pool(CLIENTS) as pool:
            rate(pool, port, "/__hello__/")  # warm up both workers
            rate(pool, port, sign_path)
            hello, sign = [], []
            for _ in range(ROUNDS):
                hello.append(rate(pool, port, "/__hello__/"))
                sign.append(rate(pool, port, sign_path))
    finally:
        server.terminate()
        server.wait(timeout=30)
    hello_rps, sign_rps = statistics.median(hello), statistics.median(sign)
    emit("sign_page_rps", sign_rps, "requests/s", None)
    emit("hello_rps", hello_rps, "requests/s", None)
    emit("sign_page_ratio", sign_rps / hello_rps, "ratio", ">= 0.3")  # shared/PERFORMANCE.md


if __name__ == "__main__":
    main()
