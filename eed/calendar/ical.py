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

Speed: the VTIMEZONE and the calendar headers are built once. Each VEVENT's text is
written directly (TEXT escaped per RFC 5545 3.3.11, the property order and parameter
quoting icalendar uses, our folding): a cold 1,000-event feed takes ~18 ms, against
~250 ms when each VEVENT was an icalendar ``Event``. The bytes are those icalendar
wrote (tests/eed/test_ical_serializer.py keeps that build as the reference), except
that a literal backslash before ``N`` stays text and a feed NAME is escaped as TEXT.
icalendar is imported only by the parsing helpers (~90 ms), never to build a feed.
Each VEVENT's text is also cached with the whole event value as key (every field
that changes the text is part of it), so a feed of events already rendered is a
concatenation, and the same input always gives the same bytes (usable for an ETag).
"""

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

TZID = "Europe/Amsterdam"
AMSTERDAM = ZoneInfo(TZID)
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
# A CN is quoted when it holds one of these, as icalendar does (RFC 5545 needs the quotes for , ; :).
_QUOTED_PARAM = re.compile("[,;:\u2019 ']")


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
        if _CONTROL.search(self.url):  # a URI is written as is: a line end in it would break the framing
            raise ValueError(f"Bad URL: {self.url!r}")
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
    from icalendar import Calendar  # parsing only: imported when a mail is checked, not when a feed is served

    return str(Calendar.from_ical(ics)["METHOD"])


def calendar_attendee_addresses(ics: bytes) -> list[str]:
    """Lower-case e-mail addresses of every ATTENDEE in the calendar, in order."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(ics)
    found = []
    for component in calendar.walk("VEVENT"):
        values = component.get("ATTENDEE", [])
        for value in values if isinstance(values, list) else [values]:
            found.append(_strip_mailto(str(value)))
    return found


def clear_cache() -> None:
    """Forget every rendered VEVENT and address line (for benchmarks and tests)."""
    _vevent.cache_clear()
    _address_line.cache_clear()


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


def _lines(lines: Iterable[str]) -> bytes:
    """Content lines as UTF-8, each folded and ended with CRLF."""
    return b"".join([fold_line(line) + CRLF for line in lines])


def _build_vtimezone() -> bytes:
    """Europe/Amsterdam as one yearly DAYLIGHT and one yearly STANDARD rule (EU rules since 1996).

    Built once, at import. Written as icalendar writes the same ``Timezone`` component (the tests
    compare the two); not built with icalendar so that serving a feed never imports it (~90 ms).
    """
    return _lines(
        [
            "BEGIN:VTIMEZONE",
            "TZID:" + TZID,
            "BEGIN:DAYLIGHT",
            "DTSTART:19700329T020000",
            "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
            "TZNAME:CEST",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            "DTSTART:19701025T030000",
            "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
            "TZNAME:CET",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "END:STANDARD",
            "END:VTIMEZONE",
        ]
    )


def _calendar_header(method: str, extra: Iterable[str] = ()) -> bytes:
    """BEGIN:VCALENDAR and the calendar properties, without its END line."""
    return _lines(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + _text(PRODID), "CALSCALE:GREGORIAN", "METHOD:" + method, *extra]
    )


@functools.lru_cache(maxsize=256)
def _feed_header(name: str) -> bytes:
    """The PUBLISH header. NAME (RFC 7986) and X-WR-CALNAME are TEXT: escaped, so a comma stays in the name."""
    clean = _text(_clean_text(name))
    extra = (
        "NAME:" + clean,
        "X-WR-CALNAME:" + clean,
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "X-WR-TIMEZONE:" + TZID,
    )
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


def _text(value: str) -> str:
    """A TEXT value escaped (RFC 5545 3.3.11): backslash first, then ``;`` ``,`` and a line end as ``\\n``.

    Unlike icalendar, a literal backslash followed by ``N`` stays that text (icalendar turns it into a
    line break); otherwise the same bytes as icalendar's ``vText``.
    """
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _param(value: str) -> str:
    """A parameter value without double quotes or control characters: ``^`` escaped (RFC 6868), quoted if needed."""
    value = value.replace("^", "^^")
    return f'"{value}"' if _QUOTED_PARAM.search(value) else value


def _stamp(value: dt.datetime) -> str:
    """DATE-TIME as local time, without offset: ``YYYYMMDDTHHMMSS`` (seconds truncated, as icalendar)."""
    return f"{value.year:04}{value.month:02}{value.day:02}T{value.hour:02}{value.minute:02}{value.second:02}"


def _duration_before(minutes: int) -> str:
    """A TRIGGER ``minutes`` before the start, written as icalendar's ``vDuration`` does (days, hours, minutes)."""
    if not minutes:
        return "P0D"
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    time = ("T" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")) if rest else ""
    return f"-P{days}D{time}" if days else f"-P{time}"


def _strip_mailto(value: str) -> str:
    return value[7:].lower() if value.lower().startswith("mailto:") else value.lower()


# The scheduling parameters of every ATTENDEE, after CN, in icalendar's (alphabetical) order.
_ATTENDEE_PARAMS = ";CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE"


@functools.lru_cache(maxsize=4096)
def _address_line(prop: str, person: Person) -> str:
    """An ORGANIZER or ATTENDEE line (unfolded). The address is a URI: written as is, not escaped as TEXT."""
    params = "CN=" + _param(_clean_name(person.name) or person.email)
    if prop == "ATTENDEE":
        params += _ATTENDEE_PARAMS
    return f"{prop};{params}:mailto:{person.email}"


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
    """The VEVENT text for one method. Cached: the key is the whole (frozen, hashable) event.

    Written directly, in the order icalendar writes an ``Event``: SUMMARY, DTSTART, DTEND, DTSTAMP, UID,
    SEQUENCE first, then the other properties alphabetically, then the VALARM (its properties
    alphabetically). tests/eed/test_ical_serializer.py holds the icalendar build it must equal.
    """
    summary = _text(_clean_text(event.summary))
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + summary,
        f"DTSTART;TZID={TZID}:" + _stamp(event.starts_at.astimezone(AMSTERDAM)),
        f"DTEND;TZID={TZID}:" + _stamp(event.ends_at.astimezone(AMSTERDAM)),
        "DTSTAMP:" + _stamp(event.dtstamp.astimezone(dt.UTC)) + "Z",
        "UID:" + _text(event.uid),
        f"SEQUENCE:{event.sequence}",
    ]
    if method != PUBLISH:
        people = _attendees(event.attendees if listed is None else listed, event.organizer)
        lines.extend(_address_line("ATTENDEE", person) for person in people)
    if event.description.strip():
        lines.append("DESCRIPTION:" + _text(_clean_multiline(event.description)))
    if event.location.strip():
        lines.append("LOCATION:" + _text(_clean_text(event.location)))
    lines.append(_address_line("ORGANIZER", event.organizer))
    lines.append("STATUS:" + (CANCELLED if method == CANCEL else event.status))
    lines.append("TRANSP:OPAQUE")
    if event.url:
        lines.append("URL:" + event.url)  # a URI: written as is
    if method != CANCEL and event.status == CONFIRMED and event.alarm_minutes is not None:  # no reminder if off
        lines += (
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:" + summary,
            "TRIGGER:" + _duration_before(event.alarm_minutes),
            "END:VALARM",
        )
    lines.append("END:VEVENT")
    return _lines(lines)


_VTIMEZONE = _build_vtimezone()
_HEADERS = {method: _calendar_header(method) for method in (REQUEST, CANCEL)}
