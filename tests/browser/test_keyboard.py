"""Keyboard only: Tab, Shift+Tab, Enter and Space, never a click.

On every stop the focus must be visible (our ring: an outline or box-shadow, not 'none'), and the stops must
follow the page as it is read: left to right on a line, then down.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from onboarding.declarations.services import declaration_request_send
from onboarding.enums import Kind
from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.browser.test_journeys import DECLARATION_LINK, NEWCOMER_LINK, delivered
from tests.eed.ceremony_day import assign, ceremony_on, newcomer
from tests.factories import NewcomerFactory

pytestmark = pytest.mark.django_db(transaction=True)

# What the focused element is and where it sits (document coordinates); None when the focus left the page.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!document.hasFocus() || !e || e === document.body) return null;
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  return {
    key: e.tagName + '#' + e.id + '|' + (e.getAttribute('name') || '') + '|' + (e.getAttribute('value') || '')
      + '|' + (e.getAttribute('href') || '') + '|' + Math.round(r.top + scrollY) + ',' + Math.round(r.left + scrollX),
    tag: e.tagName.toLowerCase(), id: e.id, classes: e.className,
    name: e.getAttribute('name') || '', value: e.getAttribute('value') || '', href: e.getAttribute('href') || '',
    type: e.getAttribute('type') || '', checked: !!e.checked,
    text: (e.innerText || e.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40),
    ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none',
    top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left + scrollX, right: r.right + scrollX,
  };
}"""


def press(page, key: str = "Tab") -> dict | None:
    page.keyboard.press(key)
    return page.evaluate(FOCUSED)


def tab_to(page, wanted, *, limit: int = 80) -> list[dict]:
    """Press Tab until ``wanted(stop)``; every stop on the way, the wanted one last."""
    stops = []
    for _ in range(limit):
        stop = press(page)
        assert stop is not None, f"the focus left {page.url} before reaching what was wanted; stops: {names(stops)}"
        stops.append(stop)
        if wanted(stop):
            return stops
    pytest.fail(f"not reached with {limit} Tabs on {page.url}; stops: {names(stops)}")


def names(stops) -> list[str]:
    return [f"{s['tag']} {s['id'] or s['href'] or s['name']} {s['text']!r}" for s in stops]


def assert_focus_visible(stops) -> None:
    hidden = [name for stop, name in zip(stops, names(stops), strict=True) if not stop["ring"]]
    assert not hidden, f"focus not visible on: {hidden}"


def out_of_reading_order(stops) -> list[str]:
    """Pairs of stops where the next one sits above the previous, or left of it on the same line."""
    wrong = []
    for before, after, label in zip(stops, stops[1:], names(stops)[1:], strict=False):
        same_line = after["top"] < before["bottom"] and before["top"] < after["bottom"]
        if (same_line and after["left"] < before["left"]) or (not same_line and after["bottom"] <= before["top"]):
            wrong.append(f"{label} comes after {names([before])[0]}")
    return wrong


def assert_visible_and_in_order(stops) -> None:
    assert_focus_visible(stops)
    assert out_of_reading_order(stops) == []


def is_send_button(stop) -> bool:
    return stop["tag"] == "button" and stop["type"] == "submit" and "button" in stop["classes"].split()


def enter(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_manager_confirms_as_witness_with_the_keyboard_only(page, context, live_server, hr, manager):
    person = newcomer(manager, given_names="Sanne", surname="Visser")
    appointment = assign(ceremony_on(14), person, hr, witness=manager)
    sign_in(context, live_server, manager)
    page.goto(reverse("dashboard"))

    stops = tab_to(page, lambda stop: stop["href"] == reverse("witness_requests"))
    assert stops[0]["href"] == "#main", "the skip link comes first"
    assert_visible_and_in_order(stops)
    enter(page)

    answer_url = reverse("witness_answer", args=[appointment.pk])
    stops = tab_to(page, lambda stop: stop["href"] == answer_url)
    assert_visible_and_in_order(stops)
    enter(page)

    stops = tab_to(page, lambda stop: stop["name"] == "answer")
    assert stops[-1]["value"] == "confirm", "the first answer offered is yes"
    assert press(page, "Space")["checked"]
    stops.append(press(page))
    assert stops[-1]["name"] == "substitute"
    stops.append(press(page))
    assert stops[-1]["type"] == "submit"
    assert press(page, "Shift+Tab")["name"] == "substitute", "Shift+Tab goes back the same way"
    assert press(page)["type"] == "submit"
    assert_visible_and_in_order(stops)
    enter(page)

    assert page.url.endswith(reverse("witness_requests"))
    assert page.locator(".message--success").count() == 1
    appointment.refresh_from_db()
    assert appointment.witness_answer == "confirmed"
    screenshot(page, "o-witness-confirmed-by-keyboard")


def test_hr_sends_an_invitation_with_errors_and_the_error_summary_leads_to_each_field(page, context, live_server, hr):
    sign_in(context, live_server, hr)
    page.goto(reverse("user_invite"))
    tab_to(page, lambda stop: stop["id"] == "id_first_name")
    page.keyboard.type("Fatima")
    stops = tab_to(page, is_send_button)
    assert_visible_and_in_order(stops)
    enter(page)

    summary = page.evaluate(FOCUSED)
    assert summary is not None and "error-summary" in summary["classes"], "the error summary takes the focus"
    assert page.locator(".error-summary").get_attribute("role") == "alert"
    links = page.locator(".error-summary a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert links == ["#id_email", "#id_roles_0"]
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"

    assert press(page)["href"] == "#id_email"
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["id"] == "id_email", "the summary's link puts the focus in the field"
    page.keyboard.type("fatima.el-amrani@example.org")
    assert press(page, "Shift+Tab")["href"] == "#id_roles_0", "back to the summary, its next link"
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["id"] == "id_roles_0"
    stops = [page.evaluate(FOCUSED)]
    while stops[-1]["value"] != "Manager":
        stops.append(press(page))
    assert press(page, "Space")["checked"]
    stops += tab_to(page, is_send_button)
    assert_visible_and_in_order(stops)
    enter(page)

    assert page.locator(".error-summary").count() == 0
    assert page.locator(".message--success").count() == 1
    invited = get_user_model().objects.get(email="fatima.el-amrani@example.org")
    assert invited.first_name == "Fatima"
    assert list(invited.groups.values_list("name", flat=True)) == ["Manager"]
    screenshot(page, "p-invitation-by-keyboard")


def walk_round(page, *, limit: int = 200) -> list[dict]:
    """Tab from the top of the page until the focus leaves it for the browser; every stop on the way."""
    stops = []
    for _ in range(limit):
        stop = press(page)
        if stop is None:
            return stops
        stops.append(stop)
    pytest.fail(f"{limit} Tabs and the focus never left {page.url}: a keyboard trap; last stops {names(stops[-5:])}")


def assert_no_trap(page, label: str) -> list[dict]:
    """Tab runs from the skip link through the page to the browser and comes back; Shift+Tab the other way.

    Every stop on the way shows its focus and follows the reading order; the stops are returned.
    """
    stops = walk_round(page)
    assert stops, f"{label}: nothing to focus"
    assert stops[0]["href"] == "#main", f"{label}: the skip link comes first"
    # A date or month field takes several Tabs (day, month, year, calendar button): one element, one visit.
    elements = [stop["key"] for i, stop in enumerate(stops) if i == 0 or stops[i - 1]["key"] != stop["key"]]
    assert len(set(elements)) == len(elements), f"{label}: an element came twice {names(stops)}"
    assert_visible_and_in_order(stops)
    assert press(page)["href"] == "#main", f"{label}: after the browser, Tab comes back to the skip link"
    back = press(page, "Shift+Tab") or press(page, "Shift+Tab")  # headless Chromium may skip its empty chrome
    assert back["key"] == stops[-1]["key"], f"{label}: Shift+Tab from the skip link goes round to the last stop"
    return stops


def test_the_keyboard_never_gets_stuck_on_the_busiest_pages(browser, live_server, page, context, hr, manager):
    person = newcomer(manager, given_names="Noor", surname="Bakker", email="noor@example.org")
    ceremony = ceremony_on(14)
    assign(ceremony, person, hr, witness=manager)
    newcomer_link = next(NEWCOMER_LINK.findall(m.body)[-1] for m in delivered() if NEWCOMER_LINK.search(m.body))
    external = NewcomerFactory(kind=Kind.EXTERNAL, given_names="Zoë", surname="Öster", email="zoe@example.org")
    declaration_request_send(newcomer=external, by=hr)
    declaration_link = DECLARATION_LINK.findall(delivered()[-1].body)[-1]
    sign_in(context, live_server, hr)

    for url in (reverse("dashboard"), reverse("newcomer_list"), reverse("ceremony_detail", args=[ceremony.pk])):
        page.goto(url)
        assert len(assert_no_trap(page, url)) > 15, "the menu alone has more stops"

    # The skip link takes the focus to the content: the next Tab is the first stop inside it.
    page.goto(reverse("newcomer_list"))
    assert press(page)["href"] == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert press(page)["id"] == "id_q", "the first filter field follows the skip link's target"

    public = browser.new_context(base_url=live_server.url, viewport=PHONE)
    try:
        visitor = public.new_page()
        for url, last_field in ((declaration_link, "id_full_name"), (newcomer_link, "id_absence_reason")):
            visitor.goto(url)
            stops = assert_no_trap(visitor, url)
            assert last_field in [stop["id"] for stop in stops]
        screenshot(visitor, "q-newcomer-link-no-trap")
    finally:
        public.close()
