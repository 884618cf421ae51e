"""Browser tests: Debian's Chromium driven by Playwright, pages checked with axe-core.

Chromium is launched here (not by pytest-playwright) for this package only, so
Playwright's event loop, and DJANGO_ALLOW_ASYNC_UNSAFE, end with these tests.
Without Chromium or node_modules/axe-core the tests skip locally and fail in CI
(REQUIRE_ALL=1); `npm ci` installs axe-core.
"""

import functools
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.parts import SCREENSHOTS, missing_part

PROJECT = Path(__file__).resolve().parents[2]
AXE_JS = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Every axe run of the session, for the summary line at the end.
AXE_RUNS: list[str] = []


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests run last (after the other transactional tests, tests/conftest.py): they are the slowest."""
    here = Path(__file__).resolve().parent
    browser = [item for item in items if here in Path(item.path).resolve().parents]
    if browser:
        items[:] = [item for item in items if here not in Path(item.path).resolve().parents] + browser


def _missing() -> str:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if not AXE_JS.exists():
        return f"{AXE_JS.relative_to(PROJECT)} is missing (run npm ci)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    return ""


@pytest.fixture(scope="package")
def browser():
    problem = _missing()
    if problem:
        missing_part(problem)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread while it is started; the ORM calls of the tests
    # (and of the database teardown) are still synchronous. Allowed for this package only, restored at its end.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="nl-NL", accept_downloads=True)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


def screenshot(page, name: str) -> Path:
    """Keep a picture of the page under test-output/screenshots and print where it is."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def axe_violations(page, label: str = "") -> list[str]:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; one line per violation, none when it passes."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " targets: v.nodes.map(n => n.target.join(' ')).slice(0, 10)})))",
        AXE_TAGS,
    )
    where = label or page.url
    AXE_RUNS.append(where)
    return [f"{where}: {v['id']} ({v['impact']}): {v['help']}; {json.dumps(v['targets'])}" for v in result]


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_check(page, label: str = "") -> None:
    """Run axe-core on the page; fail listing every violation."""
    found = axe_violations(page, label)
    assert found == [], f"axe violations on {label or page.url}:\n" + "\n".join(f"- {line}" for line in found)


def axe_widths_violations(page, label: str) -> list[str]:
    """axe at desktop and phone width, then back to desktop; the violations of both."""
    found = []
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        found += axe_violations(page, f"{label} [{name}]")
    page.set_viewport_size(DESKTOP)
    return found


def axe_widths(page, label: str) -> None:
    """axe at desktop and phone width; fail listing every violation of both."""
    found = axe_widths_violations(page, label)
    assert found == [], f"axe violations on {label}:\n" + "\n".join(f"- {line}" for line in found)


def sign_in(context, live_server, user) -> None:
    """Give the browser a session of ``user`` (with the second factor stamped, as after a real login).

    The login pages themselves are driven in test_journeys.py and test_pages.py; elsewhere a cookie
    saves each test the round trip.
    """
    from django.conf import settings
    from django.test import Client

    from tests.mfa_support import sign_in as sign_in_client

    client = Client()
    sign_in_client(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def pytest_terminal_summary(terminalreporter):
    if AXE_RUNS:
        terminalreporter.write_line(f"axe-core: {len(AXE_RUNS)} page checks; screenshots in {SCREENSHOTS}")
