from django.core.management.base import BaseCommand

from onboarding.clock import WALL_CLOCK_NOTE
from onboarding.command_options import today_option
from onboarding.reminders import REMINDERS
from onboarding.selectors import local_today


class Command(BaseCommand):
    help = (
        "Send the reminders due today (run once a day from cron); running twice sends nothing twice. "
        "With --today every reminder is judged at the wall clock's time of day on that day. " + WALL_CLOCK_NOTE
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", metavar="YYYY-MM-DD", help="the day to act as today (default: today)")

    def handle(self, *args, today=None, **options):
        day = today_option(today) or local_today()
        for name, send in REMINDERS:
            self.stdout.write(f"{name}: {send(today=day)} sent")
