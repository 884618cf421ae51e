from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone

from eed.management import demo
from eed.management.demo_history import demo_history


class Command(BaseCommand):
    help = "Create demo users for each role and a realistic set of newcomers (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates accounts with a known password; use --force outside DEBUG.")
        today = timezone.localdate()
        # The demo's mails stay in the queue (send_queued_mail delivers them), not on the console.
        with override_settings(OUTBOX_SEND_AFTER_COMMIT=False):
            users = demo.demo_users()
            managers = [user for email, user in users.items() if email.startswith("manager")]
            created = demo.demo_newcomers(managers=managers, today=today)
            demo.demo_officiants(users)
            sworn = demo_history(users=users)
            assigned = demo.demo_ceremonies(users=users, today=today)
        self.stdout.write(
            f"Demo data ready ({created} newcomers created, {sworn} sworn in 2021-2022, "
            f"{assigned} assigned to coming ceremonies)."
        )
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        self.stdout.write(
            f"HR and admin also need a code from an authenticator app with the secret {demo.DEMO_TOTP_SECRET}"
        )
        for email, _first, _last, roles in demo.DEMO_USERS:
            self.stdout.write(f"  {email:32} {', '.join(str(role.label) for role in roles)}")
