import datetime

from django.core.management.base import BaseCommand, CommandError

from onboarding.reminders import REMINDERS
from onboarding.selectors import local_today


class Command(BaseCommand):
    help = "Send the reminders due today (run once a day from cron); running twice sends nothing twice."

    def add_arguments(self, parser):
        parser.add_argument("--today", metavar="YYYY-MM-DD", help="the day to act as today (default: today)")

    def handle(self, *args, today=None, **options):
        day = self._day(today)
        for name, send in REMINDERS:
            self.stdout.write(f"{name}: {send(today=day)} sent")

    def _day(self, value) -> datetime.date:
        if value is None:
            return local_today()
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--today must be a date like 2026-11-29, not {value!r}.") from None
