"""Whom to ask: every public page and every mail names the HR contact (HR_CONTACT_NAME, _EMAIL, _PHONE).

Pages show it in the footer (templates/onboarding/partials/hr_contact.html), and in the text of the pages that
tell people to contact HR; mails in their footer (templates/onboarding/email/_footer.txt and .html).
"""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from eed.ceremonies.services import appointment_assign
from eed.models import Certificate
from onboarding.enums import Kind
from onboarding.mail.messages import MailTemplates, mail_texts
from tests.eed.ceremony_day import assign, ceremony_on, newcomer, record, taken
from tests.factories import NewcomerFactory
from tests.html import links_in, mail_html, text_in
from tests.onboarding.declaration_support import send_link

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
NAME, EMAIL, PHONE = "Team HR-advies", "hr-advies@zuid-holland.nl", "070 441 66 11"
UNKNOWN = "x" * 43


@pytest.fixture(autouse=True)
def contact(settings):
    settings.HR_CONTACT_NAME, settings.HR_CONTACT_EMAIL, settings.HR_CONTACT_PHONE = NAME, EMAIL, PHONE


def assert_names_the_contact(html: str, within: str = "footer") -> None:
    hrefs = [link.href for link in links_in(html, within)]
    assert f"mailto:{EMAIL}" in hrefs, hrefs
    assert "tel:0704416611" in hrefs, hrefs
    text = text_in(html, within)
    assert f"Vragen? Neem contact op met {NAME}: {EMAIL}, {PHONE}" in text, text


def public_pages(hr, manager, mailbox) -> dict[str, str]:
    """The pages people reach without an account, each by the address they would use."""
    _appointment, newcomer_token = appointment_assign(newcomer=newcomer(manager), ceremony=ceremony_on(14), by=hr)
    held = ceremony_on(-1)
    sworn = assign(held, newcomer(manager), hr, form="oath")
    record(held, hr, [taken(sworn)])
    code = Certificate.objects.get(appointment=sworn).verification_code
    declaration_token = send_link(NewcomerFactory(kind=Kind.EXTERNAL), by=hr, mailbox=mailbox)
    return {
        "newcomer link": reverse("newcomer_link", args=[newcomer_token]),
        "newcomer link, unknown": reverse("newcomer_link", args=[UNKNOWN]),
        "declaration": reverse("declaration_sign", args=[declaration_token]),
        "declaration, unknown": reverse("declaration_sign", args=[UNKNOWN]),
        "verification": reverse("certificate_verify", args=[code]),
        "verification, unknown": reverse("certificate_verify", args=["y" * 32]),
        "login": reverse("account_login"),
        "accessibility statement": reverse("accessibility_statement"),
    }


def test_every_public_page_names_the_hr_contact_in_its_footer(hr, manager, mailbox):
    for label, url in public_pages(hr, manager, mailbox).items():
        page = Client().get(url)
        assert page.status_code in (200, 404), label
        assert_names_the_contact(page.content.decode())


def test_pages_that_send_people_to_hr_say_how_to_reach_them(client):
    for url in (reverse("newcomer_link", args=[UNKNOWN]), reverse("declaration_sign", args=[UNKNOWN])):
        page = client.get(url)
        assert page.status_code == 404
        html = page.content.decode()
        assert {f"mailto:{EMAIL}", "tel:0704416611"} <= {link.href for link in links_in(html)}
        assert f"{NAME}: {EMAIL}, {PHONE}" in text_in(html)


def test_without_a_name_or_address_the_hr_mailbox_is_named_as_the_hr_department(client, settings):
    settings.HR_CONTACT_NAME = settings.HR_CONTACT_EMAIL = settings.HR_CONTACT_PHONE = ""
    settings.HR_MAILBOX = "hr@zuid-holland.nl"

    html = client.get(reverse("newcomer_link", args=[UNKNOWN])).content.decode()

    assert "Vragen? Neem contact op met de afdeling HR: hr@zuid-holland.nl" in text_in(html, "footer")
    assert next(link.href for link in links_in(html, "footer")) == "mailto:hr@zuid-holland.nl"
    assert "tel:" not in html


def test_a_witness_request_and_a_newcomers_invitation_end_with_the_contact(hr, manager, mailbox):
    appointment_assign(newcomer=newcomer(manager), ceremony=ceremony_on(14), by=hr, witness=manager)

    messages = mailbox()
    assert len(messages) >= 2
    for message in messages:
        assert f"Neem contact op met {NAME}: {EMAIL}, {PHONE}" in message.body, message.subject
        html = mail_html(message)
        if html is not None:
            assert f'href="mailto:{EMAIL}"' in html and 'href="tel:0704416611"' in html, message.subject


def test_the_declaration_mail_names_the_contact_in_text_and_html(hr, mailbox):
    send_link(NewcomerFactory(kind=Kind.EXTERNAL, language="en"), by=hr, mailbox=mailbox)

    (message,) = mailbox()
    assert f"Questions? Contact {NAME}: {EMAIL}, {PHONE}" in message.body
    assert f'<a href="mailto:{EMAIL}">{EMAIL}</a>' in mail_html(message)


def test_allauths_mails_end_with_the_contact_too(hr, mailbox):
    Client().post(reverse("account_reset_password"), {"email": hr.email})
    Client().post(reverse("account_request_login_code"), {"email": hr.email})

    messages = mailbox()
    assert len(messages) == 2
    for message in messages:
        assert f"Neem contact op met {NAME}: {EMAIL}, {PHONE}" in message.body, message.subject


def mail_prefixes() -> list[str]:
    """Every mail of ours: a ``<prefix>_subject.txt`` beside its ``<prefix>.txt``."""
    return sorted(
        str(subject.relative_to(TEMPLATES)).removesuffix("_subject.txt")
        for subject in TEMPLATES.glob("*/email/*_subject.txt")
        if subject.with_name(subject.name.replace("_subject.txt", ".txt")).exists()
    )


def test_the_list_of_mails_is_complete():
    prefixes = mail_prefixes()
    assert "eed/email/witness_request" in prefixes and "onboarding/email/declaration_request" in prefixes
    assert len(prefixes) >= 12


@pytest.mark.parametrize("prefix", mail_prefixes())
def test_every_mail_template_ends_with_the_footer(prefix):
    html = (TEMPLATES / f"{prefix}.html").exists()
    texts = mail_texts(MailTemplates.named(prefix, html=html), {}, language="nl")

    assert re.search(rf"Neem contact op met {NAME}: {re.escape(EMAIL)}, {PHONE}\s*$", texts.text), texts.text
    if html:
        assert f'href="mailto:{EMAIL}"' in texts.html
