"""Delivering queued webhooks: in order per client and newcomer, retried with backoff, never lost.

``manage.py send_webhooks`` (cron, every minute) runs ``webhooks_send_due``. Each delivery is sent while
its row is locked (``skip_locked``: two workers never send the same one). A delivery waits while an earlier
one for the same client and newcomer is not delivered, so a receiver sees each newcomer's events in order.
Any answer but 2xx, or no answer, is a failure: tried again after 1, 2, 4 … minutes (at most six hours),
given up after MAX_ATTEMPTS (visible in the admin with the last error). Delivery is at least once: a
crash between the receiver's 2xx and the commit sends it again, with the same ``Webhook-Id``.
"""

import datetime
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api.models import WebhookDelivery
from api.webhooks.signing import signature

MAX_ATTEMPTS = 15
MAX_BACKOFF = datetime.timedelta(hours=6)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is a failure: the URL is what the administrator configured


_opener = urllib.request.build_opener(_NoRedirects)


def backoff(attempts: int) -> datetime.timedelta:
    return min(datetime.timedelta(minutes=2 ** (attempts - 1)), MAX_BACKOFF)


def _post(delivery: WebhookDelivery) -> None:
    """Raises on anything but a 2xx answer."""
    if not delivery.client.webhook_url.startswith(("https://", "http://")):
        raise ValueError("The webhook URL is not http(s).")
    body = delivery.body.encode()
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 (http(s) only, checked above)
        delivery.client.webhook_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "eed-onboarding-webhooks/1",
            "Webhook-Id": str(delivery.event_id),
            "Webhook-Timestamp": str(timestamp),
            "Webhook-Signature": signature(secret=delivery.client.webhook_secret, timestamp=timestamp, body=body),
        },
    )
    with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(request.full_url, response.status, "not 2xx", response.headers, None)


def _pending():
    return WebhookDelivery.objects.filter(delivered_at__isnull=True, given_up_at__isnull=True)


def webhook_deliver(*, pk: int, now=None) -> bool | None:
    """One attempt; True delivered, False failed, None when not due or waiting for an earlier one."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = _pending().select_for_update(skip_locked=True).select_related("client").filter(pk=pk).first()
        if delivery is None or delivery.next_attempt_at > now:
            return None
        earlier = _pending().filter(client=delivery.client_id, newcomer_id=delivery.newcomer_id, pk__lt=pk)
        if earlier.exists():
            return None
        try:
            _post(delivery)
        except (OSError, ValueError) as exc:  # URLError, HTTPError, timeouts, refused connections, bad URLs
            delivery.attempts += 1
            delivery.last_error = str(exc)[:1000]
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.given_up_at = now
            delivery.save(update_fields=["attempts", "last_error", "next_attempt_at", "given_up_at"])
            return False
        delivery.attempts += 1
        delivery.delivered_at = timezone.now()
        delivery.save(update_fields=["attempts", "delivered_at"])
        return True


def webhooks_send_due(*, now=None, limit: int = 500) -> tuple[int, int]:
    """(delivered, failed) of one run over the due deliveries, oldest first."""
    now = now or timezone.now()
    due = list(_pending().filter(next_attempt_at__lte=now).order_by("pk").values_list("pk", flat=True)[:limit])
    delivered = failed = 0
    for pk in due:
        outcome = webhook_deliver(pk=pk, now=now)
        delivered += outcome is True
        failed += outcome is False
    return delivered, failed
