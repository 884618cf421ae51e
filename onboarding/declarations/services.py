"""Operations on integrity declarations: send, open, sign, withdraw, remind.

Keyword-only functions that hold their transaction, write the audit trail and
queue their mail in it (the mail queue is the EMAIL_BACKEND). A raw link token
exists only in the mail that carries it; the database keeps its SHA-256.

A signature is never changed: ``declaration_sign`` creates it and
``declaration_withdraw`` sets the withdrawal fields, nothing else does.
"""

import dataclasses
import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.events import DECLARATION_SIGNED, event_happened
from core.links import absolute_reverse
from core.pdf_seal import seal
from core.pdfa import sha256
from core.text_rules import signing_name
from core.tokens import token_new
from onboarding.audit.trail import audit_record
from onboarding.declarations.rules import names_match, shown_text, text_sha256
from onboarding.declarations.selectors import LinkState, link_state, signature_issued_pdf, signature_valid_for
from onboarding.enums import Kind, TextKind
from onboarding.mail.messages import mail_message
from onboarding.models import DeclarationRequest, DeclarationSignature, Newcomer
from onboarding.organisation import text_current

USER_AGENT_MAX = 1000
# How changes made through the external's personal link are marked in the audit trail.
VIA_LINK = "link:declaration"


class DeclarationLinkInvalid(Exception):
    """Unknown, tampered, expired, replaced or withdrawn link: the external must contact HR."""


def declaration_link(raw_token: str) -> str:
    return absolute_reverse("declaration_sign", kwargs={"token": raw_token})


@transaction.atomic
def declaration_request_send(*, newcomer: Newcomer, by, language: str | None = None, now=None) -> DeclarationRequest:
    """Mail the external a fresh personal link; an earlier link stops working."""
    now = now or timezone.now()
    newcomer = Newcomer.objects.select_for_update().get(pk=newcomer.pk)
    if newcomer.kind != Kind.EXTERNAL:
        raise ValidationError(_("Only externals sign the integrity declaration."))
    if DeclarationSignature.objects.filter(newcomer=newcomer, withdrawn_at__isnull=True).exists():
        raise ValidationError(_("%(name)s has already signed the declaration.") % {"name": newcomer.full_name})
    previous = newcomer.declaration_requests.filter(invalidated_at__isnull=True).first()
    if previous is not None:
        previous.invalidated_at = now
        previous.save(update_fields=["invalidated_at"])
    raw_token, digest = token_new()
    request = DeclarationRequest.objects.create(
        newcomer=newcomer,
        token_digest=digest,
        language=language or (previous.language if previous else newcomer.language),
        sent_at=now,
        sent_by=by if by is not None and by.is_authenticated else None,
        expires_at=now + datetime.timedelta(days=settings.DECLARATION_LINK_DAYS),
    )
    changes = {"newcomer": newcomer.pk, "language": request.language, "expires_at": request.expires_at.isoformat()}
    if previous is not None:
        changes["replaces"] = previous.pk
    audit_record(
        actor=by, action="declaration.resend" if previous else "declaration.send", target=request, changes=changes
    )
    _mail(request, "declaration_request", link=declaration_link(raw_token))
    return request


def declaration_open(*, raw_token: str, now=None) -> LinkState:
    """The state of a link; the first visit before signing is recorded as "opened"."""
    now = now or timezone.now()
    state = link_state(raw_token, now=now)
    if state is None:
        raise DeclarationLinkInvalid
    if state.opened_at is None and not state.is_signed:
        with transaction.atomic():
            if DeclarationRequest.objects.filter(pk=state.request_id, opened_at__isnull=True).update(opened_at=now):
                audit_record(
                    actor=None,
                    action="declaration.open",
                    target=DeclarationRequest(pk=state.request_id),
                    changes={"opened_at": now.isoformat()},
                    via=VIA_LINK,
                )
        state = dataclasses.replace(state, opened_at=now)
    return state


@transaction.atomic
def declaration_sign(
    *,
    raw_token: str,
    typed_name: str,
    confirmed: bool,
    ip: str | None,
    user_agent: str,
    language: str | None = None,
    shown_sha256: str | None = None,
    now=None,
) -> DeclarationSignature:
    """Sign through a link; signing again (a second tab, a repeated POST) returns the first signature.

    ``shown_sha256`` is the hash of the text the page showed: when the text in
    force changed since, nothing is signed and the external is asked to read
    the new text. The name is stored as ``signing_name`` normalises it, and
    refused when it is no name (digits, symbols, a heap of accents).
    """
    state = link_state(raw_token)
    if state is None:
        raise DeclarationLinkInvalid
    request = DeclarationRequest.objects.select_for_update().select_related("newcomer").get(pk=state.request_id)
    if request.invalidated_at is not None:
        raise DeclarationLinkInvalid
    existing = signature_valid_for(request.newcomer_id)
    if existing is not None:
        return existing
    signed_name = signing_name(typed_name, registered=request.newcomer.full_name)
    text = _check_and_choose_text(request, signed_name, confirmed, language, shown_sha256)
    now = now or timezone.now()
    signature, created = _signature_create(request, text, signed_name, ip, user_agent, now)
    if not created:  # a concurrent submit got there first
        return signature
    # The copy is dated by the signature, so it is the same bytes at every download: its hash is kept.
    copy = signature_issued_pdf(signature)
    signature.pdf_sha256 = sha256(copy)
    signature.save(update_fields=["pdf_sha256"])
    audit_record(
        actor=None,
        action="declaration.sign",
        target=signature,
        changes={
            "newcomer": request.newcomer_id,
            "text": text.pk,
            "text_sha256": signature.text_sha256,
            "pdf_sha256": signature.pdf_sha256,
        },
        via=VIA_LINK,
    )
    _mail(request, "declaration_signed", signature=signature, attachment=seal(copy))
    data = {"newcomerId": request.newcomer_id, "personnelNumber": request.newcomer.personnel_number}
    event_happened(DECLARATION_SIGNED, newcomer_id=request.newcomer_id, data={**data, "signedAt": now.isoformat()})
    return signature


def _check_and_choose_text(request, typed_name, confirmed, language, shown_sha256):
    if not confirmed:
        raise ValidationError(_("Confirm that you have read the declaration."), code="not_confirmed")
    if not names_match(typed_name, request.newcomer.full_name):
        raise ValidationError(name_mismatch_message(), code="name_mismatch")
    text = text_current(TextKind.DECLARATION, language=language or request.language)
    if text is None:
        raise ValidationError(_("The declaration text is missing. Please contact HR."), code="no_text")
    if shown_sha256 is not None and shown_sha256 != text_sha256(shown_text(text)):
        raise ValidationError(
            _("The declaration text has just been changed. Please read the new text and sign again."),
            code="text_changed",
        )
    return text


def name_mismatch_message() -> str:
    return _(
        "The name you typed does not match the name HR registered for you. Type your full name: "
        "given names, any prefix such as “van der”, and surname. Capitals and accents do not matter."
    )


def _signature_create(request, text, signed_name, ip, user_agent, now) -> tuple[DeclarationSignature, bool]:
    """(signature, created); the unique constraints turn a concurrent second insert into the first's signature."""
    try:
        with transaction.atomic():
            signature = DeclarationSignature.objects.create(
                newcomer=request.newcomer,
                request=request,
                token_digest=request.token_digest,
                text=text,
                text_sha256=text_sha256(shown_text(text)),
                signed_name=signed_name,
                signed_at=now,
                ip_address=ip,
                user_agent=(user_agent or "")[:USER_AGENT_MAX],
                verification_code=secrets.token_urlsafe(12),
            )
    except IntegrityError:
        existing = signature_valid_for(request.newcomer_id)
        if existing is None:
            raise
        return existing, False
    return signature, True


@transaction.atomic
def declaration_withdraw(*, signature: DeclarationSignature, by, reason: str, now=None) -> DeclarationSignature:
    """HR withdraws a signature, with a reason kept beside it; its link stops working."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the withdrawal."), code="reason_required")
    now = now or timezone.now()
    updated = DeclarationSignature.objects.filter(pk=signature.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=by, withdrawal_reason=reason
    )
    if not updated:
        raise ValidationError(_("This signature has already been withdrawn."), code="already_withdrawn")
    DeclarationRequest.objects.filter(pk=signature.request_id, invalidated_at__isnull=True).update(invalidated_at=now)
    audit_record(
        actor=by,
        action="declaration.withdraw",
        target=signature,
        changes={"newcomer": signature.newcomer_id, "withdrawn_at": now.isoformat(), "reason": reason},
    )
    return DeclarationSignature.objects.get(pk=signature.pk)


@transaction.atomic
def declaration_remind(*, request: DeclarationRequest, step: int, now=None) -> bool:
    """Send reminder number ``step`` with a fresh link (the old one stops working); False when not due.

    Idempotent: the step is recorded on the request, so a second run sends nothing again.
    """
    now = now or timezone.now()
    request = DeclarationRequest.objects.select_for_update().select_related("newcomer").get(pk=request.pk)
    if request.invalidated_at is not None or request.expires_at <= now or request.reminders_sent >= step:
        return False
    if signature_valid_for(request.newcomer_id) is not None:
        return False
    raw_token, request.token_digest = token_new()
    request.reminders_sent, request.last_reminded_at = step, now
    request.save(update_fields=["token_digest", "reminders_sent", "last_reminded_at"])
    audit_record(
        actor=None, action="declaration.remind", target=request, changes={"step": step}, via="command:send_reminders"
    )
    _mail(request, "declaration_reminder", link=declaration_link(raw_token))
    return True


def _mail(request: DeclarationRequest, template: str, *, attachment: bytes | None = None, **extra) -> None:
    """Queue a mail to the external, in the request's language, plain text with an HTML alternative."""
    context = {
        "newcomer": request.newcomer,
        "declaration_request": request,
        "code_of_conduct_url": settings.CODE_OF_CONDUCT_URL,
        **extra,
    }
    filename = format_lazy("{}.pdf", gettext_lazy("integrity-declaration"))
    mail_message(
        template=f"onboarding/email/{template}",
        context=context,
        to=request.newcomer.email,
        language=request.language,
        html=True,
        attachments=[(filename, attachment, "application/pdf")] if attachment is not None else [],
    ).send()
