"""Every journey in a real browser (Chromium), with axe-core on each page it passes.

Assertions stick to URLs, roles, ids and data: the interface shows Dutch by default.
"""

import datetime
import io
import re

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from eed.models import Certificate
from onboarding.enums import Kind
from onboarding.mail.outbox import outbox_send_due
from tests.browser.conftest import PHONE, axe_check, axe_widths, screenshot
from tests.eed.ceremony_day import assign, ceremony_on, newcomer
from tests.factories import NewcomerFactory, OfficiantFactory
from tests.mfa_support import totp_code
from tests.pdf_checks import assert_pdfa_2b

pytestmark = pytest.mark.django_db(transaction=True)

DECLARATION_LINK = re.compile(r"/d/[A-Za-z0-9_-]+/")
NEWCOMER_LINK = re.compile(r"/e/[A-Za-z0-9_-]+/")


def delivered():
    outbox_send_due()
    return mail.outbox


def log_in_hr(page, hr):
    page.goto(reverse("account_login"))
    axe_check(page, "login")
    page.fill("input[name=login]", hr.email)
    page.fill("input[name=password]", "correct horse battery staple")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    axe_check(page, "2fa authenticate")
    page.fill("input[name=code]", totp_code(hr.totp_secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/$"))


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Personnel number", "Given names", "Surname prefix", "Surname", "E-mail", "Start date", "Kind",
                  "Manager e-mail", "Appointing body"])  # fmt: skip
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_hr_logs_in_with_totp_and_imports_newcomers(page, hr, manager):
    log_in_hr(page, hr)
    axe_widths(page, "dashboard")

    page.goto(reverse("import_upload"))
    axe_check(page, "import upload")
    start = (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d-%m-%Y")
    content = xlsx([
        ["P900001", "Anna", "", "Jansen", "anna.jansen@example.org", start, "employee", manager.email, ""],
        ["P900002", "Bram", "van der", "Berg", "bram.berg@example.org", start, "trainee", manager.email, ""],
    ])  # fmt: skip
    page.set_input_files("input[type=file]", {"name": "nieuw.xlsx", "mimeType": "application/octet-stream",
                                              "buffer": content})  # fmt: skip
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/newcomers/import/\d+/$"))
    axe_widths(page, "import preview")
    with page.expect_navigation():
        page.locator("form[action$='/confirm/'] button[type=submit]").click()

    page.goto(reverse("newcomer_list"))
    assert page.locator("main").get_by_text("P900001").count() or page.locator("main a", has_text="Jansen").count()
    axe_widths(page, "newcomer list")
    page.goto(reverse("dashboard"))
    axe_check(page, "dashboard after import")
    screenshot(page, "a-import")


def test_hr_records_attendance_downloads_proofs_and_a_proof_verifies(page, context, hr, manager):
    ceremony = ceremony_on(-1)
    person = newcomer(manager, given_names="Jan Pieter", surname_prefix="van der", surname="Berg")
    appointment = assign(ceremony, person, hr, form="oath")
    log_in_hr(page, hr)

    page.goto(reverse("ceremony_detail", args=[ceremony.pk]))
    axe_widths(page, "ceremony detail (past)")
    page.goto(reverse("attendance_sheet", args=[ceremony.pk]))
    axe_widths(page, "attendance sheet")
    row = page.locator(f"#row-{appointment.pk}")
    row.locator("input[name$='-outcome'][value='taken']").check()
    row.locator("input[name$='-form_used'][value='oath']").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    assert page.locator("main form button[name=step][value=record]").count()  # first, what will be recorded
    axe_widths(page, "attendance review")
    screenshot(page, "c-attendance-review")
    page.locator("main form button[name=step][value=record]").click()
    page.wait_for_url(re.compile(rf"/ceremonies/{ceremony.pk}/$"))
    axe_check(page, "ceremony detail (held)")

    proofs = page.locator(f"a[href='{reverse('ceremony_proofs_pdf', args=[ceremony.pk])}']")
    response = page.request.get(proofs.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert_pdfa_2b(response.body())

    certificate = Certificate.objects.get(appointment=appointment)
    public = context.browser.new_context(base_url=context.pages[0].url.split("/ceremonies")[0])
    try:
        visitor = public.new_page()
        visitor.goto(reverse("certificate_verify", args=[certificate.verification_code]))
        assert certificate.number in visitor.locator("main").inner_text()
        axe_widths(visitor, "verification")
        screenshot(visitor, "c-verification")
    finally:
        public.close()
    screenshot(page, "c-ceremony-held")


def test_external_signs_the_declaration_on_a_phone_with_the_keyboard_only(context, hr):
    from onboarding.declarations.services import declaration_request_send

    external = NewcomerFactory(kind=Kind.EXTERNAL, given_names="Zoë", surname="Öster", email="zoe@example.org")
    declaration_request_send(newcomer=external, by=hr)
    link = DECLARATION_LINK.findall(delivered()[-1].body)[-1]

    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto(link)
    axe_check(page, "declaration [phone]")
    for _ in range(80):
        if page.evaluate("document.activeElement && document.activeElement.id") == "id_confirmed":
            break
        page.keyboard.press("Tab")
    else:
        screenshot(page, "d-tab-failure")
        pytest.fail(f"the confirmation checkbox cannot be reached with Tab on {page.url}")
    page.keyboard.press("Space")
    assert page.locator("#id_confirmed").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_full_name"
    page.keyboard.type("Zoë Öster")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"a[href='{link}pdf/']")
    axe_check(page, "declaration signed [phone]")
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page, "declaration signed [desktop]")

    with page.expect_download() as info:
        page.locator(f"a[href='{link}pdf/']").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert_pdfa_2b(pdf.read())
    screenshot(page, "d-declaration-signed")


LOGIN_CODE = re.compile(r"^\s*([A-Z0-9]{3,5}-?[A-Z0-9]{3,5})\s*$", re.MULTILINE)


def test_hr_plans_by_hand_and_with_the_planner_the_manager_confirms_and_the_newcomer_chooses(
    browser, live_server, page, hr, manager
):
    officiant = OfficiantFactory(user__first_name="Pieter", user__last_name="Smit").user
    person = newcomer(manager, given_names="Sanne", surname="Visser", email="sanne@example.org", started_days_ago=5)
    log_in_hr(page, hr)

    page.goto(reverse("ceremony_create"))
    axe_widths(page, "ceremony form")
    day = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    page.fill("#id_starts_at", f"{day}T10:00")
    page.fill("#id_ends_at", f"{day}T11:00")
    page.fill("#id_place", "Provinciehuis, zaal 1")
    page.select_option("#id_officiant", str(officiant.pk))
    page.fill("#id_capacity", "10")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/ceremonies/\d+/$"))
    axe_widths(page, "ceremony detail")
    page.check(f"#add-{person.pk}")
    with page.expect_navigation():
        page.locator("form[action$='/add/'] button[type=submit]").click()
    axe_check(page, "ceremony detail with newcomer")
    screenshot(page, "b-ceremony")
    messages = list(delivered())

    # The planner places a second newcomer of the same manager in that ceremony.
    second = newcomer(manager, given_names="Bram", surname="de Vries", email="bram@example.org", started_days_ago=3)
    page.goto(reverse("planner"))
    axe_widths(page, "planner")
    assert page.locator(f"#assign-{second.pk}").is_checked()
    with page.expect_navigation():
        page.locator(f"form[action='{reverse('planner')}'] button[type=submit]").last.click()
    axe_check(page, "planner after confirming")
    assert second.appointments.get().ceremony_id == person.appointments.get().ceremony_id
    delivered()

    # The manager logs in with a code sent by mail and confirms.
    mail.outbox.clear()
    manager_context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    try:
        manager_page = manager_context.new_page()
        manager_page.goto(reverse("account_request_login_code"))
        axe_check(manager_page, "login code request")
        manager_page.fill("input[name=email]", manager.email)
        manager_page.locator("main form button[type=submit]").first.click()
        manager_page.wait_for_url(re.compile(r"/accounts/login/code/confirm/"))
        axe_check(manager_page, "login code confirm")
        code = LOGIN_CODE.findall(delivered()[-1].body)[-1]
        manager_page.fill("input[name=code]", code)
        manager_page.locator("main form button[type=submit]").first.click()
        manager_page.wait_for_url(re.compile(r"/$"))
        manager_page.goto(reverse("witness_requests"))
        axe_widths(manager_page, "witness requests")
        manager_page.locator("main a[href*='/witness-requests/']").first.click()
        manager_page.wait_for_url(re.compile(r"/witness-requests/\d+/$"))
        axe_check(manager_page, "witness answer")
        manager_page.check("input[name=answer][value=confirm]")
        with manager_page.expect_navigation():
            manager_page.locator("main form button[type=submit]").last.click()
        axe_check(manager_page, "after witness answer")
    finally:
        manager_context.close()
    assert person.appointments.get().witness_answer == "confirmed"

    # The newcomer opens the personal link from the invitation and chooses the affirmation.
    link = next(NEWCOMER_LINK.findall(m.body)[-1] for m in messages if NEWCOMER_LINK.search(m.body))
    newcomer_context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    try:
        newcomer_page = newcomer_context.new_page()
        newcomer_page.goto(link)
        axe_widths(newcomer_page, "newcomer link")
        newcomer_page.check("input[name=form][value=affirmation]")
        with newcomer_page.expect_navigation():
            newcomer_page.locator("main form button[type=submit]").last.click()
        axe_widths(newcomer_page, "newcomer link after choosing")
        screenshot(newcomer_page, "b-newcomer-link")
    finally:
        newcomer_context.close()
    assert person.appointments.get().form == "affirmation"


def test_hr_reads_the_annual_counts_in_dutch_and_english(page, hr):
    log_in_hr(page, hr)
    year = timezone.localdate().year
    page.goto(f"{reverse('annual_counts')}?year={year}")
    assert page.locator("html").get_attribute("lang") == "nl"
    axe_widths(page, "annual counts (nl)")
    with page.expect_navigation():
        page.locator(".language-switch button[value=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert f"year={year}" in page.url
    axe_widths(page, "annual counts (en)")
    page.goto(reverse("dashboard"))
    axe_check(page, "dashboard (en)")
    page.goto(reverse("newcomer_list"))
    axe_check(page, "newcomer list (en)")
    page.goto(f"{reverse('annual_counts')}?year={year}")
    with page.expect_navigation():
        page.locator(".language-switch button[value=nl]").click()
    assert page.locator("html").get_attribute("lang") == "nl"
    hr.refresh_from_db()
    screenshot(page, "e-counts")


def test_the_accessibility_statement_is_reached_from_the_footer_in_both_languages(page):
    page.goto(reverse("account_login"))
    with page.expect_navigation():
        page.locator(f"footer a[href='{reverse('accessibility_statement')}']").click()
    axe_widths(page, "accessibility statement (nl)")
    with page.expect_navigation():
        page.locator(".language-switch button[value=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    axe_widths(page, "accessibility statement (en)")
    page.goto(reverse("account_login"))
    axe_check(page, "login (en)")
    screenshot(page, "f-login-en")


def test_every_hr_page_in_the_menu_passes_axe_in_both_languages_and_widths(page, hr, manager):
    person = newcomer(manager, given_names="Noor", surname="Bakker", started_days_ago=50)
    ceremony = ceremony_on(10)
    assign(ceremony, person, hr)
    log_in_hr(page, hr)
    pages = [
        reverse("dashboard"),
        reverse("newcomer_list"),
        reverse("newcomer_create"),
        reverse("newcomer_detail", args=[person.pk]),
        reverse("ceremony_list"),
        reverse("ceremony_detail", args=[ceremony.pk]),
        reverse("planner"),
        reverse("declaration_list"),
        reverse("dilemma_session_list"),
        reverse("user_invite"),
        reverse("calendar_settings"),
    ]
    for language in ("nl", "en"):
        for url in pages:
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            axe_widths(page, f"{url} ({language})")
        if language == "nl":
            with page.expect_navigation():
                page.locator(".language-switch button[value=en]").click()
    screenshot(page, "g-calendar-settings-en")
