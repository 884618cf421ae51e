from django.core.management.base import BaseCommand, CommandError

from core.clock import WALL_CLOCK_NOTE, local_today
from core.command_options import today_option
from core.jobs import job_run, whole_step
from eed.ceremonies.reminders import deadline_digests_send, witness_reminders_send
from onboarding.declarations.reminders import declaration_reminders_send

# (name, function): run in turn, each on its own, a failing one does not stop the others.
REMINDERS = [
    ("declaration", declaration_reminders_send),
    ("witness", witness_reminders_send),
    ("deadline digest", deadline_digests_send),
]


class Command(BaseCommand):
    help = (
        "Send the reminders due today (run once a day from cron); running twice sends nothing twice. "
        "With --today every reminder is judged at the wall clock's time of day on that day. "
        "A reminder that fails is logged and reported, the others still go out; the exit status is then 1. "
        + WALL_CLOCK_NOTE
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", metavar="YYYY-MM-DD", help="the day to act as today (default: today)")

    def handle(self, *args, today=None, **options):
        day = today_option(today) or local_today()
        failed = 0
        for name, send in REMINDERS:
            with job_run() as run, whole_step(name) as step:
                sent = send(today=day)
            if step.failed:
                self.stdout.write(f"{name}: stopped by an error (see the log)")
            else:
                self.stdout.write(f"{name}: {sent} sent, {run.failed} failed")
            failed += run.failed
        if failed:
            raise CommandError(f"{failed} reminder(s) or step(s) failed (see the log); the others were sent.")
