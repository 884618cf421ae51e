"""Reads for the integrity declaration: links, a newcomer's declaration, the externals overview."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone, translation

from core.clock import local_today
from core.pdf_seal import seal
from core.tokens import token_digest, token_looks_valid
from onboarding.declarations.pdf import DeclarationPdfData, declaration_pdf
from onboarding.declarations.rules import shown_text, text_paragraphs, text_sha256
from onboarding.enums import Kind, TextKind
from onboarding.models import DeclarationRequest, DeclarationSignature, Newcomer
from onboarding.newcomers.selectors import with_status
from onboarding.organisation import organisation_current, organisation_data, text_current


@dataclass(frozen=True)
class LinkState:
    """What the public pages need to know about a link, read in one small query."""

    request_id: int
    newcomer_id: int
    language: str
    expires_at: datetime.datetime
    opened_at: datetime.datetime | None
    signature_id: int | None
    given_names: str
    surname_prefix: str
    surname: str

    full_name = property(Newcomer.full_name.fget)  # the registered name, exactly as the newcomer page shows it

    @property
    def is_signed(self) -> bool:
        return self.signature_id is not None


# The tables are the models' (DeclarationRequest, Newcomer, DeclarationSignature);
# the token digest and the kind are parameters.
LINK_SQL = (
    "SELECT r.id, r.newcomer_id, r.language, r.expires_at, r.opened_at, s.id,"
    " n.given_names, n.surname_prefix, n.surname"
    " FROM onboarding_declarationrequest r"
    " INNER JOIN onboarding_newcomer n ON n.id = r.newcomer_id"
    " LEFT JOIN onboarding_declarationsignature s ON s.request_id = r.id AND s.withdrawn_at IS NULL"
    " WHERE r.token_digest = %s AND r.invalidated_at IS NULL AND n.kind = %s"
)


def _aware(value):
    """SQLite hands back naive UTC datetimes from a plain cursor; PostgreSQL aware ones."""
    if value is None or timezone.is_aware(value):
        return value
    return value.replace(tzinfo=datetime.UTC)


def link_state(raw_token: str, *, now: datetime.datetime | None = None) -> LinkState | None:
    """The state of the active link for a token, or None for a link that cannot be used.

    Unknown, tampered, replaced and withdrawn links give None; so does an
    expired link unless it was signed (a signed link keeps showing its
    signature). Plain SQL on purpose: this is the signing page's hot path,
    where compiling the equivalent ORM query cost twenty times the query
    itself (benchmarks/sign_page.py).
    """
    if not token_looks_valid(raw_token):
        return None
    with connection.cursor() as cursor:
        cursor.execute(LINK_SQL, [token_digest(raw_token), Kind.EXTERNAL.value])
        row = cursor.fetchone()
    if row is None:
        return None
    state = LinkState(*row[:3], _aware(row[3]), _aware(row[4]), *row[5:])
    if not state.is_signed and state.expires_at <= (now or timezone.now()):
        return None
    return state


@dataclass(frozen=True)
class PageText:
    """The declaration text as the signing page shows it, and the hash of exactly that wording."""

    version: int
    valid_from: datetime.date
    title: str
    paragraphs: tuple[str, ...]
    sha256: str


# How long a page view may show the version in force a minute ago: texts are versions that are never
# edited, so this only delays a new version's first showing. Signing checks the version in force.
PAGE_TEXT_SECONDS = 60


def page_text(language: str, *, fresh: bool = False) -> PageText | None:
    """The declaration in force today in this language (else Dutch), as the page shows it.

    Kept in Django's cache for PAGE_TEXT_SECONDS under the language and the
    day, unless ``fresh`` (a posted form is checked against the text in
    force). Why: reading it through the ORM is ~0.45 ms of the page's ~1.6 ms,
    and without it the signing page falls below 0.3x a hello-world view
    (benchmarks/sign_page.py). A plain value, not the Text row, is kept.
    """
    key = f"declaration-page-text:{language}:{local_today().isoformat()}"
    found = None if fresh else cache.get(key)
    if found is None:
        text = text_current(TextKind.DECLARATION, language=language)
        if text is None:
            return None
        shown = shown_text(text)
        title, paragraphs = text_paragraphs(shown)
        found = PageText(
            version=text.version,
            valid_from=text.valid_from,
            title=title,
            paragraphs=tuple(paragraphs),
            sha256=text_sha256(shown),
        )
        cache.set(key, found, PAGE_TEXT_SECONDS)
    return found


def signature_valid_for(newcomer_id) -> DeclarationSignature | None:
    return (
        DeclarationSignature.objects.select_related("request", "text", "newcomer")
        .filter(newcomer_id=newcomer_id, withdrawn_at__isnull=True)
        .first()
    )


@dataclass(frozen=True)
class DeclarationSummary:
    """What the newcomer page shows of an external's declaration."""

    request: DeclarationRequest | None
    signature: DeclarationSignature | None
    withdrawn: list[DeclarationSignature]
    now: datetime.datetime

    @property
    def expired(self) -> bool:
        return self.request is not None and self.signature is None and self.request.expires_at <= self.now

    @property
    def can_send(self) -> bool:
        return self.signature is None


def declaration_summary(newcomer: Newcomer) -> DeclarationSummary:
    """The active link, the valid signature and the withdrawn ones (three small queries)."""
    signatures = list(
        DeclarationSignature.objects.select_related("withdrawn_by", "text").filter(newcomer=newcomer).order_by("-id")
    )
    return DeclarationSummary(
        request=newcomer.declaration_requests.filter(invalidated_at__isnull=True).select_related("sent_by").first(),
        signature=next((signature for signature in signatures if not signature.is_withdrawn), None),
        withdrawn=[signature for signature in signatures if signature.is_withdrawn],
        now=timezone.now(),
    )


def externals_overview(*, today: datetime.date | None = None) -> QuerySet:
    """Every external with status and the times of their active link and valid signature, in one query."""
    today = today or local_today()
    active = DeclarationRequest.objects.filter(newcomer=OuterRef("pk"), invalidated_at__isnull=True)
    signed = DeclarationSignature.objects.filter(newcomer=OuterRef("pk"), withdrawn_at__isnull=True)
    return with_status(Newcomer.objects.not_anonymised().filter(kind=Kind.EXTERNAL), today=today).annotate(
        sent_at=Subquery(active.values("sent_at")[:1]),
        opened_at=Subquery(active.values("opened_at")[:1]),
        expires_at=Subquery(active.values("expires_at")[:1]),
        signed_at=Subquery(signed.values("signed_at")[:1]),
        verification_code=Subquery(signed.values("verification_code")[:1]),
    )


def signature_pdf(signature: DeclarationSignature) -> bytes:
    """The copy as served and mailed: ``signature_issued_pdf`` with the organisation seal when one is configured."""
    return seal(signature_issued_pdf(signature))


def signature_issued_pdf(signature: DeclarationSignature) -> bytes:
    """The signer's PDF/A copy, in the language of the text signed; dated by the signature, so stable bytes."""
    title, paragraphs = text_paragraphs(shown_text(signature.text))
    letterhead = organisation_data(organisation_current(today=timezone.localdate(signature.signed_at)))
    data = DeclarationPdfData(
        organisation=letterhead.name,
        letterhead=letterhead,
        title=title,
        paragraphs=paragraphs,
        text_version=signature.text.version,
        text_sha256=signature.text_sha256,
        registered_name=signature.newcomer.full_name,
        signed_name=signature.signed_name,
        signed_at=signature.signed_at,
        verification_code=signature.verification_code,
        ip_address=signature.ip_address or "",
        user_agent=signature.user_agent,
        sent_at=signature.request.sent_at,
        opened_at=signature.request.opened_at,
        withdrawn_at=signature.withdrawn_at,
        withdrawal_reason=signature.withdrawal_reason,
    )
    with translation.override(signature.text.language):
        return declaration_pdf(data)
