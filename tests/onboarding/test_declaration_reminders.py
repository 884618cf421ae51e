"""Unsigned externals are reminded after 7 and 14 days, once per step, with a fresh link."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from core.tokens import token_digest
from onboarding.declarations.reminders import declaration_reminders_send, reminder_step_due
from onboarding.declarations.services import declaration_sign
from onboarding.models import AuditEntry, DeclarationRequest
from tests.onboarding.declaration_support import external_fixture, send_link, token_from  # noqa: F401

pytestmark = pytest.mark.django_db

SENT_ON = datetime.date(2026, 11, 2)
SENT_AT = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def sent(external, mailbox):
    """A link sent on SENT_ON that expires 30 days later; the wall clock stays on the day it was sent.

    The reminder runs below act "as" later days (``today=``) while the wall clock
    stays here: what they decide must follow the day they are run as, not the clock.
    """
    with time_machine.travel(SENT_AT, tick=False):
        token = send_link(external, mailbox=mailbox, now=SENT_AT)
        DeclarationRequest.objects.update(expires_at=SENT_AT + datetime.timedelta(days=30))
        yield token


def _day(offset: int) -> datetime.date:
    return SENT_ON + datetime.timedelta(days=offset)


def test_the_steps_count_from_the_day_the_link_was_sent():
    assert [reminder_step_due(SENT_ON, _day(n), [7, 14]) for n in (0, 6, 7, 13, 14, 30)] == [0, 0, 1, 1, 2, 2]


def test_reminders_go_out_on_day_7_and_day_14_and_only_once_each(sent, mailbox):
    before = len(mailbox())
    days = (6, 7, 7, 8, 13, 14, 14, 15, 21)
    sent_by_day = [(n, declaration_reminders_send(today=_day(n))) for n in days]

    assert sent_by_day == [(6, 0), (7, 1), (7, 0), (8, 0), (13, 0), (14, 1), (14, 0), (15, 0), (21, 0)]
    assert len(mailbox()) - before == 2
    assert DeclarationRequest.objects.get().reminders_sent == 2
    assert AuditEntry.objects.filter(action="declaration.remind").count() == 2


def test_a_run_twice_on_the_same_day_sends_nothing_twice(sent, mailbox):
    assert declaration_reminders_send(today=_day(7)) == 1
    assert declaration_reminders_send(today=_day(7)) == 0


def test_a_missed_run_sends_one_reminder_not_two(sent, mailbox):
    before = len(mailbox())
    assert declaration_reminders_send(today=_day(20)) == 1
    assert declaration_reminders_send(today=_day(21)) == 0
    assert len(mailbox()) - before == 1


def test_the_reminder_carries_a_fresh_link_and_the_old_one_stops(sent, mailbox, client):
    declaration_reminders_send(today=_day(7))

    message = mailbox()[-1]
    fresh = token_from(message)
    assert "Herinnering" in message.subject
    assert fresh != sent
    assert DeclarationRequest.objects.get().token_digest == token_digest(fresh)
    assert client.get(f"/d/{sent}/").status_code == 404
    assert client.get(f"/d/{fresh}/").status_code == 200


def test_signed_expired_and_replaced_links_are_not_reminded(external, mailbox, settings):
    token = send_link(external, mailbox=mailbox, now=timezone.now() - datetime.timedelta(days=8))
    declaration_sign(raw_token=token, typed_name="Zoë Françoise van der Öster", confirmed=True, ip=None, user_agent="")
    assert declaration_reminders_send(today=timezone.localdate()) == 0

    settings.DECLARATION_LINK_DAYS = 5
    from tests.factories import NewcomerFactory

    expired = NewcomerFactory(kind="external")
    send_link(expired, mailbox=mailbox, now=timezone.now() - datetime.timedelta(days=8))
    assert declaration_reminders_send(today=timezone.localdate()) == 0


def test_a_run_as_a_day_decides_the_same_whatever_the_wall_clock_says(sent, mailbox):
    with time_machine.travel(SENT_AT + datetime.timedelta(days=730), tick=False):
        assert declaration_reminders_send(today=_day(7)) == 1
        assert declaration_reminders_send(today=_day(29)) == 1
    with time_machine.travel(SENT_AT + datetime.timedelta(days=29), tick=False):
        assert declaration_reminders_send(today=_day(31)) == 0  # expired on day 30, whatever the wall clock


def test_the_reminder_time_recorded_is_the_moment_of_the_day_run_as(sent):
    declaration_reminders_send(today=_day(7))
    reminded_at = DeclarationRequest.objects.get().last_reminded_at
    assert timezone.localdate(reminded_at) == _day(7)


def test_the_command_runs_every_reminder_and_prints_counts(sent):
    out = StringIO()
    call_command("send_reminders", "--today", _day(7).isoformat(), stdout=out)
    assert "declaration: 1 sent" in out.getvalue()
    out = StringIO()
    call_command("send_reminders", "--today", _day(7).isoformat(), stdout=out)
    assert "declaration: 0 sent" in out.getvalue()


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today"):
        call_command("send_reminders", "--today", "7 november")
