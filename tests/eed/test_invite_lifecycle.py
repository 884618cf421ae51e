"""The whole lifecycle through the app's own services, applied by real calendars (Radicale).

Every mail the services queue is delivered (send_queued_mail with the test
backend); each recipient's calendar app applies the calendar inside it. After
each step the event sits at the right UTC time for exactly the right people.
"""

import datetime as dt
import email
from email import policy
from zoneinfo import ZoneInfo

import pytest
import time_machine

from eed.ceremonies import services
from tests.eed.test_radicale_lifecycle import HOUR, CalendarApp, assert_sits_at
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


def _deliver_calendars(mailbox, apps) -> list[tuple[str, str]]:
    """Apply every calendar in the delivered mail to its recipient's app; (recipient, outcome) per mail."""
    outcomes = []
    for message in list(mailbox()):
        parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
        parts = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
        if parts:
            recipient = message.to[0]
            outcomes.append((recipient, apps[recipient].receive(parts[0].get_content().encode())))
    mailbox().clear()
    return outcomes


@pytest.mark.parametrize(
    ("first", "moved_to"),
    [
        (dt.datetime(2027, 6, 15, 10, 0, tzinfo=AMSTERDAM), dt.datetime(2027, 6, 22, 14, 0, tzinfo=AMSTERDAM)),
        (dt.datetime(2027, 1, 12, 10, 0, tzinfo=AMSTERDAM), dt.datetime(2027, 3, 30, 10, 0, tzinfo=AMSTERDAM)),
    ],
    ids=["summer", "winter"],
)
@time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC))  # both ceremonies still to come
def test_a_ceremony_lives_and_dies_in_everyones_calendar(
    radicale, hr, manager, other_manager, mailbox, first, moved_to
):
    officiant = OfficiantFactory(user__email="secretaris@example.org").user
    ceremony = CeremonyFactory(officiant=officiant, starts_at=first, ends_at=first + HOUR)
    newcomer = NewcomerFactory(email="zoe@example.org", manager=manager, start_date=dt.date(2026, 12, 1))
    newcomer.deadline = dt.date(2027, 12, 31)
    newcomer.save()
    people = ["zoe@example.org", "manager@example.org", "other.manager@example.org", "secretaris@example.org"]
    apps = {address: CalendarApp(radicale, address.split("@")[0].replace(".", "-")) for address in people}
    uid = f"{ceremony.uid}@eed.zuid-holland.nl"

    appointment, _raw = services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
    services.witness_answer(appointment=appointment, by=manager, confirm=True)
    _deliver_calendars(mailbox, apps)
    for address in ("zoe@example.org", "manager@example.org", "secretaris@example.org"):
        assert_sits_at(apps[address], uid, first, first + HOUR)

    services.ceremony_update(ceremony=ceremony, by=hr, starts_at=moved_to, ends_at=moved_to + HOUR)
    _deliver_calendars(mailbox, apps)
    for address in ("zoe@example.org", "manager@example.org", "secretaris@example.org"):
        assert_sits_at(apps[address], uid, moved_to, moved_to + HOUR)

    services.witness_replace(appointment=appointment, by=hr, witness=other_manager)
    services.witness_answer(appointment=appointment, by=other_manager, confirm=True)
    _deliver_calendars(mailbox, apps)
    assert apps["manager@example.org"].all_events() == []
    assert_sits_at(apps["other.manager@example.org"], uid, moved_to, moved_to + HOUR)

    services.ceremony_cancel(ceremony=ceremony, by=hr, reason="test")
    outcomes = _deliver_calendars(mailbox, apps)
    assert sorted(outcomes) == [
        ("other.manager@example.org", "deleted"),
        ("secretaris@example.org", "deleted"),
        ("zoe@example.org", "deleted"),
    ]
    for app in apps.values():
        assert app.all_events() == []
