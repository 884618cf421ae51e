"""Calendar invites: one invite against a bare icalendar event, and a 1,000-ceremony feed cold and warm.

- ``ics_invite_ms``: one REQUEST (VTIMEZONE, 3 attendees, VALARM) built with icalendar from scratch
  (eed.calendar.ical keeps no per-event cache; the VTIMEZONE and headers are serialized once per process).
- ``ics_bare_event_ms``: the floor, an icalendar VEVENT with the same properties and ``to_ical()``,
  without VTIMEZONE or alarm (PERFORMANCE.md measured 0.21 ms).
- ``ics_invite_to_bare_ratio``: their ratio, goal <= 2 (a VTIMEZONE serialized per message costs ~3x).
- ``ics_feed_1000_cold_ms``: ``ical.feed_calendar`` of 1,000 ceremonies: what the first feed after
  every ceremony changed costs; goal < 300 ms (PERFORMANCE.md).
- ``ics_feed_1000_warm_ms``: the same feed through ``eed.calendar.feeds.feed_body`` once it is in
  Django's cache (the digest of the events and the cache read): what the feed view adds to its
  queries while nothing changed; goal < 100 ms for the whole view (benchmarks.calendar_feed).

``python -m benchmarks.ics_build`` (Django is set up only for the cache of the last figure.)
"""

import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import emit, median_of, setup_django

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
INVITES = 200  # per timed batch
RUNS = 9
FEED_SIZE = 1000


def make_events(count: int, *, prefix: str = "bench"):
    from eed.calendar.ical import CeremonyEvent, Person

    organizer = Person("eed@pzh.example.org", "Team Eed en onboarding")
    first = dt.datetime(2027, 1, 4, 10, 0, tzinfo=AMSTERDAM)
    return [
        CeremonyEvent(
            uid=f"{prefix}-{i}@eed.pzh.example.org",
            sequence=i % 4,
            starts_at=first + dt.timedelta(days=i // 3, hours=i % 3),
            ends_at=first + dt.timedelta(days=i // 3, hours=i % 3 + 1),
            summary=f"Eed of belofte — ceremonie {i}",
            location="Provinciehuis, Zuid-Hollandplein 1, Den Haag; Statenzaal",
            description="Programma:\n10:00 ontvangst met koffie\n10:15 eed of belofte\n\nMeenemen: geldig ID-bewijs.",
            url=f"https://eed.pzh.example.org/ceremonies/{i}/",
            organizer=organizer,
            attendees=(
                Person(f"newcomer{i}@example.org", "Zoë Özdemir-van den Berg"),
                Person(f"witness{i}@example.org", "Piet Jansen"),
                Person("secretaris@example.org", "Pieter Smit"),
            ),
            dtstamp=dt.datetime(2027, 1, 1, 12, 0, tzinfo=dt.UTC),
        )
        for i in range(count)
    ]


def bare_event(event) -> bytes:
    """The floor: the same properties with plain icalendar, no VTIMEZONE, no VALARM."""
    from icalendar import Event, vCalAddress

    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", event.dtstamp)
    vevent.add("dtstart", event.starts_at)
    vevent.add("dtend", event.ends_at)
    vevent.add("summary", event.summary)
    vevent.add("location", event.location)
    vevent.add("description", event.description)
    vevent.add("url", event.url)
    vevent.add("status", event.status)
    vevent.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{event.organizer.email}")
    organizer.params["CN"] = event.organizer.name
    vevent.add("organizer", organizer)
    for person in event.attendees:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params.update(
            {"CN": person.name, "CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION"}
        )
        attendee.params["RSVP"] = "TRUE"
        vevent.add("attendee", attendee, encode=False)
    return vevent.to_ical()


def main() -> None:
    from eed.calendar import ical

    invites = make_events(INVITES, prefix="invite")

    def build_invites():
        for event in invites:
            ical.request_calendar(event)

    def build_bare():
        for event in invites:
            bare_event(event)

    build_invites(), build_bare()  # warm up imports and code paths
    invite_ms = median_of(build_invites, RUNS) / INVITES * 1000
    bare_ms = median_of(build_bare, RUNS) / INVITES * 1000
    emit("ics_invite_ms", invite_ms, "ms")
    emit("ics_invite_bytes", len(ical.request_calendar(invites[0])), "bytes")
    emit("ics_bare_event_ms", bare_ms, "ms")
    emit("ics_invite_to_bare_ratio", invite_ms / bare_ms, "ratio", "<= 2")

    feed_events = make_events(FEED_SIZE)
    cold_ms = median_of(lambda: ical.feed_calendar(feed_events, name="Eed en onboarding"), RUNS) * 1000
    emit("ics_feed_1000_cold_ms", cold_ms, "ms", "< 300")

    setup_django()
    from eed.calendar import feeds

    warm, _etag = feeds.feed_body(feed_events, name="Eed en onboarding")
    warm_ms = median_of(lambda: feeds.feed_body(feed_events, name="Eed en onboarding"), RUNS) * 1000
    if ical.feed_calendar(feed_events, name="Eed en onboarding") != warm:
        raise SystemExit("the feed differs between a cold and a warm build")
    emit("ics_feed_1000_warm_ms", warm_ms, "ms", "< 100")
    emit("ics_feed_1000_bytes", len(warm), "bytes")


if __name__ == "__main__":
    main()
