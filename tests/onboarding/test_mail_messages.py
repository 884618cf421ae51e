"""onboarding.mail.messages: one mail, rendered in its recipient's language whatever language is active."""

import email
from email import policy
from types import SimpleNamespace

import pytest
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from onboarding.mail.messages import mail_message

CONTEXT = {"user": SimpleNamespace(email="a@example.org"), "link": "https://x/l/", "login_url": "https://x/login/"}


@pytest.mark.parametrize(
    ("language", "subject", "attachment"),
    [
        ("nl", "Uw account voor de planner", "integriteitsverklaring.pdf"),
        ("en", "Your account", "integrity-declaration.pdf"),
    ],
)
def test_subject_text_and_attachment_name_are_in_the_recipients_language(language, subject, attachment):
    with translation.override("nl" if language == "en" else "en"):
        message = mail_message(
            template="onboarding/email/invitation",
            context=CONTEXT,
            to="a@example.org",
            language=language,
            attachments=[(format_lazy("{}.pdf", gettext_lazy("integrity-declaration")), b"%PDF", "application/pdf")],
        )
        active = translation.get_language()

    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    assert active == ("nl" if language == "en" else "en")
    assert parsed["Subject"].startswith(subject)
    assert parsed["To"] == "a@example.org"
    assert [part.get_filename() for part in parsed.iter_attachments()] == [attachment]
    assert [part.get_content_type() for part in parsed.walk()] == ["multipart/mixed", "text/plain", "application/pdf"]


def test_without_a_language_the_mail_is_dutch():
    message = mail_message(template="onboarding/email/invitation", context=CONTEXT, to=["a@example.org"], language="")
    assert message.subject.startswith("Uw account")
