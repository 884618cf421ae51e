"""The pages no journey passes, checked with axe-core in Dutch and English, at desktop and phone width.

Each story walks one persona's pages in Dutch (the default), switches the language the way that persona
can (the switch in the header, which signed-in users keep on their account; a link on the public
declaration page) and walks them again. Every violation of a walk is listed at once, so one run shows all
there is to fix. Each page names an element that proves it is the page in the state meant (an error
summary, a table of problems), so a redirect or an empty page cannot pass unnoticed.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eed.dilemma.services import dilemma_session_create
from eed.enums import DilemmaSetting
from eed.models import Certificate
from eed.proofs.certificates import certificate_scan_attach
from onboarding.declarations.services import declaration_request_send, declaration_sign
from onboarding.enums import Kind
from onboarding.models import DeclarationSignature, ImportBatch
from tests.browser.conftest import PHONE, axe_widths_violations, screenshot, sign_in
from tests.browser.test_journeys import DECLARATION_LINK, NEWCOMER_LINK, delivered
from tests.eed.ceremony_day import assign, ceremony_on, newcomer, record, taken
from tests.factories import NewcomerFactory, OfficiantFactory, UserFactory
from tests.mfa_support import give_totp, totp_code
from tests.onboarding.declaration_support import send_link

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
UNKNOWN_TOKEN = "x" * 43
BAD_IMPORT = (
    b"personnel_number,given_names,surname,email,start_date,kind\r\n"
    b"P900001,Anna,Jansen,anna@example.org,01-03-2026,employee\r\n"
    b"P900002,Bram,,not-an-address,31-02-2026,alien\r\n"
)


def switch_language(page, language: str) -> None:
    with page.expect_navigation():
        page.locator(f".language-switch button[value={language}]").click()
    assert page.locator("html").get_attribute("lang") == language


def submit(page, field: str = "") -> None:
    """Send the page's main form: its last button, or Enter in ``field`` where a form has several buttons."""
    with page.expect_navigation():
        if field:
            page.press(field, "Enter")
        else:
            page.locator("main form[method=post] button[type=submit]").last.click()


def check(page, label: str, language: str, shows: str = "main h1") -> list[str]:
    """This page, in this language, showing ``shows``: its axe violations at both widths."""
    assert page.locator("html").get_attribute("lang") == language, f"{label}: {page.url}"
    assert page.locator(shows).count(), f"{label}: {shows} not on {page.url}"
    return axe_widths_violations(page, f"{label} ({language})")


def walk(page, pages: dict[str, tuple[str, str]], language: str) -> list[str]:
    """Open each page (label -> (url, what it shows)); the violations of them all."""
    found = []
    for label, (url, shows) in pages.items():
        page.goto(url)
        found += check(page, label, language, shows)
    return found


def assert_none(found: list[str]) -> None:
    assert not found, "axe violations:\n" + "\n".join(found)


def hr_world(hr, manager, tmp_path, settings) -> dict[str, tuple[str, str]]:
    """One object of each kind HR works on, and the pages that show them."""
    settings.MEDIA_ROOT = tmp_path
    officiant = OfficiantFactory(user__first_name="Pieter", user__last_name="Smit").user
    person = newcomer(manager, given_names="Mila", surname="de Vries")
    planned = ceremony_on(14, officiant=officiant)
    appointment = assign(planned, person, hr, witness=manager)
    today = ceremony_on(0, officiant=officiant)
    todays = assign(today, newcomer(manager, given_names="Sara", surname="Bos"), hr, witness=manager)
    held = ceremony_on(-1, officiant=officiant)
    sworn = assign(held, newcomer(manager, given_names="Jan", surname="Visser"), hr, form="oath", witness=manager)
    record(held, hr, [taken(sworn)])
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    certificate_scan_attach(certificate=Certificate.objects.get(appointment=sworn), by=hr, upload=scan)
    external = NewcomerFactory(kind=Kind.EXTERNAL, manager=manager, given_names="Ilse", surname="Smits")
    token = send_link(external, by=hr, mailbox=delivered)
    declaration_sign(raw_token=token, typed_name="Ilse Smits", confirmed=True, ip=None, user_agent="test")
    signature = DeclarationSignature.objects.get(request__newcomer=external)
    session = dilemma_session_create(
        by=hr,
        date=datetime.date(2026, 2, 1),
        setting=DilemmaSetting.TEAM,
        team_name="Team Wegen",
        facilitator="Bureau Integriteit",
        participants=12,
    )
    batch = ImportBatch.objects.create(uploaded_by=hr, filename="export.csv", content=BAD_IMPORT)
    return {
        "ceremony edit (reschedule)": (reverse("ceremony_edit", args=[planned.pk]), "#id_starts_at"),
        "ceremony cancel": (reverse("ceremony_cancel", args=[planned.pk]), "textarea[name=reason]"),
        "witness replace": (reverse("witness_replace", args=[appointment.pk]), "input[name=witness]"),
        "appointment remove": (reverse("appointment_remove", args=[appointment.pk]), "textarea[name=reason]"),
        "attendance sheet": (reverse("attendance_sheet", args=[today.pk]), f"#row-{todays.pk}"),
        "attendance sheet before the day": (reverse("attendance_sheet", args=[planned.pk]), "#not-yet"),
        "recorded attendance": (reverse("attendance_sheet", args=[held.pk]), "main table"),
        "correction": (reverse("appointment_correct", args=[sworn.pk]), "main form textarea"),
        "newcomer edit": (reverse("newcomer_edit", args=[person.pk]), "#id_end_date"),
        "newcomer sworn": (reverse("newcomer_detail", args=[sworn.newcomer_id]), f"#outcome-{sworn.pk}"),
        "external signed": (reverse("newcomer_detail", args=[external.pk]), "#declaration-section-title"),
        "import preview with errors": (reverse("import_preview", args=[batch.pk]), "#problems"),
        "dilemma session new": (reverse("dilemma_session_create"), "main form"),
        "dilemma session edit": (reverse("dilemma_session_edit", args=[session.pk]), "main form"),
        "declaration withdraw": (reverse("declaration_withdraw", args=[signature.pk]), "main form textarea"),
    }


def test_hr_plans_reschedules_cancels_corrects_and_imports_on_pages_that_pass_axe(
    page, context, live_server, hr, manager, tmp_path, settings
):
    pages = hr_world(hr, manager, tmp_path, settings)
    sign_in(context, live_server, hr)
    forms = {"newcomer form": reverse("newcomer_create"), "ceremony form": reverse("ceremony_create")}
    found = []
    for language in ("nl", "en"):
        found += walk(page, pages, language)
        for label, url in forms.items():
            page.goto(url)
            found += check(page, label, language, "main form")
            submit(page)
            found += check(page, f"{label} with errors", language, ".error-summary a")
        if language == "nl":
            switch_language(page, "en")
    screenshot(page, "h-ceremony-form-errors-en")
    assert_none(found)


def test_the_witness_answers_and_sees_their_pages_in_both_languages(page, context, live_server, hr, manager):
    person = newcomer(manager, given_names="Sanne", surname="Visser")
    ceremony = ceremony_on(14)
    appointment = assign(ceremony, person, hr, witness=manager)
    answer_url = reverse("witness_answer", args=[appointment.pk])
    sign_in(context, live_server, manager)
    pages = {
        "dashboard (manager)": (reverse("dashboard"), ".cards"),
        "my newcomers": (reverse("newcomer_list"), "main table"),
        "newcomer (manager)": (reverse("newcomer_detail", args=[person.pk]), "main dl"),
        "ceremony (witness)": (reverse("ceremony_detail", args=[ceremony.pk]), "main dl"),
        "witness requests": (reverse("witness_requests"), f"main a[href='{answer_url}']"),
        "witness answer": (answer_url, "input[name=answer]"),
        "two-factor overview (manager)": (reverse("mfa_index"), "main h2"),
    }
    found = walk(page, pages, "nl")
    switch_language(page, "en")
    found += walk(page, pages, "en")
    page.goto(answer_url)
    page.check("input[name=answer][value=confirm]")
    submit(page)
    found += check(page, "witness requests after answering", "en", ".message--success")
    screenshot(page, "i-witness-answered-en")
    assert_none(found)
    appointment.refresh_from_db()
    assert appointment.witness_answer == "confirmed"


def test_an_external_signs_with_a_wrong_name_in_dutch_and_in_english(browser, live_server, hr):
    external = NewcomerFactory(kind=Kind.EXTERNAL, given_names="Zoë", surname="Öster", email="zoe@example.org")
    declaration_request_send(newcomer=external, by=hr)
    link = DECLARATION_LINK.findall(delivered()[-1].body)[-1]
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(link)
        found = []
        for language, other_name in (("nl", "Iemand Anders"), ("en", "Somebody Else")):
            found += check(page, "declaration", language, "#id_full_name")
            page.check("#id_confirmed")
            page.fill("#id_full_name", other_name)
            submit(page)
            found += check(page, "declaration with a wrong name", language, ".error-summary a[href='#id_full_name']")
            if language == "nl":
                with page.expect_navigation():
                    page.locator(".language-switch a[hreflang=en]").click()
        page.goto(f"/d/{UNKNOWN_TOKEN}/")
        found += check(page, "declaration link unknown", "nl")
        page.goto(link)
        screenshot(page, "j-declaration-en")
    finally:
        context.close()
    assert_none(found)
    assert not DeclarationSignature.objects.filter(request__newcomer=external).exists()


def test_a_newcomer_forgets_to_choose_in_dutch_and_in_english(browser, live_server, hr, manager):
    person = newcomer(manager, given_names="Noor", surname="Bakker", email="noor@example.org")
    assign(ceremony_on(14), person, hr, witness=manager)
    link = next(NEWCOMER_LINK.findall(m.body)[-1] for m in delivered() if NEWCOMER_LINK.search(m.body))
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(link)
        found = []
        for language in ("nl", "en"):
            submit(page)
            found += check(page, "newcomer link without a choice", language, ".error-summary a[href='#id_form_0']")
            if language == "nl":
                switch_language(page, "en")  # the page is sent with no-referrer: the switch must still work
                assert page.url.endswith(link)
                found += check(page, "newcomer link", "en", "input[name=form]")
        page.goto(f"/e/{UNKNOWN_TOKEN}/")
        found += check(page, "newcomer link unknown", "en")
        page.goto(reverse("certificate_verify", args=["X" * 20]))
        found += check(page, "verification of an unknown proof", "en")
        page.goto(link)
        submit(page)
        screenshot(page, "k-newcomer-link-error-en")
    finally:
        context.close()
    assert_none(found)


def test_sign_in_pages_with_their_errors_in_both_languages(page, hr, manager):
    page.goto(reverse("account_login"))
    found = []
    for language in ("nl", "en"):
        page.fill("input[name=login]", hr.email)
        page.fill("input[name=password]", "not my password")
        submit(page)
        found += check(page, "login with a wrong password", language, ".error-summary")
        if language == "nl":
            switch_language(page, "en")
    page.goto(reverse("account_reset_password"))
    found += check(page, "password reset", "en", "input[name=email]")
    page.goto(reverse("account_login"))
    page.fill("input[name=login]", hr.email)
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    found += check(page, "second factor", "en", "input[name=code]")
    page.fill("input[name=code]", "000000")
    submit(page, "input[name=code]")
    found += check(page, "second factor with a wrong code", "en", ".error-summary")
    page.fill("input[name=code]", totp_code(hr.totp_secret))
    submit(page, "input[name=code]")
    assert page.url.endswith(reverse("dashboard"))
    with page.expect_navigation():
        page.locator(".site-nav form[action$='/logout/'] button").click()

    page.goto(reverse("account_request_login_code"))
    found += check(page, "login code request", "en", "input[name=email]")
    page.fill("input[name=email]", manager.email)
    submit(page, "input[name=email]")
    page.wait_for_url(re.compile(r"/accounts/login/code/confirm/"))
    page.fill("input[name=code]", "WRONG-CODE")
    submit(page, "input[name=code]")  # the page also has a button to cancel the login
    found += check(page, "login code with a wrong code", "en", ".error-summary")
    screenshot(page, "m-login-code-error-en")
    assert_none(found)


def test_a_new_hr_adviser_sets_up_an_authenticator_app_and_recovery_codes(page, manager):
    adviser = UserFactory(email="nieuw.hr@example.org", first_name="Eva", last_name="Mulder", roles=["HR"])
    page.goto(reverse("account_login"))
    page.fill("input[name=login]", adviser.email)
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    page.wait_for_url(re.compile(r"/accounts/2fa/$"))  # HR may do nothing before a second factor is set up
    found = check(page, "two-factor overview, nothing set up", "nl", f"main a[href='{reverse('mfa_activate_totp')}']")
    with page.expect_navigation():
        page.locator(f"main a[href='{reverse('mfa_activate_totp')}']").click()
    found += check(page, "confirm your password", "nl", "input[name=password]")  # allauth asks again
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    assert page.url.endswith(reverse("mfa_activate_totp"))
    for language in ("nl", "en"):
        found += check(page, "authenticator app activation", language, "#authenticator_secret")
        page.fill("input[name=code]", "000000")
        submit(page)
        found += check(page, "authenticator app activation with a wrong code", language, ".error-summary")
        if language == "nl":
            switch_language(page, "en")
    page.fill("input[name=code]", totp_code(page.locator("#authenticator_secret").input_value()))
    submit(page)
    assert page.url.endswith(reverse("mfa_view_recovery_codes"))
    for language in ("en", "nl"):
        found += check(page, "recovery codes", language, "#recovery_codes")
        page.goto(reverse("mfa_generate_recovery_codes"))
        found += check(page, "new recovery codes", language, "main form")
        page.goto(reverse("mfa_index"))
        found += check(page, "two-factor overview, app active", language, "main h2")
        if language == "en":
            switch_language(page, "nl")
            page.goto(reverse("mfa_view_recovery_codes"))
    screenshot(page, "l-mfa")
    assert_none(found)


def test_the_administrator_uses_the_django_admin_in_both_languages(page, context, live_server, manager, hr):
    """Django's admin, at phone width too: it has its own responsive layout, and it passes. The audit trail
    and the appointments with their rows and filters (their own filter and ordering, issue #19)."""
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True, first_name="Ad", last_name="Min")
    give_totp(admin)
    person = newcomer(manager, given_names="Mila", surname="de Vries")
    assign(ceremony_on(14, officiant=OfficiantFactory().user), person, hr, witness=manager)
    sign_in(context, live_server, admin)
    pages = {
        "admin index": (reverse("admin:index"), "#content-main"),
        "admin newcomers": (reverse("admin:onboarding_newcomer_changelist"), "#result_list"),
        "admin newcomer": (reverse("admin:onboarding_newcomer_change", args=[person.pk]), "#content-main form"),
        "admin ceremonies": (reverse("admin:eed_ceremony_changelist"), "#content-main"),
        "admin appointments": (reverse("admin:eed_appointment_changelist"), "#result_list"),
        "admin audit trail": (reverse("admin:onboarding_auditentry_changelist"), "#changelist-filter"),
    }
    found = walk(page, pages, "nl")
    page.goto(reverse("dashboard"))
    switch_language(page, "en")
    found += walk(page, pages, "en")
    screenshot(page, "n-admin-en")
    filters = page.locator("#changelist-filter")
    assert filters.get_by_role("link", name="appointment.assign").count() == 1
    filters.get_by_role("link", name="appointment.assign").click()
    assert page.locator("#result_list tbody tr").count() >= 1
    screenshot(page, "n-admin-audit-trail-en")
    assert_none(found)
