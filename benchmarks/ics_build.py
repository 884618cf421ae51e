"""Calendar invites: one invite against a bare icalendar event, and a 1,000-ceremony feed cold and warm.

- ``ics_invite_ms``: one REQUEST (VTIMEZONE, 3 attendees, VALARM), rendered from scratch (cache cleared).
  eed.calendar.ical writes the VEVENT text itself (no icalendar ``Event``), so this is well below the floor.
- ``ics_bare_event_ms``: the floor, an icalendar VEVENT with the same properties and ``to_ical()``,
  without VTIMEZONE or alarm (PERFORMANCE.md measured 0.21 ms).
- ``ics_invite_to_bare_ratio``: their ratio, goal <= 2 (a VTIMEZONE built per message costs ~5x).
- ``ics_feed_1000_cold_ms``: a feed of 1,000 ceremonies none of which was rendered before (VEVENT and
  address caches cleared; the VTIMEZONE and headers are built once per process): what the first feed
  after a process start or after every ceremony changed costs; goal < 100 ms (issue #3).
- ``ics_feed_1000_warm_ms``: the same feed again, every VEVENT cached: what the feed view costs while
  nothing changed; goal < 100 ms.

No database: the renderer is pure. ``python -m benchmarks.ics_build``
"""

import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import emit, median_of

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
            ical.clear_cache()
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

    def cold_feed():
        ical.clear_cache()
        return ical.feed_calendar(feed_events, name="Eed en onboarding")

    cold_ms = median_of(cold_feed, RUNS) * 1000
    warm = ical.feed_calendar(feed_events, name="Eed en onboarding")
    warm_ms = median_of(lambda: ical.feed_calendar(feed_events, name="Eed en onboarding"), RUNS) * 1000
    if cold_feed() != warm:
        raise SystemExit("the feed differs between a cold and a warm build")
    emit("ics_feed_1000_cold_ms", cold_ms, "ms", "< 100")
    emit("ics_feed_1000_warm_ms", warm_ms, "ms", "< 100")
    emit("ics_feed_1000_bytes", len(warm), "bytes")


if __name__ == "__main__":
    main()
