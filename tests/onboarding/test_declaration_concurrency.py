"""Two tabs, two requests at the same moment: exactly one signature (PostgreSQL, real transactions)."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client

from onboarding.enums import TextKind
from onboarding.models import DeclarationSignature, Text
from tests.onboarding.declaration_support import external_fixture, send_link, sign_data, sign_url  # noqa: F401

ATTEMPTS = 6


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_one_link_leave_exactly_one_signature(require_postgresql, external, mailbox):
    # A transactional test before this one may have flushed the texts the migrations load.
    Text.objects.get_or_create(
        kind=TextKind.DECLARATION,
        language="nl",
        version=1,
        defaults={"valid_from": datetime.date(2017, 1, 1), "title": "Integriteitsverklaring", "body": "Ik verklaar."},
    )
    token = send_link(external, mailbox=mailbox)
    data = sign_data(Client(), token)
    barrier = threading.Barrier(ATTEMPTS)
    statuses, errors = [], []

    def submit(number):
        try:
            client = Client(REMOTE_ADDR=f"192.0.2.{number + 1}")  # each its own address: no rate limit in the way
            barrier.wait(timeout=10)
            statuses.append(client.post(sign_url(token), data).status_code)
        except Exception as exc:  # reported below, with the thread's own error
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(statuses) == ATTEMPTS and set(statuses) <= {200, 302}, statuses
    assert statuses.count(302) >= 1
    assert DeclarationSignature.objects.count() == 1
