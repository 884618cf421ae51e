"""The organisation seal (PAdES) on proofs and declaration copies, with pyHanko; optional, settings-driven.

With ``PDF_SEAL_P12`` (a PKCS#12 file: key, seal certificate and its chain)
and ``PDF_SEAL_PASSWORD`` set, ``seal`` appends a PAdES B-B signature to a
finished PDF/A as an incremental update; with ``PDF_SEAL_TSA_URL`` (an RFC
3161 server) it carries a timestamp: B-T. Without them ``seal`` returns the
bytes as they were. An incremental update leaves the bytes before it as they
were, so the unsealed PDF/A (whose SHA-256 is recorded when a document is
issued) is the start of the sealed file: ``unsealed_candidates`` finds it.

``seal_check`` is what the verification page asks of an uploaded file: is
there a seal, does it cover the whole file unchanged, and is its signature
mathematically valid (trust in the certificate is for the reader's software;
the page says whose certificate it is).

pyHanko is imported where it is used, not with this module: it and its
cryptography stack add ~27 MB to every process (each web worker, each import)
that never seals or checks a file.
"""

from __future__ import annotations

import datetime
import functools
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from pyhanko.sign import signers

logger = logging.getLogger(__name__)
FIELD_NAME = "Organisatiezegel"
_EOF = b"%%EOF"


def seal_configured() -> bool:
    return bool(settings.PDF_SEAL_P12)


@functools.lru_cache(maxsize=4)
def _signer(path: str, password: str, modified: float) -> signers.SimpleSigner:
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode() or None)
    if signer is None:
        raise ValueError(f"PDF_SEAL_P12 could not be read with PDF_SEAL_PASSWORD: {path}")
    return signer


def configured_signer() -> signers.SimpleSigner:
    """The seal's signer, read once per file version (the P12 is read again when it changes)."""
    path = Path(settings.PDF_SEAL_P12)
    return _signer(str(path), settings.PDF_SEAL_PASSWORD, path.stat().st_mtime)


def seal(data: bytes) -> bytes:
    """The PDF sealed (PAdES B-B, or B-T with PDF_SEAL_TSA_URL); unchanged when no seal is configured."""
    if not seal_configured():
        return data
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.timestamps import HTTPTimeStamper

    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        name=settings.ORGANISATION_NAME,
    )
    signer = configured_signer()
    if settings.PDF_SEAL_TSA_URL:
        timestamper = HTTPTimeStamper(settings.PDF_SEAL_TSA_URL, timeout=10)
        try:
            return _sign(data, metadata, signer, timestamper)
        except Exception:
            # Still sealed (B-B), so still verifiable; the log says the timestamp is missing.
            logger.exception("The timestamp server did not answer: the document is sealed without a timestamp.")
    return _sign(data, metadata, signer, None)


def _sign(data: bytes, metadata, signer, timestamper) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    return signers.sign_pdf(writer, metadata, signer=signer, timestamper=timestamper).getvalue()


@dataclass(frozen=True)
class SealCheck:
    intact: bool  # the seal covers the whole file and its signature matches it
    signer: str  # the seal certificate's subject, as its software shows it
    ours: bool  # the certificate is the one configured here
    signed_at: datetime.datetime | None
    timestamped: bool


def _configured() -> signers.SimpleSigner | None:
    if not seal_configured():
        return None
    try:
        return configured_signer()
    except (OSError, ValueError):
        logger.warning("The organisation seal is configured but its PKCS#12 file cannot be read.")
        return None


def seal_check(data: bytes) -> SealCheck | None:
    """The first seal of an uploaded PDF, or None when it has none (or is no PDF pyHanko can read)."""
    if b"/ByteRange" not in data:  # no signature dictionary: not worth parsing
        return None
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception:  # untrusted input: whatever fails to read (zlib, decimal, asserts ...) has no readable seal
        return None
    if not signatures:
        return None
    embedded = signatures[0]
    ours = _configured()
    # Trust is anchored in the configured seal's own chain: enough to check the signature, offline.
    roots = list(ours.cert_registry) if ours is not None else []
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        return _checked(validate_pdf_signature(embedded, context, skip_diff=True), ours)
    except Exception:  # a malformed signature is simply not intact
        logger.info("An uploaded PDF has a signature that could not be validated.", exc_info=True)
        return SealCheck(intact=False, signer="", ours=False, signed_at=None, timestamped=False)


def _checked(status, ours: signers.SimpleSigner | None) -> SealCheck:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    certificate = status.signing_cert
    return SealCheck(
        intact=bool(status.intact and status.valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE),
        signer=certificate.subject.human_friendly if certificate is not None else "",
        ours=ours is not None and certificate is not None and certificate.dump() == ours.signing_cert.dump(),
        signed_at=status.signer_reported_dt
        or (status.timestamp_validity.timestamp if status.timestamp_validity else None),
        timestamped=status.timestamp_validity is not None,
    )


def unsealed_candidates(data: bytes) -> list[bytes]:
    """Each earlier revision of the file (the bytes up to an earlier %%EOF and its line end), latest first."""
    candidates = []
    start = 0
    while (found := data.find(_EOF, start)) != -1:
        end = found + len(_EOF)
        for ending in (b"\r\n", b"\n", b"\r"):
            if data.startswith(ending, end):
                end += len(ending)
                break
        if end < len(data):
            candidates.append(data[:end])
        start = found + len(_EOF)
    return candidates[::-1]
