"""Deliver the queued webhooks that are due (cron, every minute): ``python manage.py send_webhooks``."""

from django.core.management.base import BaseCommand

from api.webhooks.delivery import webhooks_send_due


class Command(BaseCommand):
    help = "Deliver the queued webhook events that are due, in order per newcomer, with retries."

    def handle(self, *args, **options):
        delivered, failed = webhooks_send_due()
        self.stdout.write(f"delivered {delivered}, failed {failed}")
