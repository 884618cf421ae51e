"""The webhooks' side of the domain events: each event becomes a queued delivery for every client that
wants it, written in the transaction of the change that caused it (core.events).

Connected by ``ApiConfig.ready``; imported by apps.py before the models load, so the models are looked
up when an event comes, not imported here.
"""

import datetime
import json
import uuid

from django.apps import apps
from django.utils import timezone


def event_body(*, event_id: uuid.UUID, name: str, data: dict, at: datetime.datetime) -> str:
    body = {"id": str(event_id), "type": name, "occurredAt": at.astimezone(datetime.UTC).isoformat(), "data": data}
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def webhooks_queue(sender, *, name: str, newcomer_id: int, data: dict, **kwargs) -> None:
    ApiClient, WebhookDelivery = apps.get_model("api", "ApiClient"), apps.get_model("api", "WebhookDelivery")
    now = timezone.now()
    deliveries = []
    for client in ApiClient.objects.exclude(webhook_url=""):
        if client.wants(name):
            event_id = uuid.uuid4()
            deliveries.append(
                WebhookDelivery(
                    client=client,
                    event_id=event_id,
                    event=name,
                    newcomer_id=newcomer_id,
                    body=event_body(event_id=event_id, name=name, data=data, at=now),
                    next_attempt_at=now,
                )
            )
    WebhookDelivery.objects.bulk_create(deliveries)
