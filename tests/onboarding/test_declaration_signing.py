"""An external opens their personal link, reads the declaration and signs it, once."""

import datetime
import html
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from core.tokens import token_digest
from onboarding.declarations.rules import shown_text, text_sha256
from onboarding.enums import TextKind
from onboarding.models import AuditEntry, DeclarationRequest, DeclarationSignature, Text
from tests.onboarding.declaration_support import (  # noqa: F401 (fixtures)
    external_fixture,
    hidden_fields,
    mime,
    pdf_attachment,
    send_link,
    sign_data,
    sign_url,
)
from tests.pdf_checks import assert_pdfa_2b

pytestmark = pytest.mark.django_db

UNUSABLE = "Deze link kan niet worden gebruikt"


def test_the_request_mail_carries_a_personal_link_that_is_stored_hashed(external, hr, mailbox):
    send_link(external, by=hr, mailbox=mailbox)

    message = mailbox()[-1]
    token = re.search(r"/d/([A-Za-z0-9_-]+)/", message.body).group(1)
    request = DeclarationRequest.objects.get(newcomer=external)
    assert message.to == ["zoe.oster@example.org"]
    assert len(token) >= 22  # at least 128 bits, url-safe base64
    assert request.token_digest == token_digest(token)
    assert token not in str(list(DeclarationRequest.objects.values()))
    assert request.expires_at == request.sent_at + datetime.timedelta(days=30)
    assert "Zoë Françoise van der Öster" in message.body
    assert mime(message).get_body(preferencelist=("html",)) is not None
    assert AuditEntry.objects.filter(action="declaration.send", actor=hr).exists()


def test_the_mail_and_page_use_the_language_hr_chose(external, mailbox, client):
    token = send_link(external, mailbox=mailbox, language="en")

    assert "Please sign the integrity declaration" in mailbox()[-1].subject
    page = client.get(sign_url(token))
    assert page["Content-Language"] == "en"
    assert "Integrity declaration for externals" in page.content.decode()


def test_the_page_shows_the_full_current_text_and_opening_is_recorded(external, mailbox, client, settings):
    token = send_link(external, mailbox=mailbox)

    page = client.get(sign_url(token))

    text = Text.objects.get(kind=TextKind.DECLARATION, language="nl")
    content = page.content.decode()
    assert page.status_code == 200
    for paragraph in text.body.split("\n\n"):
        assert html.escape(paragraph, quote=False) in content
    assert settings.CODE_OF_CONDUCT_URL in content
    assert 'name="full_name"' in content and 'autocomplete="name"' in content
    assert '<label for="id_full_name"' in content and '<label for="id_confirmed"' in content
    assert DeclarationRequest.objects.get().opened_at is not None
    assert AuditEntry.objects.filter(action="declaration.open").count() == 1
    client.get(sign_url(token))
    assert AuditEntry.objects.filter(action="declaration.open").count() == 1


def _rendered_text(content: str) -> str:
    """The declaration as the page shows it: the heading and the paragraphs of the text block."""
    title = re.search(r'<h1 id="declaration-title">(.*?)</h1>', content, re.S).group(1)
    block = re.search(r'<div class="declaration-text" id="declaration-text">(.*?)</div>', content, re.S).group(1)
    paragraphs = [p.replace("<br>", "") for p in re.findall(r"<p>(.*?)</p>", block, re.S)]
    return "\n\n".join(html.unescape(part) for part in [title, *paragraphs])


def test_the_stored_hash_is_the_hash_of_exactly_what_the_page_showed(external, mailbox, client):
    token = send_link(external, mailbox=mailbox)
    page = client.get(sign_url(token))

    client.post(sign_url(token), sign_data(client, token))

    signature = DeclarationSignature.objects.get()
    assert _rendered_text(page.content.decode()) == shown_text(signature.text)
    assert signature.text_sha256 == text_sha256(_rendered_text(page.content.decode()))


def test_signing_records_the_evidence_and_the_link_then_shows_signed_on(external, mailbox):
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux) Firefox/140.0", REMOTE_ADDR="192.0.2.15")
    token = send_link(external, mailbox=mailbox)

    response = client.post(sign_url(token), sign_data(client, token, full_name="  ZOE   Françoise van der OSTER "))

    assert response.status_code == 302 and response["Location"] == sign_url(token)
    signature = DeclarationSignature.objects.get()
    assert signature.signed_name == "ZOE Françoise van der OSTER"  # as typed, spaces collapsed (text_rules)
    assert signature.ip_address == "192.0.2.15"
    assert signature.user_agent == "Mozilla/5.0 (X11; Linux) Firefox/140.0"
    assert signature.token_digest == token_digest(token)
    assert signature.request.newcomer == external
    assert signature.text.version == 1
    assert signature.signed_at.utcoffset() == datetime.timedelta(0)
    assert len(signature.verification_code) >= 16
    page = client.get(sign_url(token))
    assert "U heeft de integriteitsverklaring ondertekend" in page.content.decode()
    assert 'name="full_name"' not in page.content.decode()


def test_the_external_gets_the_pdf_copy_by_mail(external, mailbox, client):
    token = send_link(external, mailbox=mailbox)
    client.post(sign_url(token), sign_data(client, token))

    message = mailbox()[-1]
    assert message.to == ["zoe.oster@example.org"]
    assert pdf_attachment(message).startswith(b"%PDF")
    assert DeclarationSignature.objects.get().verification_code in message.body


def test_a_repeated_post_leaves_exactly_one_signature_and_one_mail(external, mailbox, client):
    token = send_link(external, mailbox=mailbox)
    data = sign_data(client, token)
    sent_before = len(mailbox())

    first = client.post(sign_url(token), data)
    second = client.post(sign_url(token), data)  # the second tab, or the browser's "resubmit"

    assert first.status_code == 302
    assert second.status_code == 200 and "U heeft de integriteitsverklaring ondertekend" in second.content.decode()
    assert DeclarationSignature.objects.count() == 1
    assert len(mailbox()) == sent_before + 1


@pytest.mark.parametrize(
    "typed",
    ["Zoe van der Oster", "Zoë Françoise Öster", "Zoë Françoise van der Öster-Jansen", "", "   "],
)
def test_a_name_that_does_not_match_is_refused_with_a_clear_message(external, mailbox, client, typed):
    token = send_link(external, mailbox=mailbox)

    response = client.post(sign_url(token), sign_data(client, token, full_name=typed))

    content = response.content.decode()
    assert response.status_code == 200
    assert DeclarationSignature.objects.count() == 0
    assert 'role="alert"' in content and 'href="#id_full_name"' in content
    assert "komt niet overeen met de naam die HR" in content or "Typ uw volledige naam" in content


def test_signing_without_confirming_is_refused(external, mailbox, client):
    token = send_link(external, mailbox=mailbox)
    data = sign_data(client, token)
    del data["confirmed"]

    response = client.post(sign_url(token), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="#id_confirmed"' in content
    assert ".:" not in content  # the summary does not glue a colon to the sentence that labels the checkbox
    assert DeclarationSignature.objects.count() == 0


def test_a_text_changed_after_the_page_was_shown_is_not_signed_unseen(external, mailbox, client):
    token = send_link(external, mailbox=mailbox)
    data = sign_data(client, token)
    Text.objects.create(
        kind=TextKind.DECLARATION,
        language="nl",
        version=2,
        valid_from=timezone.localdate(),
        title="Nieuw",
        body="Tekst",
    )

    response = client.post(sign_url(token), data)

    assert response.status_code == 200
    assert "is zojuist gewijzigd" in response.content.decode()
    assert DeclarationSignature.objects.count() == 0
    client.post(sign_url(token), sign_data(client, token))
    assert DeclarationSignature.objects.get().text.version == 2


def test_an_expired_link_shows_the_contact_hr_page(external, mailbox, client, settings):
    settings.DECLARATION_LINK_DAYS = 30
    token = send_link(external, mailbox=mailbox)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=30, seconds=1)):
        response = client.get(sign_url(token))
        post = client.post(sign_url(token), {"confirmed": "on", "full_name": "Zoë Françoise van der Öster"})

    assert response.status_code == post.status_code == 404
    assert UNUSABLE in response.content.decode()
    assert DeclarationSignature.objects.count() == 0


def test_a_signed_link_keeps_showing_signed_on_after_it_would_have_expired(external, mailbox, client):
    token = send_link(external, mailbox=mailbox)
    client.post(sign_url(token), sign_data(client, token))

    with time_machine.travel(timezone.now() + datetime.timedelta(days=400)):
        response = client.get(sign_url(token))

    assert response.status_code == 200
    assert "U heeft de integriteitsverklaring ondertekend" in response.content.decode()


def test_a_resend_invalidates_the_old_link(external, hr, mailbox, client):
    old = send_link(external, by=hr, mailbox=mailbox)
    new = send_link(external, by=hr, mailbox=mailbox)

    assert client.get(sign_url(old)).status_code == 404
    assert (
        client.post(sign_url(old), {"full_name": "Zoë Françoise van der Öster", "confirmed": "on"}).status_code == 404
    )
    assert client.get(sign_url(new)).status_code == 200
    assert DeclarationRequest.objects.filter(invalidated_at__isnull=True).count() == 1
    assert AuditEntry.objects.filter(action="declaration.resend").exists()


def _tampered(token: str) -> list[str]:
    flipped = ("A" if token[0] != "A" else "B") + token[1:]
    return [flipped, token[:-1], token[:20], token + "x", token.upper(), "nonsense", "x" * 200]


def test_tampered_and_truncated_links_all_get_the_same_page_as_unknown_ones(external, mailbox, client):
    token = send_link(external, mailbox=mailbox)
    unknown = client.get(sign_url("Q" * 43))

    for variant in _tampered(token):
        response = client.get(sign_url(variant))
        assert response.status_code == 404
        assert response.content == unknown.content, variant
    assert "Öster" not in unknown.content.decode()
    assert DeclarationRequest.objects.get().opened_at is None


def test_a_withdrawn_signature_link_gives_the_contact_hr_page(external, hr, mailbox, client):
    from onboarding.declarations.services import declaration_withdraw

    token = send_link(external, mailbox=mailbox)
    client.post(sign_url(token), sign_data(client, token))
    declaration_withdraw(signature=DeclarationSignature.objects.get(), by=hr, reason="Signed by a colleague")

    response = client.get(sign_url(token))
    assert response.status_code == 404 and UNUSABLE in response.content.decode()
    assert client.get(f"{sign_url(token)}pdf/").status_code == 404


def test_the_signer_downloads_the_pdf_through_the_same_link(external, mailbox, client):
    token = send_link(external, mailbox=mailbox)
    assert client.get(f"{sign_url(token)}pdf/").status_code == 404  # nothing signed yet
    client.post(sign_url(token), sign_data(client, token))

    response = client.get(f"{sign_url(token)}pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_pdfa_2b(response.content)
    assert response["Referrer-Policy"] == "no-referrer"


def test_every_visitor_gets_their_own_csrf_token_and_can_sign(external, mailbox):
    """The page is kept per link state; only the CSRF token differs, and each one works for its visitor."""
    token = send_link(external, mailbox=mailbox)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = [
        hidden_fields(client.get(sign_url(token)).content.decode())["csrfmiddlewaretoken"] for client in (first, second)
    ]

    assert tokens[0] != tokens[1]
    response = second.post(sign_url(token), sign_data(second, token))
    assert response.status_code == 302
    assert DeclarationSignature.objects.count() == 1


def test_the_page_shows_each_external_their_own_name_and_follows_a_rename(external, mailbox, client):
    from tests.factories import NewcomerFactory

    other = NewcomerFactory(kind="external", given_names="Ole", surname="Andersen")
    mine, theirs = send_link(external, mailbox=mailbox), send_link(other, mailbox=mailbox)

    assert "Zoë Françoise van der Öster" in client.get(sign_url(mine)).content.decode()
    assert "Ole Andersen" in client.get(sign_url(theirs)).content.decode()
    other.given_names = "Olaf"
    other.save()
    assert "Olaf Andersen" in client.get(sign_url(theirs)).content.decode()


def test_without_a_declaration_text_the_external_is_sent_to_hr_not_an_error(external, mailbox, client, caplog):
    token = send_link(external, mailbox=mailbox)
    Text.objects.filter(kind=TextKind.DECLARATION).delete()

    response = client.get(sign_url(token))

    assert response.status_code == 404 and UNUSABLE in response.content.decode()
    assert "No integrity declaration text" in caplog.text
