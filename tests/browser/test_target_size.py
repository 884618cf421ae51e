"""Controls a thumb can hit: WCAG 2.2 success criterion 2.5.8 (target size, minimum), measured in Chromium.

Every control on a page (link, button, select, summary, input) has a box of at least 24 x 24 CSS pixels.
Links inside running text (in a paragraph, or with words of their own block around them) are exempt, as the
criterion says. The criterion also lets a small control pass when a 24 px circle centred on it reaches no
other control; we hold ourselves to the plain size, because with that exception the 13 px checkboxes of
before passed too (a list's lines are 24 px apart). Each offender is named with a selector, its size, and
whether the spacing exception would have let it through. Pages are measured on a phone (390 x 844) and, for
staff, on a laptop.
"""

import pytest
from django.urls import reverse

from eed.models import Certificate
from onboarding.declarations.services import declaration_request_send
from onboarding.enums import Kind
from tests.browser.conftest import DESKTOP, axe_widths_violations, screenshot, sign_in
from tests.browser.test_journeys import DECLARATION_LINK, NEWCOMER_LINK, delivered
from tests.eed.ceremony_day import assign, ceremony_on, newcomer, record, taken
from tests.factories import NewcomerFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
MINIMUM = 24

# Each control under 24 x 24 px and not in running text: a selector that finds it, its size; [] when all pass.
TOO_SMALL = """minimum => {
  const CONTROLS = 'a[href], button, select, summary, textarea, input:not([type=hidden])';
  const shown = e => {
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !e.closest('.visually-hidden, [hidden]');
  };
  // A link in running text: inside a paragraph, or among words of its own block that are not a control's.
  const inText = e => {
    if (e.tagName !== 'A') return false;
    if (e.closest('p')) return true;
    const blockOf = n => {
      while (n.parentElement && getComputedStyle(n).display === 'inline') n = n.parentElement;
      return n;
    };
    const block = blockOf(e.parentElement);
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const owner = node.parentElement;
      if (owner.closest(CONTROLS) || owner.closest('.visually-hidden') || blockOf(owner) !== block) continue;
      if (/[\\p{L}\\p{N}]/u.test(node.textContent)) return true;
    }
    return false;
  };
  const selector = e => {
    const parts = [];
    for (let n = e; n && n !== document.body && parts.length < 5; n = n.parentElement) {
      let part = n.tagName.toLowerCase();
      if (n.id) { parts.unshift(part + '#' + n.id); break; }
      for (const name of ['name', 'type', 'value']) {
        if (n === e && n.getAttribute(name)) part += `[${name}="${n.getAttribute(name)}"]`;
      }
      if (n.classList.length) part += '.' + [...n.classList].join('.');
      const same = n.parentElement ? [...n.parentElement.children].filter(c => c.tagName === n.tagName) : [];
      if (same.length > 1) part += `:nth-of-type(${same.indexOf(n) + 1})`;
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  const targets = [...document.querySelectorAll(CONTROLS)].filter(shown).map(e => {
    const r = e.getBoundingClientRect();
    return {e, r, x: r.left + r.width / 2, y: r.top + r.height / 2,
            small: r.width < minimum - 0.01 || r.height < minimum - 0.01, exempt: inText(e)};
  });
  const distanceToBox = (t, r) => Math.hypot(Math.max(r.left - t.x, 0, t.x - r.right),
                                             Math.max(r.top - t.y, 0, t.y - r.bottom));
  // The spacing exception: the small target's 24 px circle meets no other target and no other small one's circle.
  const spaced = t => targets.every(o => o === t || o.e.contains(t.e) || t.e.contains(o.e) || (
    distanceToBox(t, o.r) >= minimum / 2 && (!o.small || o.exempt || Math.hypot(t.x - o.x, t.y - o.y) >= minimum)));
  return targets.filter(t => t.small && !t.exempt).map(t => {
    const text = (t.e.innerText || t.e.value || t.e.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ');
    const spacing = spaced(t) ? " (WCAG's spacing exception would let it pass)" : '';
    const size = `${t.r.width.toFixed(1)} x ${t.r.height.toFixed(1)}`;
    return `${selector(t.e)} ${JSON.stringify(text.slice(0, 30))}: ${size}${spacing}`;
  });
}"""


def too_small(page, label: str) -> list[str]:
    """The controls on this page smaller than 24 x 24 px, each named with its page."""
    return [f"{label}: {line}" for line in page.evaluate(TOO_SMALL, MINIMUM)]


def measure(page, pages: dict[str, str], sizes: dict[str, dict]) -> list[str]:
    """Open each page (label -> url) at each viewport size; every control too small, on all of them."""
    found = []
    for label, url in pages.items():
        page.goto(url)
        for size_name, size in sizes.items():
            page.set_viewport_size(size)
            found += too_small(page, f"{label} [{size_name}]")
    return found


def assert_none(found: list[str]) -> None:
    assert not found, f"{len(found)} controls smaller than 24 x 24 CSS px (WCAG 2.2, 2.5.8):\n" + "\n".join(found)


def test_an_external_on_a_phone_can_hit_the_consent_checkbox_and_every_other_control(browser, live_server, hr):
    external = NewcomerFactory(kind=Kind.EXTERNAL, given_names="Zoë", surname="Öster", email="zoe@example.org")
    declaration_request_send(newcomer=external, by=hr)
    link = DECLARATION_LINK.findall(delivered()[-1].body)[-1]
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(link)
        box = page.locator("#id_confirmed").bounding_box()
        found = too_small(page, "declaration sign page [phone]")
        page.locator("button[type=submit]").click()
        page.wait_for_selector(".error-summary")
        found += too_small(page, "declaration sign page with errors [phone]")
        found += axe_widths_violations(page, "declaration sign page with errors")
        page.set_viewport_size(PHONE)
        screenshot(page, "x-declaration-sign-errors-phone-nl")
        page.goto(link)
        screenshot(page, "x-declaration-sign-phone-nl")
    finally:
        context.close()
    assert box["width"] >= MINIMUM and box["height"] >= MINIMUM, f"the consent checkbox is {box}"
    assert_none(found)


def test_a_newcomer_on_a_phone_and_anyone_signing_in_can_hit_every_control(browser, page, live_server, hr, manager):
    assign(ceremony_on(14), newcomer(manager, given_names="Noor", surname="Bakker"), hr, witness=manager)
    newcomer_link = next(NEWCOMER_LINK.findall(m.body)[-1] for m in delivered() if NEWCOMER_LINK.search(m.body))
    pages = {
        "newcomer link": newcomer_link,
        "login": reverse("account_login"),
        "password reset": reverse("account_reset_password"),
        "login code request": reverse("account_request_login_code"),
    }
    found = measure(page, pages, {"phone": PHONE, "laptop": DESKTOP})
    page.set_viewport_size(PHONE)
    page.goto(newcomer_link)
    screenshot(page, "x-newcomer-link-phone-nl")
    page.goto(reverse("account_login"))
    screenshot(page, "x-login-phone-nl")
    page.set_viewport_size(DESKTOP)
    page.goto(reverse("account_login"))
    screenshot(page, "x-login-laptop-nl")
    assert_none(found)


# How a field looks: what app.css sets on text fields.
LOOK = """e => { const s = getComputedStyle(e);
  return [s.borderTopWidth, s.borderTopStyle, s.borderTopColor, s.paddingLeft, s.fontSize, s.width].join(' '); }"""


def hr_pages(hr, manager) -> dict[str, str]:
    """A page of each kind HR uses, with enough rows for sort headers and pagination."""
    officiant_ceremony = ceremony_on(0)
    for number in range(30):
        newcomer(manager, given_names=f"Anna {number}", surname="Jansen")
    person = newcomer(manager, given_names="Mila", surname="de Vries")
    assign(officiant_ceremony, person, hr, witness=manager)
    planned = ceremony_on(14, officiant=officiant_ceremony.officiant)
    for number in range(27):
        external = NewcomerFactory(kind=Kind.EXTERNAL, manager=manager, given_names=f"Ext {number}", surname="Smits")
        if number % 2:
            declaration_request_send(newcomer=external, by=hr)
    return {
        "dashboard": reverse("dashboard"),
        "newcomer list": reverse("newcomer_list"),
        "newcomer list, page 2": reverse("newcomer_list") + "?page=2",
        "newcomer": reverse("newcomer_detail", args=[person.pk]),
        "newcomer form": reverse("newcomer_create"),
        "ceremony form": reverse("ceremony_create"),
        "ceremony list": reverse("ceremony_list"),
        "ceremony": reverse("ceremony_detail", args=[planned.pk]),
        "attendance sheet": reverse("attendance_sheet", args=[officiant_ceremony.pk]),
        "declarations": reverse("declaration_list"),
        "accounts": reverse("user_list"),
        "calendar settings": reverse("calendar_settings"),
        "planner": reverse("planner"),
        "annual counts": reverse("annual_counts"),
        "dilemma sessions": reverse("dilemma_session_list"),
        "import": reverse("import_upload"),
    }


def test_hr_can_hit_every_control_on_a_laptop_and_on_a_phone_and_every_field_looks_alike(
    page, context, live_server, hr, manager
):
    pages = hr_pages(hr, manager)
    sign_in(context, live_server, hr)
    found = measure(page, pages, {"laptop": DESKTOP, "phone": PHONE})
    page.set_viewport_size(DESKTOP)
    for label in ("newcomer list", "declarations", "attendance sheet", "dashboard"):
        page.goto(pages[label])
        screenshot(page, f"x-{label.replace(' ', '-')}-laptop-nl")
    page.goto(pages["ceremony form"])
    text_field = page.locator("#id_place").evaluate(LOOK)
    looks = {
        name: page.locator(f"#id_{name}").evaluate(LOOK) for name in ("starts_at", "ends_at", "video_url", "capacity")
    }
    screenshot(page, "x-ceremony-form-laptop-nl")
    page.locator("main button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    found += too_small(page, "ceremony form with errors [laptop]")
    screenshot(page, "x-ceremony-form-errors-laptop-nl")
    assert_none(found)
    assert looks == dict.fromkeys(looks, text_field), f"the ceremony form's date, time, link and number fields: {looks}"


def test_a_witness_and_anyone_checking_a_proof_can_hit_every_control(page, context, live_server, hr, manager):
    appointment = assign(ceremony_on(14), newcomer(manager, given_names="Sanne", surname="Visser"), hr, witness=manager)
    held = ceremony_on(-1)
    sworn = assign(held, newcomer(manager, given_names="Jan", surname="Visser"), hr, form="oath", witness=manager)
    record(held, hr, [taken(sworn)])
    verify = reverse("certificate_verify", args=[Certificate.objects.get(appointment=sworn).verification_code])
    found = measure(page, {"proof verification": verify}, {"phone": PHONE})
    sign_in(context, live_server, manager)
    pages = {
        "dashboard (manager)": reverse("dashboard"),
        "my newcomers": reverse("newcomer_list"),
        "witness requests": reverse("witness_requests"),
        "witness answer": reverse("witness_answer", args=[appointment.pk]),
    }
    found += measure(page, pages, {"phone": PHONE, "laptop": DESKTOP})
    assert_none(found)
