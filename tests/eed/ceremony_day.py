"""Helpers for the ceremony-day stories: a ceremony held yesterday, its newcomers, the sheet, the PDFs."""

import datetime
import io
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from django.utils import timezone
from pypdf import PdfReader

from eed.ceremonies import services
from eed.enums import Outcome
from eed.proofs.attendance import AttendanceRow, ceremony_record_attendance
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory
from tests.parts import missing_part
from tests.pdf_checks import assert_pdfa_2b


def at(days: int, hour: int = 10) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def ceremony_on(days: int = -1, *, officiant=None, **fields):
    """A planned ceremony ``days`` from today (yesterday by default)."""
    officiant = officiant or OfficiantFactory(user__first_name="Pieter", user__last_name="Smit").user
    fields.setdefault("capacity", 30)
    return CeremonyFactory(starts_at=at(days), ends_at=at(days, hour=11), officiant=officiant, **fields)


def newcomer(manager=None, *, started_days_ago: int = 30, **fields):
    start = timezone.localdate() - datetime.timedelta(days=started_days_ago)
    return NewcomerFactory(manager=manager, start_date=start, **fields)


def assign(ceremony, person, hr, *, form: str = "", witness=None, late_reason: str = ""):
    appointment, _raw = services.appointment_assign(
        newcomer=person, ceremony=ceremony, by=hr, witness=witness, late_reason=late_reason
    )
    if form:
        services.appointment_newcomer_choose(appointment=appointment, form=form)
        appointment.refresh_from_db()
    return appointment


def taken(appointment, *, form: str = "oath", witness=None, witness_name: str = "", adapted: str = ""):
    witness = witness if witness is not None or witness_name else appointment.witness
    return AttendanceRow(
        appointment_id=appointment.pk,
        outcome=Outcome.TAKEN,
        form_used=form,
        adapted_manner_used=adapted,
        witness_present=witness,
        witness_present_name=witness_name,
    )


def absent(appointment):
    return AttendanceRow(appointment_id=appointment.pk, outcome=Outcome.ABSENT)


def record(ceremony, by, rows):
    return ceremony_record_attendance(ceremony=ceremony, by=by, rows=rows)


def pdf_text(pdf: bytes) -> str:
    """The text of every page, with runs of white space made single spaces (the file checked as PDF/A-2b)."""
    assert_pdfa_2b(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_pages(pdf: bytes) -> list[str]:
    assert_pdfa_2b(pdf)
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def require_tool(name: str) -> str:
    """The path of a command-line tool; skip without it locally, fail in CI (REQUIRE_ALL=1)."""
    path = shutil.which(name)
    if path is None:
        missing_part(f"{name} is missing: apt-get install poppler-utils zbar-tools")
    return path


def decode_qr_codes(pdf: bytes, directory: Path) -> list[str | None]:
    """Render each page at 150 dpi with pdftoppm and read its QR code with zbarimg (an independent decoder).

    One entry per page: the decoded text, or None for a page without a code.
    """
    assert_pdfa_2b(pdf)
    pdftoppm, zbarimg = require_tool("pdftoppm"), require_tool("zbarimg")
    source = directory / "proof.pdf"
    source.write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", "150", "-png", str(source), str(directory / "page")], check=True)
    found = []
    for page in sorted(directory.glob("page-*.png")):
        result = subprocess.run(
            [zbarimg, "--raw", "-q", "--nodbus", "-Sbinary", str(page)], capture_output=True, check=False
        )
        assert result.returncode in (0, 4), f"zbarimg failed on {page.name}: {result.stderr!r}"
        found.append(result.stdout.decode("utf-8").strip() if result.returncode == 0 else None)
    return found


def path_of(url: str) -> str:
    return urlsplit(url).path
