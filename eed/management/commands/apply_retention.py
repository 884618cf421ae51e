import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.clock import WALL_CLOCK_NOTE, local_today
from core.command_options import today_option
from eed.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Anonymise the people whose retention period (RETENTION_YEARS after their last start, deadline, end of "
        "engagement, ceremony or declaration) has passed, and clear old queued mail, invite copies and uploads. "
        "Run daily from cron; two runs at once never do anything twice. Who cannot be anonymised is logged "
        "and left for the next run, the others still are; the exit status is then 1. With --today the run acts "
        "at the wall clock's time of day on that day (cut-offs and the anonymisation time). " + WALL_CLOCK_NOTE
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", metavar="YYYY-MM-DD", help="the day to act as today (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="only count what would be removed")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, today=None, dry_run=False, format="text", **options):
        report = retention_apply(today=today_option(today) or local_today(), dry_run=dry_run)
        if format == "json":
            self.stdout.write(json.dumps(report.as_dict(), sort_keys=True))
        else:
            self._write_text(report, dry_run=dry_run)
        if report.failed:
            raise CommandError(f"{report.failed} person(s) or clean-up(s) failed (see the log); the rest was done.")

    def _write_text(self, report, *, dry_run: bool) -> None:
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"Retention {settings.RETENTION_YEARS} years: people whose last event was before {report.cutoff}."
        )
        for key, value in report.as_dict().items():
            if key not in ("dry_run", "cutoff", "failed"):
                self.stdout.write(f"{key.replace('_', ' ')} ({verb}): {value}")
        self.stdout.write(f"failed: {report.failed}")
