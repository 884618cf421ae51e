"""Calendar invites for ceremonies: a pure iCalendar renderer (data in, bytes out).

Knows nothing of Django, models or requests. The caller turns a ceremony into a
``CeremonyEvent`` (texts already translated) and gets the bytes of one message:

    event = CeremonyEvent(uid="ceremony-42@eed.example.org", sequence=0, starts_at=..., ends_at=...,
                          summary="Eed of belofte", location="Zuid-Hollandplein 1, Den Haag",
                          description="Programma: ...", organizer=Person("hr@example.org", "HR"),
                          attendees=(newcomer, witness, officiant), dtstamp=now_utc)
    request_calendar(event)                                   # METHOD:REQUEST, to every current attendee
    cancel_calendar(replace(event, sequence=1))               # METHOD:CANCEL, the ceremony is off
    cancel_calendar(replace(event, sequence=1), attendees=(old_witness,))  # only the removed person
    feed_calendar([event, ...], name="Mijn ceremonies")       # METHOD:PUBLISH, a subscribed feed
    calendar_method(ics)                                      # "REQUEST": the mail part's method=

The rules (docs in shared/ICS.md): one UID per ceremony for its whole life, an
integer SEQUENCE that grows with every change sent, DTSTAMP in UTC, exactly one
VEVENT per mail, times with TZID=Europe/Amsterdam and a VTIMEZONE of one yearly
STANDARD and one yearly DAYLIGHT rule (not icalendar's RDATE list, which vobject
and so Radicale read one hour off in summer), CRLF, lines folded at 75 octets
without splitting a UTF-8 sequence.

Speed: the VTIMEZONE and the calendar headers are built once; each VEVENT's text
is cached with the whole event value as key (every field that changes the text is
part of it), so a feed of events already rendered is a concatenation, and the same
input always gives the same bytes (usable for an ETag).
"""

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vDuration

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PRODID = "-//Provincie Zuid-Holland//Eed en onboarding//NL"

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"

CONFIRMED = "CONFIRMED"
CANCELLED = "CANCELLED"
STATUSES = (CONFIRMED, CANCELLED)

# A sanity cap: a ceremony is never changed a million times, a Unix timestamp is far above it.
MAX_SEQUENCE = 1_000_000

# How many rendered VEVENTs stay cached per process (about 1-2 KB each).
VEVENT_CACHE_SIZE = 10_000

CRLF = b"\r\n"
_FOLD_LIMIT = 75  # octets per line, excluding the CRLF (RFC 5545, 3.1)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_END = b"END:VCALENDAR\r\n"


@dataclass(frozen=True)
class Person:
    """Someone in a ceremony: an e-mail address and a display name (CN)."""

    email: str
    name: str
    language: str = "nl"

    def __post_init__(self):
        object.__setattr__(self, "email", str(self.email).strip())
        object.__setattr__(self, "name", str(self.name or ""))
        if not self.email or "@" not in self.email or _CONTROL.search(self.email) or " " in self.email:
            raise ValueError(f"Not an e-mail address: {self.email!r}")

    @property
    def address(self) -> str:
        """The address in lower case, for comparisons."""
        return self.email.lower()


@dataclass(frozen=True, kw_only=True)
class CeremonyEvent:
    """One ceremony as calendar data. Times must be aware; they are written in Europe/Amsterdam.

    ``uid`` stays the same for the ceremony's whole life; ``sequence`` is the stored integer,
    raised by the caller with every change sent. ``dtstamp`` (aware) is written in UTC: pass a
    stored value (e.g. when the ceremony last changed) so unchanged input gives unchanged bytes.
    ``alarm_minutes=None`` leaves the reminder out.
    """

    uid: str
    sequence: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    location: str
    description: str
    organizer: Person
    attendees: tuple[Person, ...]
    dtstamp: dt.datetime
    url: str = ""
    status: str = CONFIRMED
    alarm_minutes: int | None = 1440

    def __post_init__(self):
        for name in ("uid", "summary", "location", "description", "url", "status"):  # lazy translations -> str
            value = getattr(self, name)
            object.__setattr__(self, name, "" if value is None else str(value))
        object.__setattr__(self, "attendees", tuple(self.attendees))
        if not self.uid or _CONTROL.search(self.uid):
            raise ValueError(f"Bad UID: {self.uid!r}")
        if not self.summary.strip():
            raise ValueError("summary must not be empty")
        if type(self.sequence) is not int or not 0 <= self.sequence <= MAX_SEQUENCE:
            raise ValueError(
                f"SEQUENCE must be an integer from 0 to {MAX_SEQUENCE} (never a timestamp), not {self.sequence!r}"
            )
        for name in ("starts_at", "ends_at", "dtstamp"):
            value = getattr(self, name)
            if not isinstance(value, dt.datetime) or value.utcoffset() is None:
                raise ValueError(f"{name} must be an aware datetime, not {value!r}")
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")
        if self.alarm_minutes is not None and (type(self.alarm_minutes) is not int or self.alarm_minutes < 0):
            raise ValueError(f"alarm_minutes must be an integer >= 0 or None, not {self.alarm_minutes!r}")


# --- public API ------------------------------------------------------------------


def request_calendar(event: CeremonyEvent) -> bytes:
    """METHOD:REQUEST with every current attendee (the organizer left out): an invite or a change."""
    if event.status != CONFIRMED:
        raise ValueError("A cancelled ceremony is sent with cancel_calendar(), never as a REQUEST")
    if not _attendees(event.attendees, event.organizer):
        raise ValueError("A REQUEST needs at least one attendee besides the organizer")
    return _HEADERS[REQUEST] + _VTIMEZONE + _vevent(event, REQUEST, None) + _END


def cancel_calendar(event: CeremonyEvent, *, attendees: Iterable[Person] | None = None) -> bytes:
    """METHOD:CANCEL, STATUS:CANCELLED.

    Without ``attendees`` the whole ceremony is cancelled and every attendee is listed. When
    people are removed from a ceremony that goes on, pass only them: the CANCEL lists only them
    (send it only to them) and the others get a REQUEST with the same, higher SEQUENCE.
    """
    removed = None if attendees is None else tuple(attendees)
    if not _attendees(event.attendees if removed is None else removed, event.organizer):
        raise ValueError("A CANCEL needs at least one attendee besides the organizer")
    return _HEADERS[CANCEL] + _VTIMEZONE + _vevent(event, CANCEL, removed) + _END


def feed_calendar(events: Iterable[CeremonyEvent], *, name: str) -> bytes:
    """METHOD:PUBLISH feed for a calendar subscription: NAME, X-WR-CALNAME, refresh hourly.

    Events are sorted by start and UID, so the same events give the same bytes in any order.
    Each VEVENT has its ORGANIZER but no ATTENDEE (RFC 5546 PUBLISH), hence no RSVP.
    """
    name = str(name)
    ordered = sorted(events, key=_feed_order)
    if len({event.uid for event in ordered}) != len(ordered):
        raise ValueError("A feed holds each UID once")
    parts = [_feed_header(name), _VTIMEZONE]
    parts.extend(_vevent(event, PUBLISH, None) for event in ordered)
    parts.append(_END)
    return b"".join(parts)


def calendar_method(ics: bytes) -> str:
    """The METHOD inside a calendar: the value for the ``method=`` parameter of its text/calendar mail part."""
    return str(Calendar.from_ical(ics)["METHOD"])


def calendar_attendee_addresses(ics: bytes) -> list[str]:
    """Lower-case e-mail addresses of every ATTENDEE in the calendar, in order."""
    calendar = Calendar.from_ical(ics)
    found = []
    for component in calendar.walk("VEVENT"):
        values = component.get("ATTENDEE", [])
        for value in values if isinstance(values, list) else [values]:
            found.append(_strip_mailto(str(value)))
    return found


def clear_cache() -> None:
    """Forget every rendered VEVENT (for benchmarks and tests)."""
    _vevent.cache_clear()


def fold_line(line: str) -> bytes:
    """One content line as UTF-8, folded at 75 octets (CRLF + space), never inside a UTF-8 sequence.

    Also never right after an escaping backslash or ``^``, as icalendar does, because some
    clients mishandle an escape split over two lines.
    """
    data = line.encode()
    if len(data) <= _FOLD_LIMIT:
        return data
    chunks = []
    start, limit = 0, _FOLD_LIMIT
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its lead byte
            cut -= 1
        cut = _before_open_escape(data, start, cut)
        chunks.append(data[start:cut])
        start, limit = cut, _FOLD_LIMIT - 1  # continuation lines start with a space
    chunks.append(data[start:])
    return b"\r\n ".join(chunks)


# --- building blocks ---------------------------------------------------------------


def _before_open_escape(data: bytes, start: int, cut: int) -> int:
    """Move ``cut`` back one byte when the byte before it escapes the byte at it."""
    for escape in (0x5C, 0x5E):  # backslash (TEXT escapes), caret (RFC 6868 parameter escapes)
        run = 0
        while cut - run - 1 > start and data[cut - run - 1] == escape:
            run += 1
        if run % 2:
            return cut - 1
    return cut


def _serialize(component) -> bytes:
    """A component's text with our folding (icalendar's own folds char by char, 40% of the time)."""
    return b"".join(fold_line(line) + CRLF for line in component.content_lines() if line)


def _build_vtimezone() -> Timezone:
    """Europe/Amsterdam as one yearly DAYLIGHT and one yearly STANDARD rule (EU rules since 1996)."""
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", dt.timedelta(hours=1))
    daylight.add("tzoffsetto", dt.timedelta(hours=2))
    daylight.add("dtstart", dt.datetime(1970, 3, 29, 2, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", dt.timedelta(hours=2))
    standard.add("tzoffsetto", dt.timedelta(hours=1))
    standard.add("dtstart", dt.datetime(1970, 10, 25, 3, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    timezone = Timezone()
    timezone.add("tzid", "Europe/Amsterdam")
    timezone.add_component(daylight)
    timezone.add_component(standard)
    return timezone


def _calendar_header(method: str, extra: dict | None = None) -> bytes:
    """BEGIN:VCALENDAR and the calendar properties, without its END line."""
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    for key, value in (extra or {}).items():
        calendar.add(key, value)
    text = _serialize(calendar)
    assert text.endswith(_END)
    return text[: -len(_END)]


@functools.lru_cache(maxsize=256)
def _feed_header(name: str) -> bytes:
    clean = _clean_text(name)
    refresh = vDuration(dt.timedelta(hours=1))
    refresh.params["VALUE"] = "DURATION"
    extra = {
        "name": clean,
        "x-wr-calname": clean,
        "x-wr-timezone": "Europe/Amsterdam",
        "refresh-interval": refresh,
        "x-published-ttl": "PT1H",
    }
    return _calendar_header(PUBLISH, extra)


def _feed_order(event: CeremonyEvent):
    return (event.starts_at, event.uid)


def _clean_text(value: str) -> str:
    """A one-line text: control characters (CR, LF, TAB...) become one space."""
    return " ".join(_CONTROL.sub(" ", value).split())


def _clean_multiline(value: str) -> str:
    """A text of several lines: line ends become LF, other control characters a space."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_CONTROL.sub(" ", line).rstrip() for line in lines).strip("\n")


def _clean_name(name: str) -> str:
    """A CN value: one line, no double quotes (they cannot appear in a quoted parameter)."""
    return _clean_text(name.replace('"', "'"))


def _strip_mailto(value: str) -> str:
    return value[7:].lower() if value.lower().startswith("mailto:") else value.lower()


def _address(person: Person, **params: str) -> vCalAddress:
    value = vCalAddress(f"mailto:{person.email}")
    value.params["CN"] = _clean_name(person.name) or person.email
    value.params.update(params)
    return value


def _attendees(people: Iterable[Person], organizer: Person) -> list[Person]:
    """The people to list: the organizer and repeated addresses left out (case-insensitive), order kept."""
    seen = {organizer.address}
    kept = []
    for person in people:
        if person.address not in seen:
            seen.add(person.address)
            kept.append(person)
    return kept


@functools.lru_cache(maxsize=VEVENT_CACHE_SIZE)
def _vevent(event: CeremonyEvent, method: str, listed: tuple[Person, ...] | None) -> bytes:
    """The VEVENT text for one method. Cached: the key is the whole (frozen, hashable) event."""
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", event.dtstamp.astimezone(dt.UTC))
    vevent.add("dtstart", event.starts_at.astimezone(AMSTERDAM))
    vevent.add("dtend", event.ends_at.astimezone(AMSTERDAM))
    vevent.add("summary", _clean_text(event.summary))
    if event.location.strip():
        vevent.add("location", _clean_text(event.location))
    if event.description.strip():
        vevent.add("description", _clean_multiline(event.description))
    if event.url:
        vevent.add("url", event.url)
    vevent.add("status", CANCELLED if method == CANCEL else event.status)
    vevent.add("transp", "OPAQUE")
    vevent.add("organizer", _address(event.organizer))
    if method != PUBLISH:
        for person in _attendees(event.attendees if listed is None else listed, event.organizer):
            vevent.add("attendee", _address(person, **_ATTENDEE_PARAMS), encode=False)
    if method != CANCEL and event.status == CONFIRMED and event.alarm_minutes is not None:  # no reminder if off
        vevent.add_component(_alarm(event))
    return _serialize(vevent)


_ATTENDEE_PARAMS = {"CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"}


def _alarm(event: CeremonyEvent) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", dt.timedelta(minutes=-event.alarm_minutes))
    alarm.add("description", _clean_text(event.summary))
    return alarm


_VTIMEZONE = _serialize(_build_vtimezone())
_HEADERS = {method: _calendar_header(method) for method in (REQUEST, CANCEL)}
