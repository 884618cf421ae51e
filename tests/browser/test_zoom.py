"""Zoomed in: a 1280 px wide window at 200% zoom lays pages out in 640 CSS pixels, two device pixels each;
at 400% in 320 CSS pixels, the width WCAG 1.4.10 (reflow) asks for.

Nothing may make the page itself scroll sideways (a wide table scrolls inside its own focusable box), and
the main menu stays whole and working.
"""

import pytest
from django.urls import reverse

from onboarding.declarations.services import declaration_request_send
from onboarding.enums import Kind
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_journeys import DECLARATION_LINK, NEWCOMER_LINK, delivered
from tests.eed.ceremony_day import assign, ceremony_on, newcomer
from tests.factories import NewcomerFactory

pytestmark = pytest.mark.django_db(transaction=True)

WINDOW = {"width": 1280, "height": 900}
ZOOMS = pytest.mark.parametrize("zoom", [2, 4], ids=["200%", "400%"])


def zoomed(browser, live_server, zoom: int):
    """A browser context as a 1280 x 900 window shows pages at ``zoom`` times their size."""
    viewport = {"width": WINDOW["width"] // zoom, "height": WINDOW["height"] // zoom}
    return browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=viewport, device_scale_factor=zoom)


# What sticks out of the page sideways, and what the page's own width is.
OVERFLOW = """() => {
  const root = document.documentElement, width = root.clientWidth;
  const inScroller = e => e.closest('.table-scroll') && getComputedStyle(e).position !== 'absolute';
  const wide = [...document.body.querySelectorAll('*')]
    .filter(e => !inScroller(e) && e.getBoundingClientRect().right > width + 1)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''));
  return {scrollWidth: root.scrollWidth, clientWidth: width, wide: wide.slice(0, 8)};
}"""


def assert_no_sideways_scrolling(page, label: str) -> None:
    found = page.evaluate(OVERFLOW)
    assert found["scrollWidth"] <= found["clientWidth"], f"{label} scrolls sideways: {found}"


def assert_tables_scroll_in_their_own_box(page, label: str) -> None:
    """A table wider than the page scrolls in a box the keyboard can reach."""
    boxes = page.locator(".table-scroll").evaluate_all(
        "boxes => boxes.map(b => ({wide: b.scrollWidth > b.clientWidth, tabindex: b.getAttribute('tabindex')}))"
    )
    assert all(box["tabindex"] == "0" for box in boxes if box["wide"]), f"{label}: {boxes}"


def assert_main_menu_usable(page, label: str) -> None:
    """Every item of the main menu is on screen width-wise, none covers another."""
    items = page.locator(".site-nav a, .site-nav button").evaluate_all(
        "items => items.map(i => { const r = i.getBoundingClientRect();"
        " return {text: i.innerText, left: r.left, right: r.right, top: r.top, bottom: r.bottom,"
        " width: document.documentElement.clientWidth}; })"
    )
    assert len(items) >= 5, f"{label}: the main menu has {len(items)} items"
    for item in items:
        assert item["left"] >= 0 and item["right"] <= item["width"], f"{label}: {item['text']!r} is cut off: {item}"
    for i, one in enumerate(items):
        for other in items[i + 1 :]:
            overlap = (
                one["left"] < other["right"]
                and other["left"] < one["right"]
                and one["top"] < other["bottom"]
                and other["top"] < one["bottom"]
            )
            assert not overlap, f"{label}: {one['text']!r} and {other['text']!r} overlap"


@ZOOMS
def test_hr_pages_reflow_when_zoomed_in_and_the_menu_still_works(browser, live_server, hr, manager, zoom):
    person = newcomer(manager, given_names="Jan Pieter", surname_prefix="van der", surname="Berg-Kerkhoven")
    ceremony = ceremony_on(14, notes="Zaal 1, tweede verdieping; graag een kwartier van tevoren aanwezig.")
    assign(ceremony, person, hr, witness=manager)
    context = zoomed(browser, live_server, zoom)
    try:
        sign_in(context, live_server, hr)
        page = context.new_page()
        for url in (reverse("dashboard"), reverse("newcomer_list"), reverse("ceremony_detail", args=[ceremony.pk])):
            page.goto(url)
            assert page.evaluate("window.devicePixelRatio") == zoom
            assert_no_sideways_scrolling(page, url)
            assert_tables_scroll_in_their_own_box(page, url)
            assert_main_menu_usable(page, url)
        with page.expect_navigation():
            page.locator(".site-nav a", has_text="Nieuwkomers").click()
        assert page.url.endswith(reverse("newcomer_list"))
        assert page.locator(".site-nav a[aria-current=page]").inner_text() == "Nieuwkomers"
        screenshot(page, f"r-newcomers-{zoom}00-percent")
    finally:
        context.close()


@ZOOMS
def test_an_external_and_a_newcomer_read_their_pages_zoomed_in(browser, live_server, hr, manager, zoom):
    person = newcomer(manager, given_names="Noor", surname="Bakker", email="noor@example.org")
    assign(ceremony_on(14), person, hr, witness=manager)
    newcomer_link = next(NEWCOMER_LINK.findall(m.body)[-1] for m in delivered() if NEWCOMER_LINK.search(m.body))
    external = NewcomerFactory(kind=Kind.EXTERNAL, given_names="Zoë", surname="Öster", email="zoe@example.org")
    declaration_request_send(newcomer=external, by=hr)
    declaration_link = DECLARATION_LINK.findall(delivered()[-1].body)[-1]
    context = zoomed(browser, live_server, zoom)
    try:
        page = context.new_page()
        for url in (declaration_link, newcomer_link):
            page.goto(url)
            assert_no_sideways_scrolling(page, url)
        page.goto(declaration_link)
        screenshot(page, f"s-declaration-{zoom}00-percent")
    finally:
        context.close()
