"""verify_audit --report FILE.pdf: what was checked, as a PDF/A for the independent checker (BIO 8.15.06)."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from pypdf import PdfReader

from onboarding.audit.report_pdf import AuditReportData, audit_report_pdf
from onboarding.models import AuditEntry
from tests.onboarding.test_audit import some_history
from tests.pdf_checks import assert_pdfa_2b

pytestmark = pytest.mark.django_db
CHECKED_AT = datetime.datetime(2026, 12, 4, 9, 30, tzinfo=datetime.UTC)


def report_text(path) -> str:
    content = path.read_bytes()
    assert_pdfa_2b(content)
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_the_report_says_how_many_entries_over_which_period_the_last_hash_and_no_breaks(hr, tmp_path):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC), tick=False):
        some_history(hr, count=3)
    report = tmp_path / "audit.pdf"

    with time_machine.travel(CHECKED_AT, tick=False):
        call_command("verify_audit", "--report", str(report), stdout=io.StringIO())

    text = report_text(report)
    head = AuditEntry.objects.order_by("id").last().hash
    assert "Controle van de audittrail" in text
    assert "Gecontroleerde regels 3" in text
    assert "2026-11-02 08:00:00 UTC" in text and "2026-12-04 09:30:00 UTC" in text
    assert head[:40] in text.replace(" ", "")
    assert "Geen" in text


def test_a_broken_chain_is_reported_in_the_file_and_by_the_exit_code(hr, tmp_path):
    some_history(hr, count=3)
    tampered = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=tampered.pk).update(action="newcomer.delete")
    report = tmp_path / "audit.pdf"

    with pytest.raises(CommandError) as error:
        call_command("verify_audit", "--report", str(report), stdout=io.StringIO())

    assert error.value.returncode == 1
    text = report_text(report)
    assert f"Regel {tampered.pk}" in text and "its content does not match its hash" in text


def test_a_report_that_cannot_be_written_says_so(hr, tmp_path):
    some_history(hr, count=1)
    with pytest.raises(CommandError, match="Cannot write the report") as error:
        call_command("verify_audit", "--report", str(tmp_path / "missing" / "audit.pdf"), stdout=io.StringIO())
    assert error.value.returncode == 2


def test_the_report_writes_its_figures_the_dutch_way_under_the_organisations_letterhead(tmp_path):
    data = AuditReportData(
        organisation="Provincie Zuid-Holland",
        checked_at=CHECKED_AT,
        entries=489_000,
        first_at=CHECKED_AT - datetime.timedelta(days=365),
        last_at=CHECKED_AT,
        last_hash="ab" * 32,
    )
    report = tmp_path / "audit.pdf"

    with translation.override("nl"):
        report.write_bytes(audit_report_pdf(data))

    text = report_text(report)
    assert "Gecontroleerde regels 489.000" in text
    assert text.startswith("Provincie Zuid-Holland")
    assert "Pagina 1" in text
