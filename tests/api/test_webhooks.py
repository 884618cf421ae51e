"""Webhooks: events queued in the causing transaction, delivered signed, in order, once, through an outage."""

import datetime
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.utils import timezone

from api.models import ApiClient, WebhookDelivery
from api.webhooks.delivery import webhooks_send_due
from api.webhooks.signing import signature_valid
from core.events import CERTIFICATE_REVOKED, NEWCOMER_SWORN, event_happened
from eed.models import Certificate
from eed.proofs.certificates import certificate_revoke
from onboarding.declarations.services import declaration_sign
from onboarding.enums import Kind
from tests.api.support import register
from tests.eed.ceremony_day import assign, ceremony_on, newcomer, record, taken
from tests.factories import NewcomerFactory, OfficiantFactory
from tests.onboarding.declaration_support import send_link

pytestmark = pytest.mark.django_db


class Receiver:
    """An HR system's webhook endpoint on 127.0.0.1 that can go down and come back on the same port."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.received: list[dict] = []
        self.failing = 0  # answer this many requests with 503 first
        self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/eed"

    def up(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.failing:
                    receiver.failing -= 1
                    self.send_response(503)
                else:
                    receiver.received.append({"headers": dict(self.headers), "body": body})
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.down()


def sworn_then_revoked(hr, manager, officiant):
    OfficiantFactory(user=officiant)
    held = ceremony_on(-1, officiant=officiant)
    appointment = assign(held, newcomer(manager, personnel_number="P1"), hr, form="oath", witness=manager)
    record(held, hr, [taken(appointment)])
    certificate = Certificate.objects.get(appointment=appointment)
    certificate_revoke(certificate=certificate, by=hr, reason="Verkeerde naam")
    return appointment.newcomer


def test_an_outage_loses_nothing_and_each_event_arrives_once_in_order_signed(hr, manager, officiant, receiver, mailbox):
    credentials = register(name="SAP", scopes=["newcomers:read"], webhook_url=receiver.url)
    secret = credentials["webhook_secret"]
    sworn = sworn_then_revoked(hr, manager, officiant)
    external = NewcomerFactory(kind=Kind.EXTERNAL, given_names="Ilse", surname="Smits", personnel_number="X1")
    token = send_link(external, by=hr, mailbox=mailbox)
    declaration_sign(raw_token=token, typed_name="Ilse Smits", confirmed=True, ip=None, user_agent="test")

    assert webhooks_send_due() == (0, 2)  # down: the first of each newcomer fails, the revocation waits its turn
    assert receiver.received == []
    receiver.up()
    assert webhooks_send_due() == (0, 0)  # not due before the backoff
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert webhooks_send_due(now=later) == (3, 0)
    assert webhooks_send_due(now=later + datetime.timedelta(hours=1)) == (0, 0)

    bodies = [json.loads(hit["body"]) for hit in receiver.received]
    assert sorted(body["type"] for body in bodies) == ["certificate.revoked", "declaration.signed", "newcomer.sworn"]
    assert len({body["id"] for body in bodies}) == 3
    of_sworn = [body["type"] for body in bodies if body["data"]["newcomerId"] == sworn.pk]
    assert of_sworn == ["newcomer.sworn", "certificate.revoked"]
    for hit in receiver.received:
        headers = hit["headers"]
        assert headers["Webhook-Id"] == json.loads(hit["body"])["id"]
        assert signature_valid(
            secret=secret,
            timestamp=headers["Webhook-Timestamp"],
            body=hit["body"],
            header=headers["Webhook-Signature"],
            now=time.time(),
        )
        assert not signature_valid(
            secret="wrong",
            timestamp=headers["Webhook-Timestamp"],
            body=hit["body"],
            header=headers["Webhook-Signature"],
            now=time.time(),
        )
    assert not WebhookDelivery.objects.filter(delivered_at__isnull=True).exists()


def test_an_event_rolled_back_is_never_queued(hr):
    register(name="SAP", scopes=["newcomers:read"], webhook_url="http://127.0.0.1:9/hook")
    with pytest.raises(RuntimeError), transaction.atomic():
        event_happened(NEWCOMER_SWORN, newcomer_id=1, data={})
        assert WebhookDelivery.objects.count() == 1
        raise RuntimeError
    assert not WebhookDelivery.objects.exists()


def test_a_client_without_a_webhook_or_not_wanting_the_event_gets_nothing(hr, manager, officiant):
    register(name="Plain", scopes=["newcomers:read"])
    register(name="Picky", scopes=["newcomers:read"], webhook_url="http://127.0.0.1:9/hook")
    ApiClient.objects.filter(name="Picky").update(webhook_events="declaration.signed")
    sworn_then_revoked(hr, manager, officiant)
    assert not WebhookDelivery.objects.exists()


def test_a_receiver_answering_an_error_gets_the_event_again_with_the_same_id(receiver):
    register(name="AFAS", scopes=["newcomers:read"], webhook_url=receiver.url)
    receiver.up()
    receiver.failing = 1
    event_happened(NEWCOMER_SWORN, newcomer_id=7, data={"newcomerId": 7})
    event_happened(CERTIFICATE_REVOKED, newcomer_id=7, data={"newcomerId": 7})
    assert webhooks_send_due() == (0, 1)  # 503: the second waits behind the first
    delivery = WebhookDelivery.objects.order_by("pk").first()
    assert delivery.attempts == 1 and "503" in delivery.last_error
    assert webhooks_send_due(now=timezone.now() + datetime.timedelta(minutes=2)) == (2, 0)
    assert [json.loads(hit["body"])["type"] for hit in receiver.received] == ["newcomer.sworn", "certificate.revoked"]
    assert receiver.received[0]["headers"]["Webhook-Id"] == str(delivery.event_id)
