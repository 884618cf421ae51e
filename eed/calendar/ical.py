"""Calendar invites for ceremonies, built with ``icalendar`` (data in, bytes out).

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
STANDARD and one yearly DAYLIGHT rule (not icalendar's RDATE list from
``add_missing_timezones()``, which vobject and so Radicale read one hour off in
summer), CRLF, lines folded at 75 octets without splitting a UTF-8 sequence.

Every component is an icalendar component and every line comes from its
``content_lines()``. Two things are ours: TEXT escaping (``_Text``: icalendar turns
a literal backslash before ``N`` into a line break) and folding (``fold_line``).
The VTIMEZONE and the REQUEST/CANCEL headers never change, so they are serialized
once, at import: serializing them per message would make an invite ~3x a bare
icalendar event (shared/PERFORMANCE.md). Nothing else is kept between calls: the
same input always gives the same bytes, and eed/calendar/feeds.py caches whole
feeds by their input.
"""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

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

CRLF = b"\r\n"
_FOLD_LIMIT = 75  # octets per line, excluding the CRLF (RFC 5545, 3.1)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_END = b"END:VCALENDAR\r\n"
# The scheduling parameters of every ATTENDEE (ICS.md rule 5); icalendar writes them after CN, sorted.
_ATTENDEE_PARAMS = {"CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"}


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
    return _HEADERS[REQUEST] + _VTIMEZONE + _serialize(_vevent(event, REQUEST, None)) + _END


def cancel_calendar(event: CeremonyEvent, *, attendees: Iterable[Person] | None = None) -> bytes:
    """METHOD:CANCEL, STATUS:CANCELLED.

    Without ``attendees`` the whole ceremony is cancelled and every attendee is listed. When
    people are removed from a ceremony that goes on, pass only them: the CANCEL lists only them
    (send it only to them) and the others get a REQUEST with the same, higher SEQUENCE.
    """
    removed = None if attendees is None else tuple(attendees)
    if not _attendees(event.attendees if removed is None else removed, event.organizer):
        raise ValueError("A CANCEL needs at least one attendee besides the organizer")
    return _HEADERS[CANCEL] + _VTIMEZONE + _serialize(_vevent(event, CANCEL, removed)) + _END


def feed_calendar(events: Iterable[CeremonyEvent], *, name: str) -> bytes:
    """METHOD:PUBLISH feed for a calendar subscription: NAME, X-WR-CALNAME, refresh hourly.

    Events are sorted by start and UID, so the same events give the same bytes in any order.
    Each VEVENT has its ORGANIZER but no ATTENDEE (RFC 5546 PUBLISH), hence no RSVP.
    """
    ordered = sorted(events, key=_feed_order)
    if len({event.uid for event in ordered}) != len(ordered):
        raise ValueError("A feed holds each UID once")
    parts = [_feed_header(str(name)), _VTIMEZONE]
    parts.extend(_serialize(_vevent(event, PUBLISH, None)) for event in ordered)
    parts.append(_END)
    return b"".join(parts)


def calendar_method(ics: bytes) -> str:
    """The METHOD inside a calendar: the value for the ``method=`` parameter of its text/calendar mail part."""
    return str(icalendar.Calendar.from_ical(ics)["METHOD"])


def calendar_attendee_addresses(ics: bytes) -> list[str]:
    """Lower-case e-mail addresses of every ATTENDEE in the calendar, in order."""
    found = []
    for component in icalendar.Calendar.from_ical(ics).walk("VEVENT"):
        values = component.get("ATTENDEE", [])
        for value in values if isinstance(values, list) else [values]:
            found.append(_strip_mailto(str(value)))
    return found


def fold_line(line: str) -> bytes:
    """One content line as UTF-8, folded at 75 octets (CRLF + space), never inside a UTF-8 sequence.

    Nor right after an escaping backslash or ``^``: some clients mishandle an escape split over two
    lines. icalendar's own folding (7.3) tries this too but splits an escaped backslash (``\\\\``)
    that ends where the line is full, and walks the line character by character (~8x slower).
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


# --- components ------------------------------------------------------------------


class _Text(icalendar.vText):
    """A TEXT value escaped per RFC 5545 3.3.11 (``_text``).

    icalendar's ``vText`` first turns a literal ``\\N`` into a line break, so ``C:\\New`` would
    arrive as ``C:`` and ``ew`` on a new line; otherwise the bytes are the same.
    """

    __slots__ = ()

    def to_ical(self) -> bytes:
        return _text(self).encode()


def _serialize(component: icalendar.Component) -> bytes:
    """The component's content lines (subcomponents included), each folded and ended with CRLF."""
    return b"".join([fold_line(line) + CRLF for line in component.content_lines() if line])


def _build_vtimezone() -> bytes:
    """Europe/Amsterdam as one yearly DAYLIGHT and one yearly STANDARD rule (EU rules since 1996).

    Written rule by rule rather than by ``add_missing_timezones()``, whose RDATE list vobject and
    Radicale read one hour off in summer and Outlook has trouble with (ICS.md rule 4).
    """
    timezone = icalendar.Timezone()
    timezone.add("tzid", TZID)
    for rule, name, month, day, hour, offset_from, offset_to in (
        (icalendar.TimezoneDaylight, "CEST", 3, 29, 2, 1, 2),
        (icalendar.TimezoneStandard, "CET", 10, 25, 3, 2, 1),
    ):
        change = rule()
        change.add("tzname", name)
        change.add("tzoffsetfrom", dt.timedelta(hours=offset_from))
        change.add("tzoffsetto", dt.timedelta(hours=offset_to))
        change.add("dtstart", dt.datetime(1970, month, day, hour, 0))  # the last Sunday of the month in 1970
        change.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
        timezone.add_component(change)
    return _serialize(timezone)


def _calendar_header(method: str, name: str | None = None) -> bytes:
    """BEGIN:VCALENDAR and the calendar properties, without its END line.

    A feed (``name`` given) also gets NAME (RFC 7986) and X-WR-CALNAME, as TEXT so a comma stays
    in the name, and asks to be refreshed hourly.
    """
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", _Text(PRODID))
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name is not None:
        clean = _clean_text(name)
        calendar.add("name", _Text(clean))
        calendar.add("x-wr-calname", _Text(clean))
        calendar.add("x-wr-timezone", TZID)
        calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    return _serialize(calendar).removesuffix(_END)


def _feed_header(name: str) -> bytes:
    """The PUBLISH header of a feed called ``name``."""
    return _calendar_header(PUBLISH, name)


def _feed_order(event: CeremonyEvent):
    return (event.starts_at, event.uid)


def _address(person: Person, **params: str) -> icalendar.vCalAddress:
    """An ORGANIZER or ATTENDEE value: the address is a URI (written as is), the CN a cleaned name."""
    value = icalendar.vCalAddress(f"mailto:{person.email}")
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


def _vevent(event: CeremonyEvent, method: str, listed: tuple[Person, ...] | None) -> icalendar.Event:
    """The VEVENT for one method; ``listed`` replaces the attendees (a CANCEL for removed people).

    icalendar orders the properties (SUMMARY, DTSTART, DTEND, DTSTAMP, UID, SEQUENCE, then
    alphabetically) and writes DTSTART/DTEND with TZID=Europe/Amsterdam in local time.
    """
    summary = _clean_text(event.summary)
    vevent = icalendar.Event()
    vevent.add("uid", _Text(event.uid))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", event.dtstamp.astimezone(dt.UTC))
    vevent.add("dtstart", event.starts_at.astimezone(AMSTERDAM))
    vevent.add("dtend", event.ends_at.astimezone(AMSTERDAM))
    vevent.add("summary", _Text(summary))
    if event.location.strip():
        vevent.add("location", _Text(_clean_text(event.location)))
    if event.description.strip():
        vevent.add("description", _Text(_clean_multiline(event.description)))
    if event.url:
        vevent.add("url", event.url)  # a URI: written as is
    vevent.add("status", CANCELLED if method == CANCEL else event.status)
    vevent.add("transp", "OPAQUE")
    vevent.add("organizer", _address(event.organizer))
    if method != PUBLISH:
        for person in _attendees(event.attendees if listed is None else listed, event.organizer):
            vevent.add("attendee", _address(person, **_ATTENDEE_PARAMS), encode=False)
    if method != CANCEL and event.status == CONFIRMED and event.alarm_minutes is not None:  # no reminder if off
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", dt.timedelta(minutes=-event.alarm_minutes))
        alarm.add("description", _Text(summary))
        vevent.add_component(alarm)
    return vevent


# --- texts -------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    """A one-line text: control characters (CR, LF, TAB...) become one space."""
    return " ".join(_CONTROL.sub(" ", value).split())


def _clean_multiline(value: str) -> str:
    """A text of several lines: line ends become LF, other control characters a space."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_CONTROL.sub(" ", line).rstrip() for line in lines).strip("\n")


def _clean_name(name: str) -> str:
    """A CN value: one line, no double quotes (icalendar would write them as RFC 6868 ``^'``)."""
    return _clean_text(name.replace('"', "'"))


def _text(value: str) -> str:
    """A TEXT value escaped (RFC 5545 3.3.11): backslash first, then ``;`` ``,`` and a line end as ``\\n``."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _before_open_escape(data: bytes, start: int, cut: int) -> int:
    """Move ``cut`` back one byte when the byte before it escapes the byte at it."""
    for escape in (0x5C, 0x5E):  # backslash (TEXT escapes), caret (RFC 6868 parameter escapes)
        run = 0
        while cut - run - 1 > start and data[cut - run - 1] == escape:
            run += 1
        if run % 2:
            return cut - 1
    return cut


def _strip_mailto(value: str) -> str:
    return value[7:].lower() if value.lower().startswith("mailto:") else value.lower()


_VTIMEZONE = _build_vtimezone()
_HEADERS = {method: _calendar_header(method) for method in (REQUEST, CANCEL)}
