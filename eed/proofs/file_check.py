"""Is an uploaded file exactly a proof or declaration copy we issued? (the verification page's upload, #17)

Recognised by SHA-256 only: the hash of the whole file, or, for a sealed
file whose seal covers it unchanged, of the PDF/A revision the seal was put
on (core/pdf_seal.py); the page then says whether the seal is by our current
seal certificate. Anything else, one changed byte included, is "not a
document we issued". Nothing of the file is kept.
"""

import hashlib
from dataclasses import dataclass

from core.pdf_seal import SealCheck, seal_check, unsealed_candidates
from eed.models import Certificate
from onboarding.models import DeclarationSignature

# What a verdict can be; the template words each.
ISSUED = "issued"
NOT_ISSUED = "not_issued"
SEAL_BROKEN = "seal_broken"
# Earlier revisions tried, latest first: a file we sealed has one before its seal (the PDF/A issued).
MAX_REVISIONS = 8


@dataclass(frozen=True)
class FileVerdict:
    outcome: str
    certificate: Certificate | None = None
    signature: DeclarationSignature | None = None
    seal: SealCheck | None = None

    @property
    def revoked(self) -> bool:
        if self.certificate is not None:
            return self.certificate.is_revoked
        return self.signature is not None and self.signature.withdrawn_at is not None


def _issued(digest: str) -> tuple[Certificate | None, DeclarationSignature | None]:
    certificate = Certificate.objects.of_kept_people().select_related("organisation").filter(pdf_sha256=digest).first()
    if certificate is not None:
        return certificate, None
    signature = DeclarationSignature.objects.filter(pdf_sha256=digest, newcomer__anonymised_at__isnull=True).first()
    return None, signature


def file_verdict(data: bytes) -> FileVerdict:
    certificate, signature = _issued(hashlib.sha256(data).hexdigest())
    if certificate or signature:
        return FileVerdict(ISSUED, certificate=certificate, signature=signature)
    if not data.startswith(b"%PDF-"):
        return FileVerdict(NOT_ISSUED)
    seal = seal_check(data)
    if seal is None:
        return FileVerdict(NOT_ISSUED)
    if not seal.intact:
        return FileVerdict(SEAL_BROKEN if seal.ours else NOT_ISSUED, seal=seal)
    # An intact seal by another certificate (an earlier seal certificate of ours, or anyone's) on the
    # revision we issued: the page says whose seal it is.
    for candidate in unsealed_candidates(data)[:MAX_REVISIONS]:
        certificate, signature = _issued(hashlib.sha256(candidate).hexdigest())
        if certificate or signature:
            return FileVerdict(ISSUED, certificate=certificate, signature=signature, seal=seal)
    return FileVerdict(NOT_ISSUED, seal=seal)
