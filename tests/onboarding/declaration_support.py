"""Helpers for the declaration tests: an external, a sent link, the page's hidden fields, the mail sent."""

import re

import pytest
from django.urls import reverse

from onboarding.declarations.services import declaration_request_send
from onboarding.enums import Kind
from tests.factories import NewcomerFactory
from tests.pdf_checks import assert_pdfa_2b

LINK = re.compile(r"/d/([A-Za-z0-9_-]+)/")


@pytest.fixture(name="external")
def external_fixture(db):
    """An external with accents in the name (imported under this name so tests can ask for ``external``)."""
    return NewcomerFactory(
        kind=Kind.EXTERNAL,
        given_names="Zoë Françoise",
        surname_prefix="van der",
        surname="Öster",
        email="zoe.oster@example.org",
    )


def token_from(message) -> str:
    return LINK.findall(message.body)[-1]


def send_link(newcomer, *, by=None, mailbox, **kwargs) -> str:
    """Send the declaration request and return the raw token from the mail that carried it."""
    declaration_request_send(newcomer=newcomer, by=by, **kwargs)
    return token_from(mailbox()[-1])


def sign_url(token: str) -> str:
    return reverse("declaration_sign", kwargs={"token": token})


def hidden_fields(html: str) -> dict:
    """The hidden inputs of a page, as a browser would post them."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def sign_data(client, token, **overrides) -> dict:
    """The form as the page fills it (hidden fields included), with the external's answers."""
    page = client.get(sign_url(token))
    data = {**hidden_fields(page.content.decode()), "confirmed": "on", "full_name": "zoe francoise van der oster"}
    data.update(overrides)
    return data


def mime(message):
    """A delivered (queued) message parsed back: its parts and attachments as sent."""
    import email
    from email import policy

    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def pdf_attachment(message, *, sealed: bool = False) -> bytes:
    (attachment,) = [part for part in mime(message).iter_attachments() if part.get_content_type() == "application/pdf"]
    content = attachment.get_content()
    assert_pdfa_2b(content, sealed=sealed)
    return content
