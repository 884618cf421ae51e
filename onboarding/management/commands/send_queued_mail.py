from django.core.management.base import BaseCommand, CommandError

from onboarding.mail.outbox import outbox_send_due


class Command(BaseCommand):
    help = (
        "Send queued mail that is due (run every minute from cron); failures are retried with backoff. "
        "It has no --today: mail is due by the wall clock (core.clock). "
        "The exit status is 1 when a message failed in this run (the others were still sent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="Most messages to send in this run.")

    def handle(self, *args, limit=500, **options):
        sent, failed = outbox_send_due(limit=limit)
        if sent or failed or options["verbosity"] > 1:
            self.stdout.write(f"Sent {sent}, failed {failed} (will retry).")
        if failed:
            raise CommandError(f"{failed} message(s) failed in this run; they will be retried (see the log).")
