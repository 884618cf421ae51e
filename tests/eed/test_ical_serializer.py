"""eed.calendar.ical builds with icalendar but escapes TEXT and folds lines itself: checked so neither drifts.

Two oracles:
- meaning: a feed and each invite are parsed with icalendar, and every property of every event must
  equal the source data (after the documented cleaning of control characters), for names and texts
  with commas, semicolons, backslashes, new lines, carets, quotes, non-ASCII and lines long enough
  to fold;
- bytes: the same events built with plain icalendar values (``reference_vevent`` below: ``vText``,
  not ical's ``_Text``; VTIMEZONE and headers added property by property) must give the same bytes.
  The one intended difference: icalendar turns a literal backslash followed by ``N`` into a line
  break; ical keeps the text.
"""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar.parser import _escape_string, _unescape_string

from eed.calendar import ical
from eed.calendar.ical import CeremonyEvent, Person, cancel_calendar, feed_calendar, request_calendar
from tests.eed.test_ical import HR, assert_wire_format, ceremony, check_message, read_vobject

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC

AWKWARD = [
    "Provinciehuis, Zuid-Hollandplein 1; Den Haag",
    "C:\\Nieuw\\map\\n niet een regeleinde \\N ook niet \\",
    "Programma:\n10:00 ontvangst, koffie; thee\r\n10:15 eed\\belofte\n\nMeenemen: ID",
    "Zoë Özdemir-van den Berg — \u2018citaat\u2019 'enkel' \"dubbel\" ^caret^ 😀",
    "lang " + "Ééñ ß 漢字 ∑ — " * 40,
    "x" * 74 + "\\;" + "y" * 10,
    "tab\there, and a bell\x07 and DEL\x7f",
]


# --- the plain icalendar build ----------------------------------------------------------------------


def reference_vevent(event: CeremonyEvent, method: str, listed: tuple[Person, ...] | None) -> bytes:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", event.dtstamp.astimezone(UTC))
    vevent.add("dtstart", event.starts_at.astimezone(AMSTERDAM))
    vevent.add("dtend", event.ends_at.astimezone(AMSTERDAM))
    vevent.add("summary", ical._clean_text(event.summary))
    if event.location.strip():
        vevent.add("location", ical._clean_text(event.location))
    if event.description.strip():
        vevent.add("description", ical._clean_multiline(event.description))
    if event.url:
        vevent.add("url", event.url)
    vevent.add("status", ical.CANCELLED if method == ical.CANCEL else event.status)
    vevent.add("transp", "OPAQUE")
    vevent.add("organizer", reference_address(event.organizer))
    if method != ical.PUBLISH:
        params = {"CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"}
        for person in ical._attendees(event.attendees if listed is None else listed, event.organizer):
            vevent.add("attendee", reference_address(person, **params), encode=False)
    if method != ical.CANCEL and event.status == ical.CONFIRMED and event.alarm_minutes is not None:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", dt.timedelta(minutes=-event.alarm_minutes))
        alarm.add("description", ical._clean_text(event.summary))
        vevent.add_component(alarm)
    return reference_serialize(vevent)


def reference_address(person: Person, **params: str) -> icalendar.vCalAddress:
    value = icalendar.vCalAddress(f"mailto:{person.email}")
    value.params["CN"] = ical._clean_name(person.name) or person.email
    value.params.update(params)
    return value


def reference_serialize(component) -> bytes:
    return b"".join(ical.fold_line(line) + ical.CRLF for line in component.content_lines() if line)


def reference_vtimezone() -> bytes:
    daylight = icalendar.TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", dt.timedelta(hours=1))
    daylight.add("tzoffsetto", dt.timedelta(hours=2))
    daylight.add("dtstart", dt.datetime(1970, 3, 29, 2, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    standard = icalendar.TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", dt.timedelta(hours=2))
    standard.add("tzoffsetto", dt.timedelta(hours=1))
    standard.add("dtstart", dt.datetime(1970, 10, 25, 3, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    timezone = icalendar.Timezone()
    timezone.add("tzid", "Europe/Amsterdam")
    timezone.add_component(daylight)
    timezone.add_component(standard)
    return reference_serialize(timezone)


def reference_header(method: str, name: str | None = None) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", ical.PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name is not None:
        refresh = icalendar.vDuration(dt.timedelta(hours=1))
        refresh.params["VALUE"] = "DURATION"
        clean = ical._clean_text(name)
        calendar.add("name", clean)
        calendar.add("x-wr-calname", clean)
        calendar.add("x-wr-timezone", "Europe/Amsterdam")
        calendar.add("refresh-interval", refresh)
        calendar.add("x-published-ttl", "PT1H")
    return reference_serialize(calendar).removesuffix(b"END:VCALENDAR\r\n")


def reference_calendar(method: str, vevents: list[bytes], name: str | None = None) -> bytes:
    return reference_header(method, name) + reference_vtimezone() + b"".join(vevents) + b"END:VCALENDAR\r\n"


# --- what the source data must read back as -----------------------------------------------------


def icalendar_reads_cn(cn: str) -> str:
    """What icalendar's parser gives for a CN written as ``cn``.

    RFC 5545 has no backslash escapes in parameter values (a backslash is a plain character, as
    vobject reads it: see test_a_backslash_in_a_name_is_a_plain_character), but icalendar's parser takes
    ``\\,`` ``\\;`` ``\\:`` and ``\\\\`` there as escapes. Its own functions, so the check follows it.
    """
    return _unescape_string(_escape_string(cn))


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def assert_event_equals_source(
    parsed: icalendar.Event, event: CeremonyEvent, method: str, listed: tuple[Person, ...] | None = None
) -> None:
    """Every property icalendar reads equals the source value (control characters cleaned as documented)."""
    assert str(parsed["UID"]) == event.uid
    assert parsed["SEQUENCE"] == event.sequence
    assert parsed.decoded("DTSTAMP") == event.dtstamp.astimezone(UTC).replace(microsecond=0)
    for name, value in (("DTSTART", event.starts_at), ("DTEND", event.ends_at)):
        assert parsed[name].params["TZID"] == "Europe/Amsterdam"
        decoded, local = parsed.decoded(name), value.astimezone(AMSTERDAM).replace(microsecond=0)
        assert decoded.replace(tzinfo=None) == local.replace(tzinfo=None, fold=0)  # the wall-clock time written
        if local.replace(fold=0).utcoffset() == local.replace(fold=1).utcoffset():  # not in the hour clocks go back
            assert decoded == local
            assert decoded.utcoffset() == local.utcoffset()
    assert str(parsed["SUMMARY"]) == ical._clean_text(event.summary)
    if event.location.strip():
        assert str(parsed["LOCATION"]) == ical._clean_text(event.location)
    else:
        assert "LOCATION" not in parsed
    if event.description.strip():
        assert str(parsed["DESCRIPTION"]) == ical._clean_multiline(event.description)
    else:
        assert "DESCRIPTION" not in parsed
    if event.url:
        assert str(parsed["URL"]) == event.url
    else:
        assert "URL" not in parsed
    assert str(parsed["STATUS"]) == (ical.CANCELLED if method == ical.CANCEL else event.status)
    assert str(parsed["TRANSP"]) == "OPAQUE"
    assert str(parsed["ORGANIZER"]) == f"mailto:{event.organizer.email}"
    organizer_cn = ical._clean_name(event.organizer.name) or event.organizer.email
    assert parsed["ORGANIZER"].params["CN"] == icalendar_reads_cn(organizer_cn)

    people = event.attendees if listed is None else listed
    expected = [] if method == ical.PUBLISH else ical._attendees(people, event.organizer)
    found = as_list(parsed.get("ATTENDEE", []))
    assert [str(a) for a in found] == [f"mailto:{p.email}" for p in expected]
    for attendee, person in zip(found, expected, strict=True):
        assert dict(attendee.params) == {
            "CN": icalendar_reads_cn(ical._clean_name(person.name) or person.email),
            "CUTYPE": "INDIVIDUAL",
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "TRUE",
        }

    alarms = parsed.walk("VALARM")
    if method != ical.CANCEL and event.status == ical.CONFIRMED and event.alarm_minutes is not None:
        (alarm,) = alarms
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == -dt.timedelta(minutes=event.alarm_minutes)
        assert str(alarm["DESCRIPTION"]) == ical._clean_text(event.summary)
    else:
        assert not alarms


def awkward_events() -> list[CeremonyEvent]:
    """The stories' ceremony with every awkward text in every field, summer and winter, some cancelled."""
    events = []
    for i, text in enumerate(AWKWARD):
        starts_at = dt.datetime(2027, 1 + i, 10 + i, 9, 30, 15, 123456, tzinfo=AMSTERDAM)
        events.append(
            ceremony(
                starts_at,
                uid=ical._CONTROL.sub("", f"ceremony-{i},{text[:20]};x@eed.pzh.example.org"),
                sequence=i,
                summary="Eed — " + text,
                location=text,
                description=text + "\n\n" + AWKWARD[(i + 1) % len(AWKWARD)],
                url="" if i % 3 == 0 else f"https://meet.example.org/eed-{i}?pwd=a;b,c&x=\\",
                attendees=(
                    Person(f"newcomer{i}@example.org", text),
                    Person("witness@example.org", AWKWARD[(i + 2) % len(AWKWARD)]),
                    Person("Eed@PZH.example.org", "the organizer, left out"),
                    Person("officiant@example.org", ""),
                ),
                status=ical.CANCELLED if i == 4 else ical.CONFIRMED,
                alarm_minutes=[1440, 0, 30, 90, None, 1500, 10080][i],
                dtstamp=dt.datetime(2027, 1, 1, 12, 0, 59, 999999, tzinfo=AMSTERDAM),
            )
        )
    return events


# --- meaning --------------------------------------------------------------------------------------


def test_a_cold_feed_reads_back_in_icalendar_as_exactly_the_source_data():
    events = awkward_events()
    ics = feed_calendar(reversed(events), name="Eed en onboarding, Zuid-Holland; HR\\team — Zoë")
    parsed = check_message(ics, "PUBLISH", events=len(events))  # wire format, icalendar, vobject validate()
    by_uid = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    assert list(by_uid) == [e.uid for e in sorted(events, key=lambda e: (e.starts_at, e.uid))]
    for event in events:
        assert_event_equals_source(by_uid[event.uid], event, ical.PUBLISH)
    assert any(line.startswith(b" ") for line in ics.split(b"\r\n"))  # the long texts were folded


def test_the_texts_read_back_in_vobject_too():
    events = awkward_events()
    for vevent, event in zip(read_vobject(feed_calendar(events, name="x")).vevent_list, events, strict=True):
        assert vevent.uid.value == event.uid
        assert vevent.summary.value == ical._clean_text(event.summary)
        assert vevent.location.value == ical._clean_text(event.location)
        assert vevent.description.value == ical._clean_multiline(event.description)


@pytest.mark.parametrize("index", range(len(AWKWARD)))
def test_every_invite_reads_back_in_icalendar_as_exactly_the_source_data(index):
    event = awkward_events()[index]
    later = dataclasses.replace(event, sequence=event.sequence + 1)
    messages = [
        (cancel_calendar(later), ical.CANCEL, None),
        (cancel_calendar(later, attendees=event.attendees[1:2]), ical.CANCEL, event.attendees[1:2]),
    ]
    if event.status == ical.CONFIRMED:
        messages.append((request_calendar(event), ical.REQUEST, None))
    for ics, method, listed in messages:
        (parsed,) = check_message(ics, method).walk("VEVENT")
        source = later if method == ical.CANCEL else event
        assert_event_equals_source(parsed, source, method, listed)


def test_a_literal_backslash_n_stays_text_where_icalendar_would_make_it_a_line_break():
    event = ceremony(summary="C:\\New", description="a\\Nb\\n\nc")
    (parsed,) = icalendar.Calendar.from_ical(request_calendar(event)).walk("VEVENT")
    assert str(parsed["SUMMARY"]) == "C:\\New"
    assert str(parsed["DESCRIPTION"]) == "a\\Nb\\n\nc"
    assert read_vobject(request_calendar(event)).vevent.summary.value == "C:\\New"


def test_the_feed_name_is_escaped_text_so_a_comma_does_not_cut_it():
    name = "Gemeente Oost, afdeling HR; eed\\belofte"
    ics = feed_calendar([ceremony()], name=name)
    calendar = read_vobject(ics)
    assert calendar.contents["name"][0].value == name
    assert calendar.contents["x-wr-calname"][0].value == name


def test_a_backslash_in_a_name_is_a_plain_character():
    """Parameter values have no escapes (RFC 5545 3.2): the name is written as is and vobject reads it so."""
    names = ("x\\;y", "a\\,b", "C:\\New", "a\\\\b", "Jansen\\")
    ics = request_calendar(ceremony(attendees=tuple(Person(f"p{i}@example.org", n) for i, n in enumerate(names))))
    assert [a.params["CN"] for a in read_vobject(ics).vevent.attendee_list] == [[name] for name in names]


def test_a_url_with_a_line_end_is_refused():
    with pytest.raises(ValueError, match="URL"):
        ceremony(url="https://example.org/\r\nX-INJECTED:1")


# --- bytes: the plain icalendar build ----------------------------------------------------------------


def test_the_vtimezone_and_headers_are_the_bytes_icalendar_writes():
    assert reference_vtimezone() == ical._VTIMEZONE
    for method in (ical.REQUEST, ical.CANCEL):
        assert reference_header(method) == ical._HEADERS[method]
    assert reference_header(ical.PUBLISH, "Eed en onboarding — Zoë") == ical._feed_header("Eed en onboarding — Zoë")


@pytest.mark.parametrize("index", range(len(AWKWARD)))
def test_the_awkward_messages_are_the_bytes_icalendar_writes(index):
    event = without_backslash_capital_n(awkward_events()[index])
    later = dataclasses.replace(event, sequence=event.sequence + 1)
    removed = event.attendees[:1]
    assert cancel_calendar(later) == reference_calendar(ical.CANCEL, [reference_vevent(later, ical.CANCEL, None)])
    assert cancel_calendar(later, attendees=removed) == reference_calendar(
        ical.CANCEL, [reference_vevent(later, ical.CANCEL, removed)]
    )
    if event.status == ical.CONFIRMED:
        assert request_calendar(event) == reference_calendar(
            ical.REQUEST, [reference_vevent(event, ical.REQUEST, None)]
        )


def without_backslash_capital_n(event: CeremonyEvent) -> CeremonyEvent:
    """The event with ``\\N`` made ``\\M``: icalendar turns ``\\N`` into a line break (the intended difference)."""
    fields = ("uid", "summary", "location", "description")
    return dataclasses.replace(event, **{name: getattr(event, name).replace("\\N", "\\M") for name in fields})


# --- any data ---------------------------------------------------------------------------------------

AWKWARD_CHARACTERS = ",;:\\\n\r\t\"'^\u2019 éÖß€漢😀\x07\x7f\x85\u2028"
awkward_char = st.sampled_from(list(AWKWARD_CHARACTERS)) | st.characters(blacklist_categories=["Cs"])
texts = st.text(alphabet=awkward_char, max_size=160)
addresses = st.from_regex(r"[A-Za-z0-9.+'_-]{1,20}@[a-z0-9-]{1,12}\.(org|nl)", fullmatch=True)
# A CN ending in a backslash is left out here: icalendar's parser reads ``CN=a\\;CUTYPE=...`` as one value
# (its backslash escapes, see icalendar_reads_cn); vobject reads it right (test_a_backslash_in_a_name_...).
people = st.builds(Person, addresses, texts).filter(lambda person: not ical._clean_name(person.name).endswith("\\"))
zones = st.sampled_from([UTC, AMSTERDAM, dt.timezone(dt.timedelta(hours=-5)), ZoneInfo("Asia/Kolkata")])
instants = st.datetimes(min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2099, 12, 31), timezones=zones)


@st.composite
def events(draw, index: int = 0) -> CeremonyEvent:
    starts_at = draw(instants)
    return CeremonyEvent(
        uid=draw(st.text(alphabet=awkward_char, min_size=1, max_size=60).filter(lambda u: not ical._CONTROL.search(u)))
        + f"-{index}@x",
        sequence=draw(st.integers(0, ical.MAX_SEQUENCE)),
        starts_at=starts_at,
        ends_at=starts_at + draw(st.timedeltas(min_value=dt.timedelta(seconds=1), max_value=dt.timedelta(days=3))),
        summary=draw(texts.filter(str.strip)),
        location=draw(texts),
        description=draw(texts),
        organizer=HR,
        attendees=tuple(draw(st.lists(people, min_size=1, max_size=4))),
        dtstamp=draw(instants),
        url=draw(st.sampled_from(["", "https://meet.example.org/eed?pwd=a;b,c", "https://x.example/%C3%AB\\"])),
        status=draw(st.sampled_from(ical.STATUSES)),
        alarm_minutes=draw(st.none() | st.integers(0, 100_000)),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, 10**6), min_size=1, max_size=6, unique=True).flatmap(
        lambda ids: st.tuples(*(events(i) for i in ids))
    )
)
def test_any_feed_and_invite_reads_back_as_the_source_and_matches_icalendars_bytes(drawn):
    feed = feed_calendar(drawn, name="Mijn ceremonies")
    assert_wire_format(feed)
    parsed = icalendar.Calendar.from_ical(feed)
    by_uid = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    for event in drawn:
        assert_event_equals_source(by_uid[event.uid], event, ical.PUBLISH)

    event = drawn[0]
    messages = [(cancel_calendar(event), ical.CANCEL)]
    if event.status == ical.CONFIRMED:
        messages.append((request_calendar(event), ical.REQUEST))
    for ics, method in messages:
        assert_wire_format(ics)
        (parsed_event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
        assert_event_equals_source(parsed_event, event, method)

    comparable = [without_backslash_capital_n(e) for e in drawn]
    ordered = sorted(comparable, key=lambda e: (e.starts_at, e.uid))
    assert feed_calendar(comparable, name="Mijn ceremonies") == reference_calendar(
        ical.PUBLISH, [reference_vevent(e, ical.PUBLISH, None) for e in ordered], "Mijn ceremonies"
    )
    event = comparable[0]
    assert cancel_calendar(event) == reference_calendar(ical.CANCEL, [reference_vevent(event, ical.CANCEL, None)])
    if event.status == ical.CONFIRMED:
        assert request_calendar(event) == reference_calendar(
            ical.REQUEST, [reference_vevent(event, ical.REQUEST, None)]
        )


# --- parsing helpers ------------------------------------------------------------------------------


def test_the_parsing_helpers_read_the_method_and_the_attendees():
    assert ical.calendar_method(request_calendar(ceremony())) == "REQUEST"
    assert ical.calendar_attendee_addresses(request_calendar(ceremony())) == [
        "zoe.ozdemir@example.org",
        "piet.jansen@example.org",
        "secretaris@example.org",
    ]
