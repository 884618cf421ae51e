"""A signature is evidence: it is never edited, only withdrawn by HR with a reason kept beside it."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from onboarding.declarations import services as declaration_services
from onboarding.declarations.rules import names_match, normalise_name, shown_text, text_sha256
from onboarding.declarations.services import declaration_sign, declaration_withdraw
from onboarding.models import AuditEntry, DeclarationSignature, Text
from tests.factories import UserFactory
from tests.mfa_support import give_totp, sign_in
from tests.onboarding.declaration_support import external_fixture, send_link  # noqa: F401

pytestmark = pytest.mark.django_db

NAME = "Zoë Françoise van der Öster"


@pytest.fixture
def signed(external, mailbox):
    token = send_link(external, mailbox=mailbox)
    signature = declaration_sign(raw_token=token, typed_name=NAME, confirmed=True, ip="192.0.2.1", user_agent="UA")
    return token, signature


@pytest.fixture
def admin_client_(db):
    client = Client()
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    give_totp(admin)  # administrators must have a second factor
    sign_in(client, admin)
    return client


# --- rules -----------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Zoë Françoise van der Öster",
        "zoe francoise van der oster",
        "  ZOË   FRANÇOISE VAN DER ÖSTER  ",
        "Zoe\tFrancoise van der Oster",
    ],
)
def test_case_accents_and_spacing_are_forgiven(typed):
    assert names_match(typed, NAME)


@pytest.mark.parametrize("typed", ["Zoë van der Öster", "Zoë Françoise Öster", "Zoë Françoise vander Öster", "", " "])
def test_other_names_do_not_match(typed):
    assert not names_match(typed, NAME)


def test_compatibility_forms_and_ligatures_are_normalised():
    assert normalise_name("\ufb01ona \uff24e \uff22oer") == "fiona de boer"  # "fi" ligature, full-width D and B
    assert normalise_name("Straße") == normalise_name("STRASSE")


def test_the_hash_is_sha256_of_the_utf8_text_shown():
    text = Text(title="Titel", body="Eerste alinea.\r\n\r\nTweede\r\nregel.\n\n\n\nDerde.")
    assert shown_text(text) == "Titel\n\nEerste alinea.\n\nTweede\nregel.\n\nDerde."
    assert text_sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert text_sha256("ë") == hashlib.sha256("ë".encode()).hexdigest()


# --- immutability --------------------------------------------------------------


def test_the_admin_shows_signatures_but_cannot_change_add_or_delete_them(signed, admin_client_):
    _, signature = signed
    change_url = reverse("admin:onboarding_declarationsignature_change", args=[signature.pk])

    assert admin_client_.get(reverse("admin:onboarding_declarationsignature_changelist")).status_code == 200
    page = admin_client_.get(change_url)
    assert page.status_code == 200 and 'name="signed_name"' not in page.content.decode()
    response = admin_client_.post(change_url, {"signed_name": "Someone Else", "text_sha256": "0" * 64})
    assert response.status_code == 403
    assert admin_client_.get(reverse("admin:onboarding_declarationsignature_add")).status_code == 403
    assert (
        admin_client_.post(reverse("admin:onboarding_declarationsignature_delete", args=[signature.pk])).status_code
        == 403
    )
    signature.refresh_from_db()
    assert signature.signed_name == NAME
    assert admin_client_.get(reverse("admin:onboarding_declarationrequest_changelist")).status_code == 200


def test_bulk_updates_of_signed_fields_are_refused(signed):
    _, signature = signed
    for field, value in [
        ("signed_name", "X"),
        ("text_sha256", "0" * 64),
        ("signed_at", None),
        ("ip_address", "1.1.1.1"),
    ]:
        with pytest.raises(ValueError, match="immutable"):
            DeclarationSignature.objects.filter(pk=signature.pk).update(**{field: value})
    assert DeclarationSignature.objects.get(pk=signature.pk).signed_name == NAME


def test_signing_again_through_the_services_changes_nothing(signed):
    token, signature = signed
    again = declaration_sign(
        raw_token=token, typed_name=NAME.upper(), confirmed=True, ip="10.9.9.9", user_agent="Other"
    )

    assert again.pk == signature.pk
    stored = DeclarationSignature.objects.get()
    assert (stored.signed_name, stored.ip_address, stored.user_agent) == (NAME, "192.0.2.1", "UA")


def test_the_database_allows_one_valid_signature_per_newcomer(signed):
    _, signature = signed
    with pytest.raises(IntegrityError), transaction.atomic():
        DeclarationSignature.objects.create(
            newcomer=signature.newcomer,
            request=signature.request,
            token_digest="x",
            text=signature.text,
            text_sha256="0" * 64,
            signed_name=NAME,
            signed_at=signature.signed_at,
            verification_code="other",
        )


def test_a_concurrent_insert_that_loses_returns_the_winners_signature(signed):
    _, signature = signed
    request = signature.request
    result, created = declaration_services._signature_create(
        request, signature.text, NAME, None, "", signature.signed_at
    )
    assert (result.pk, created) == (signature.pk, False)


def test_hr_withdraws_with_a_reason_that_is_kept_and_audited(signed, hr):
    _, signature = signed

    withdrawn = declaration_withdraw(signature=signature, by=hr, reason="  Signed on behalf of someone else  ")

    assert withdrawn.withdrawn_by == hr
    assert withdrawn.withdrawal_reason == "Signed on behalf of someone else"
    assert withdrawn.signed_name == NAME and withdrawn.text_sha256 == signature.text_sha256
    assert withdrawn.request.invalidated_at is not None
    assert AuditEntry.objects.filter(action="declaration.withdraw", actor=hr).exists()


def test_a_withdrawal_needs_a_reason_and_happens_once(signed, hr):
    _, signature = signed
    with pytest.raises(ValidationError):
        declaration_withdraw(signature=signature, by=hr, reason="   ")
    declaration_withdraw(signature=signature, by=hr, reason="Mistake")
    with pytest.raises(ValidationError):
        declaration_withdraw(signature=signature, by=hr, reason="Again")
    assert DeclarationSignature.objects.get().withdrawal_reason == "Mistake"


def test_the_database_refuses_a_withdrawal_without_reason(signed, hr):
    _, signature = signed
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        DeclarationSignature.objects.filter(pk=signature.pk).update(withdrawn_at=timezone.now(), withdrawn_by=hr)


def test_after_a_withdrawal_hr_can_send_a_new_link_and_the_external_signs_again(signed, hr, mailbox):
    _, signature = signed
    declaration_withdraw(signature=signature, by=hr, reason="Wrong version")

    token = send_link(signature.newcomer, by=hr, mailbox=mailbox)
    declaration_sign(raw_token=token, typed_name=NAME, confirmed=True, ip=None, user_agent="")

    assert DeclarationSignature.objects.count() == 2
    assert DeclarationSignature.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_a_signed_external_cannot_be_sent_another_link(signed, hr, mailbox):
    _, signature = signed
    with pytest.raises(ValidationError, match="al ondertekend"):
        send_link(signature.newcomer, by=hr, mailbox=mailbox)


def test_the_link_query_reads_the_models_own_tables():
    from onboarding.declarations.selectors import LINK_SQL
    from onboarding.models import DeclarationRequest, Newcomer

    for model in (DeclarationRequest, Newcomer, DeclarationSignature):
        assert f" {model._meta.db_table} " in LINK_SQL
