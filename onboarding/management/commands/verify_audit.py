from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max, Min
from django.utils import timezone, translation

from onboarding.audit.report_pdf import AuditReportData, audit_report_pdf
from onboarding.audit.trail import audit_verify
from onboarding.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain: exits 0 with the number of entries checked, "
        "or 1 naming the first entry that was changed or follows a removed one. "
        "With --report FILE.pdf the result is also written as a PDF/A for the independent checker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--report", metavar="FILE.pdf", help="Also write what was checked as a PDF/A file.")

    def handle(self, *args, **options):
        checked, broken, head = audit_verify()
        if options["report"]:
            self._report(Path(options["report"]), checked, broken, head)
        if broken is not None:
            raise CommandError(
                f"Audit trail broken at entry {broken.entry_id} ({broken.at.isoformat()}): {broken.reason}. "
                f"{checked} entries before it are intact.",
                returncode=1,
            )
        self.stdout.write(f"Audit trail intact: {checked} entries checked. Last hash: {head or '-'}")

    def _report(self, path: Path, checked, broken, head) -> None:
        span = AuditEntry.objects.aggregate(first=Min("at"), last=Max("at"))
        data = AuditReportData(
            organisation=settings.ORGANISATION_NAME,
            checked_at=timezone.now(),
            entries=checked,
            first_at=span["first"],
            last_at=span["last"],
            last_hash=head,
            break_entry=broken.entry_id if broken else None,
            break_at=broken.at if broken else None,
            break_reason=broken.reason if broken else "",
        )
        with translation.override(settings.LANGUAGE_CODE):
            content = audit_report_pdf(data)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write the report to {path}: {error.strerror}.", returncode=2) from error
        self.stdout.write(f"Report written to {path} (PDF/A-2b).")
