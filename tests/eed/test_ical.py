"""Calendar invites (eed.calendar.ical): every rule of shared/ICS.md, checked with icalendar and vobject.

A ceremony for Zoë Özdemir-van den Berg (newcomer), her witness Piet Jansen and the officiant
Pieter Smit; the HR mailbox organizes. One in summer (CEST) and one in winter (CET).
"""

import dataclasses
import datetime as dt
import re
import time
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st

from eed.calendar import feeds, ical
from eed.calendar.ical import CeremonyEvent, Person, cancel_calendar, feed_calendar, fold_line, request_calendar

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC

HR = Person("eed@pzh.example.org", "Team Eed en onboarding")
NEWCOMER = Person("zoe.ozdemir@example.org", "Zoë Özdemir-van den Berg")
WITNESS = Person("piet.jansen@example.org", 'Piet "PJ" Jansen')
OFFICIANT = Person("secretaris@example.org", "Pieter Smit")
NEW_WITNESS = Person("fatima.elamrani@example.org", "Fatima El Amrani")

SUMMER = dt.datetime(2027, 6, 15, 10, 0, tzinfo=AMSTERDAM)  # 08:00 UTC
WINTER = dt.datetime(2027, 1, 12, 10, 0, tzinfo=AMSTERDAM)  # 09:00 UTC

# Properties a VEVENT may hold at most once (RFC 5545 3.6.1) that we write.
ONCE_IN_VEVENT = (
    "UID",
    "SEQUENCE",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "LOCATION",
    "DESCRIPTION",
    "STATUS",
    "ORGANIZER",
    "URL",
    "TRANSP",
)
ONCE_IN_VCALENDAR = ("VERSION", "PRODID", "METHOD", "CALSCALE", "NAME", "X-WR-CALNAME", "REFRESH-INTERVAL")


def ceremony(starts_at=SUMMER, *, sequence=0, attendees=(NEWCOMER, WITNESS, OFFICIANT), **changes) -> CeremonyEvent:
    """The ceremony of the stories: one hour, programme in the description."""
    values = {
        "uid": "ceremony-42@eed.pzh.example.org",
        "sequence": sequence,
        "starts_at": starts_at,
        "ends_at": starts_at + dt.timedelta(hours=1),
        "summary": "Eed of belofte — Zoë Özdemir-van den Berg",
        "location": "Provinciehuis, Zuid-Hollandplein 1, Den Haag; Statenzaal",
        "description": "Programma:\n10:00 ontvangst met koffie\n10:15 eed of belofte\n\nMeenemen: geldig ID-bewijs.",
        "url": "https://eed.pzh.example.org/ceremonies/42/",
        "organizer": HR,
        "attendees": attendees,
        "dtstamp": dt.datetime(2027, 5, 1, 12, 30, tzinfo=UTC),
    }
    values.update(changes)
    return CeremonyEvent(**values)


# --- checks applied to every message --------------------------------------------------


def unfold(ics: bytes) -> list[str]:
    """Logical lines: CRLF + space/tab removed, split on CRLF."""
    return re.sub(r"\r\n[ \t]", "", ics.decode("utf-8")).split("\r\n")[:-1]


def component_lines(ics: bytes, name: str) -> list[list[str]]:
    """Per component ``name``: its own logical lines, without those of nested components."""
    found, stack = [], []
    for line in unfold(ics):
        if line.startswith("BEGIN:"):
            stack.append((line[6:], []))
        elif line.startswith("END:"):
            component, lines = stack.pop()
            if component == name:
                found.append(lines)
        else:
            stack[-1][1].append(line)
    return found


def property_names(lines: list[str]) -> list[str]:
    return [re.split(r"[;:]", line, maxsplit=1)[0].upper() for line in lines]


def assert_once_only(ics: bytes) -> None:
    """No property that may appear once appears twice, counted in the raw text, icalendar and vobject."""
    (calendar_lines,) = component_lines(ics, "VCALENDAR")
    names = property_names(calendar_lines)
    for name in ONCE_IN_VCALENDAR:
        assert names.count(name) <= 1, name
    parsed = icalendar.Calendar.from_ical(ics)
    parsed_vobject = read_vobject(ics)
    for lines, event, vevent in zip(
        component_lines(ics, "VEVENT"), parsed.walk("VEVENT"), parsed_vobject.contents.get("vevent", []), strict=True
    ):
        names = property_names(lines)
        for name in ONCE_IN_VEVENT:
            assert names.count(name) <= 1, name
            assert not isinstance(event.get(name), list), name
            assert len(vevent.contents.get(name.lower(), [])) <= 1, name


def assert_wire_format(ics: bytes) -> None:
    """UTF-8, CRLF after every line and nowhere else, no line over 75 octets, no split UTF-8 sequence."""
    ics.decode("utf-8")
    assert ics.endswith(b"\r\n")
    assert b"\n" not in ics.replace(b"\r\n", b"")
    assert b"\r" not in ics.replace(b"\r\n", b"")
    for line in ics.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # each physical line is valid UTF-8 on its own


def check_message(ics: bytes, method: str, *, events: int = 1) -> icalendar.Calendar:
    """Every rule for every message; returns the icalendar parse."""
    assert_wire_format(ics)
    parsed = icalendar.Calendar.from_ical(ics)
    read_vobject(ics).validate()
    assert_once_only(ics)
    assert parsed["VERSION"] == "2.0"
    assert parsed["PRODID"] == ical.PRODID
    assert parsed["METHOD"] == method
    assert len(parsed.walk("VEVENT")) == events
    assert len(parsed.walk("VTIMEZONE")) == 1
    for event in parsed.walk("VEVENT"):
        assert isinstance(event["SEQUENCE"], int)
        assert event.decoded("DTSTAMP").utcoffset() == dt.timedelta(0)
    for line in unfold(ics):
        if line.startswith("DTSTAMP"):
            assert re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line), line
    return parsed


def messages(event: CeremonyEvent) -> dict[str, tuple[bytes, str]]:
    return {
        "request": (request_calendar(event), "REQUEST"),
        "cancel": (cancel_calendar(dataclasses.replace(event, sequence=event.sequence + 1)), "CANCEL"),
        "removal": (
            cancel_calendar(dataclasses.replace(event, sequence=event.sequence + 1), attendees=(WITNESS,)),
            "CANCEL",
        ),
        "feed": (feed_calendar([event], name="Mijn ceremonies"), "PUBLISH"),
    }


def read_vobject(ics: bytes):
    """Parse with vobject as a fresh process would.

    vobject keeps one process-wide tzinfo per TZID, and the first VTIMEZONE it meets wins: after
    parsing another block named Europe/Amsterdam it would read ours with that one. Forget it first.
    """
    vobject.icalendar.registerTzid("Europe/Amsterdam", None)
    return vobject.readOne(ics.decode())


def vobject_start_utc(ics: bytes) -> dt.datetime:
    return read_vobject(ics).vevent.dtstart.value.astimezone(UTC)


def icalendar_start_utc(ics: bytes) -> dt.datetime:
    return icalendar.Calendar.from_ical(ics).walk("VEVENT")[0].decoded("DTSTART").astimezone(UTC)


# --- every message -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["request", "cancel", "removal", "feed"])
@pytest.mark.parametrize("starts_at", [SUMMER, WINTER], ids=["summer", "winter"])
def test_every_message_parses_in_icalendar_and_vobject_with_every_rule(kind, starts_at):
    ics, method = messages(ceremony(starts_at))[kind]
    check_message(ics, method)


def test_the_once_only_check_catches_a_sequence_written_twice():
    ics = request_calendar(ceremony())
    doubled = ics.replace(b"SEQUENCE:0\r\n", b"SEQUENCE:0\r\nSEQUENCE:0\r\n")
    with pytest.raises(AssertionError, match="SEQUENCE"):
        assert_once_only(doubled)


def test_uid_is_the_same_in_request_cancel_and_feed():
    uids = {str(icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]["UID"]) for ics, _ in messages(ceremony()).values()}
    assert uids == {"ceremony-42@eed.pzh.example.org"}


@pytest.mark.parametrize("sequence", [0, 1, 7, 123])
def test_sequence_is_the_stored_integer_written_once(sequence):
    ics = request_calendar(ceremony(sequence=sequence))
    (lines,) = component_lines(ics, "VEVENT")
    assert [line for line in lines if line.startswith("SEQUENCE")] == [f"SEQUENCE:{sequence}"]
    assert read_vobject(ics).vevent.sequence.value == str(sequence)


@pytest.mark.parametrize("bad", [-1, 1.0, "3", True, None, 1_795_000_000])
def test_sequence_must_be_a_small_non_negative_integer_never_a_timestamp(bad):
    with pytest.raises(ValueError, match="SEQUENCE"):
        ceremony(sequence=bad)


def test_dtstamp_is_written_in_utc_whatever_zone_it_comes_in():
    stamp = dt.datetime(2027, 5, 1, 14, 30, tzinfo=AMSTERDAM)  # 12:30 UTC
    ics = request_calendar(ceremony(dtstamp=stamp))
    assert "DTSTAMP:20270501T123000Z" in unfold(ics)


@pytest.mark.parametrize("field", ["starts_at", "ends_at", "dtstamp"])
def test_naive_datetimes_are_refused(field):
    with pytest.raises(ValueError, match=field):
        ceremony(**{field: dt.datetime(2027, 6, 15, 10, 0)})


def test_a_ceremony_must_end_after_it_starts():
    with pytest.raises(ValueError, match="ends_at"):
        ceremony(ends_at=SUMMER)


def test_lines_with_non_ascii_names_are_folded_between_characters():
    newcomer = Person("zoe@example.org", "Zoë Özdemir-van den Berg " * 4)
    ics = request_calendar(ceremony(attendees=(newcomer,), summary="Eed of belofte — Zoë Özdemir " * 6))
    assert_wire_format(ics)
    assert any(line.startswith(b" ") for line in ics.split(b"\r\n"))  # something was folded
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event["SUMMARY"] == ("Eed of belofte — Zoë Özdemir " * 6).strip()
    assert read_vobject(ics).vevent.attendee.params["CN"] == [("Zoë Özdemir-van den Berg " * 4).strip()]


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=400))
def test_folding_keeps_every_line_within_75_octets_and_unfolds_to_the_original(text):
    line = "DESCRIPTION:" + text
    folded = fold_line(line)
    for physical in folded.split(b"\r\n"):
        assert len(physical) <= 75
        physical.decode("utf-8")
    assert folded.replace(b"\r\n ", b"").decode("utf-8") == line


def test_folding_does_not_split_a_backslash_escape():
    line = "DESCRIPTION:" + "x" * 62 + "\\n" + "y" * 20
    first, second = fold_line(line).split(b"\r\n ")
    assert not first.endswith(b"\\")
    assert second.startswith(b"\\n")


# --- time zone -------------------------------------------------------------------------


def test_vtimezone_is_one_yearly_standard_and_one_yearly_daylight_rule_without_rdate():
    ics = request_calendar(ceremony())
    (timezone,) = icalendar.Calendar.from_ical(ics).walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Amsterdam"
    assert [c.name for c in timezone.subcomponents] == ["DAYLIGHT", "STANDARD"]
    for rule in timezone.subcomponents:
        assert rule["RRULE"]["FREQ"] == ["YEARLY"]
        assert "RDATE" not in rule
    assert b"RDATE" not in ics


def test_start_and_end_carry_tzid_europe_amsterdam_in_local_time():
    ics = request_calendar(ceremony(starts_at=SUMMER.astimezone(UTC)))  # given in UTC, written in Amsterdam
    lines = unfold(ics)
    assert "DTSTART;TZID=Europe/Amsterdam:20270615T100000" in lines
    assert "DTEND;TZID=Europe/Amsterdam:20270615T110000" in lines


@pytest.mark.parametrize(
    ("starts_at", "expected_utc"),
    [(SUMMER, dt.datetime(2027, 6, 15, 8, 0, tzinfo=UTC)), (WINTER, dt.datetime(2027, 1, 12, 9, 0, tzinfo=UTC))],
    ids=["summer", "winter"],
)
@pytest.mark.parametrize("kind", ["request", "cancel", "removal", "feed"])
def test_the_ceremony_sits_at_the_right_utc_instant_in_icalendar_and_vobject(starts_at, expected_utc, kind):
    ics, _ = messages(ceremony(starts_at))[kind]
    assert icalendar_start_utc(ics) == expected_utc
    assert vobject_start_utc(ics) == expected_utc


def test_the_summer_check_catches_the_rdate_block_icalendar_generates():
    """Why we write our own VTIMEZONE: vobject reads add_missing_timezones()' block one hour off in summer.

    If a vobject upgrade fixes this, this test fails: keep our block anyway (Outlook) and drop the test.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//test//test//NL")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", "rdate@test")
    event.add("dtstamp", dt.datetime(2027, 5, 1, tzinfo=UTC))
    event.add("dtstart", SUMMER)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    generated = calendar.to_ical()
    assert b"RDATE" in generated
    assert vobject_start_utc(generated) != SUMMER.astimezone(UTC)
    assert vobject_start_utc(request_calendar(ceremony(SUMMER))) == SUMMER.astimezone(UTC)


def test_vtimezone_agrees_with_the_tz_database_around_every_change_until_2040():
    tzinfo = vobject.readOne(request_calendar(ceremony()).decode()).vtimezone.gettzinfo()
    for year in range(2026, 2041):
        for month in (3, 10):
            last_sunday = max(day for day in (dt.date(year, month, d) for d in range(25, 32)) if day.weekday() == 6)
            change = dt.datetime.combine(last_sunday, dt.time(1, 0), tzinfo=UTC)
            for instant in (change - dt.timedelta(minutes=30), change + dt.timedelta(minutes=30)):
                assert instant.astimezone(tzinfo).utcoffset() == instant.astimezone(AMSTERDAM).utcoffset(), instant


def test_the_vtimezone_is_built_once_not_per_message(monkeypatch):
    def build_again():
        raise AssertionError("VTIMEZONE rebuilt")

    monkeypatch.setattr(ical, "_build_vtimezone", build_again)
    first, second = request_calendar(ceremony(SUMMER)), request_calendar(ceremony(WINTER))
    assert component_lines(first, "VTIMEZONE") == component_lines(second, "VTIMEZONE")


# --- organizer and attendees -----------------------------------------------------------------


def attendees_of(ics: bytes) -> list:
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    found = event.get("ATTENDEE", [])
    return found if isinstance(found, list) else [found]


def test_organizer_is_the_hr_mailbox():
    event = icalendar.Calendar.from_ical(request_calendar(ceremony())).walk("VEVENT")[0]
    assert event["ORGANIZER"] == "mailto:eed@pzh.example.org"
    assert event["ORGANIZER"].params["CN"] == "Team Eed en onboarding"


def test_the_organizer_is_never_also_an_attendee_whatever_the_case():
    hr_as_attendee = Person("EED@PZH.example.org", "HR again")
    ics = request_calendar(ceremony(attendees=(NEWCOMER, hr_as_attendee, WITNESS, OFFICIANT)))
    addresses = [str(a).lower() for a in attendees_of(ics)]
    assert "mailto:eed@pzh.example.org" not in addresses
    assert len(addresses) == 3


def test_every_attendee_has_exactly_the_scheduling_parameters():
    found = attendees_of(request_calendar(ceremony()))
    assert [str(a) for a in found] == [
        "mailto:zoe.ozdemir@example.org",
        "mailto:piet.jansen@example.org",
        "mailto:secretaris@example.org",
    ]
    for attendee, person in zip(found, (NEWCOMER, WITNESS, OFFICIANT), strict=True):
        assert dict(attendee.params) == {
            "CN": person.name.replace('"', "'"),
            "CUTYPE": "INDIVIDUAL",
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "TRUE",
        }


def test_names_with_quotes_get_no_quotes_inside_the_cn():
    ics = request_calendar(ceremony())
    (line,) = [line for line in unfold(ics) if "piet.jansen" in line]
    assert "CN=\"Piet 'PJ' Jansen\"" in line
    cn_value = re.search(r"CN=(\"[^\"]*\"|[^;:]*)", line).group(1)
    assert '"' not in cn_value.strip('"')
    assert "^'" not in line
    assert read_vobject(ics).vevent.attendee_list[1].params["CN"] == ["Piet 'PJ' Jansen"]


def test_an_address_listed_twice_is_listed_once():
    ics = request_calendar(ceremony(attendees=(NEWCOMER, WITNESS, Person("Piet.Jansen@example.org", "Piet"))))
    assert len(attendees_of(ics)) == 2


def test_a_request_needs_someone_besides_the_organizer():
    with pytest.raises(ValueError, match="attendee"):
        request_calendar(ceremony(attendees=(HR,)))


# --- content -----------------------------------------------------------------------------


def test_summary_location_description_and_url_are_written():
    event = icalendar.Calendar.from_ical(request_calendar(ceremony())).walk("VEVENT")[0]
    assert event["SUMMARY"] == "Eed of belofte — Zoë Özdemir-van den Berg"
    assert event["LOCATION"] == "Provinciehuis, Zuid-Hollandplein 1, Den Haag; Statenzaal"
    assert event["DESCRIPTION"] == (
        "Programma:\n10:00 ontvangst met koffie\n10:15 eed of belofte\n\nMeenemen: geldig ID-bewijs."
    )
    assert event["URL"] == "https://eed.pzh.example.org/ceremonies/42/"


def test_a_video_link_can_be_the_location_and_no_url_means_no_url_property():
    video = "https://meet.example.org/eed-42?pwd=a;b,c"
    event = icalendar.Calendar.from_ical(request_calendar(ceremony(location=video, url=""))).walk("VEVENT")[0]
    assert event["LOCATION"] == video
    assert "URL" not in event


def test_windows_line_ends_in_the_programme_become_plain_new_lines():
    ics = request_calendar(ceremony(description="Programma:\r\n10:00 ontvangst\r\n\r\nMeenemen: ID"))
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event["DESCRIPTION"] == "Programma:\n10:00 ontvangst\n\nMeenemen: ID"


def test_a_reminder_alarm_is_set_a_day_before_by_default():
    ics = request_calendar(ceremony())
    (alarm,) = icalendar.Calendar.from_ical(ics).walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -dt.timedelta(minutes=1440)
    assert alarm["DESCRIPTION"] == "Eed of belofte — Zoë Özdemir-van den Berg"
    assert read_vobject(ics).vevent.valarm.trigger.value == -dt.timedelta(days=1)


def test_the_reminder_can_be_moved_or_left_out():
    (alarm,) = icalendar.Calendar.from_ical(request_calendar(ceremony(alarm_minutes=30))).walk("VALARM")
    assert alarm.decoded("TRIGGER") == -dt.timedelta(minutes=30)
    assert b"VALARM" not in request_calendar(ceremony(alarm_minutes=None))


# --- lifecycle ---------------------------------------------------------------------------


def test_a_change_is_a_request_with_the_same_uid_and_a_higher_sequence():
    first = icalendar.Calendar.from_ical(request_calendar(ceremony(SUMMER))).walk("VEVENT")[0]
    moved = ceremony(SUMMER + dt.timedelta(days=7, hours=4), sequence=1)
    second = icalendar.Calendar.from_ical(check_message(request_calendar(moved), "REQUEST").to_ical())
    second = second.walk("VEVENT")[0]
    assert second["UID"] == first["UID"]
    assert second["SEQUENCE"] > first["SEQUENCE"]
    assert second.decoded("DTSTART") == SUMMER + dt.timedelta(days=7, hours=4)


def test_a_cancelled_ceremony_is_never_sent_as_a_request():
    with pytest.raises(ValueError, match="cancel"):
        request_calendar(ceremony(status=ical.CANCELLED))


def test_cancelling_the_ceremony_sends_cancel_with_status_cancelled_to_every_attendee():
    ics = cancel_calendar(ceremony(sequence=3, status=ical.CANCELLED))
    parsed = check_message(ics, "CANCEL")
    event = parsed.walk("VEVENT")[0]
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 3
    assert [str(a) for a in attendees_of(ics)] == [
        "mailto:zoe.ozdemir@example.org",
        "mailto:piet.jansen@example.org",
        "mailto:secretaris@example.org",
    ]
    assert not parsed.walk("VALARM")


def test_removing_the_witness_cancels_for_them_only_and_requests_the_shorter_list_for_the_others():
    changed = ceremony(sequence=2, attendees=(NEWCOMER, NEW_WITNESS, OFFICIANT))
    removal = cancel_calendar(changed, attendees=(WITNESS,))
    update = request_calendar(changed)
    removal_event = check_message(removal, "CANCEL").walk("VEVENT")[0]
    update_event = check_message(update, "REQUEST").walk("VEVENT")[0]
    assert [str(a) for a in attendees_of(removal)] == ["mailto:piet.jansen@example.org"]
    assert removal_event["STATUS"] == "CANCELLED"
    assert "mailto:piet.jansen@example.org" not in [str(a) for a in attendees_of(update)]
    assert removal_event["SEQUENCE"] == update_event["SEQUENCE"] == 2
    assert removal_event["UID"] == update_event["UID"]


def test_the_same_input_gives_the_same_bytes():
    assert request_calendar(ceremony()) == request_calendar(ceremony())
    assert cancel_calendar(ceremony(sequence=1)) == cancel_calendar(ceremony(sequence=1))


def test_the_method_inside_is_what_the_mail_part_must_say():
    assert ical.calendar_method(request_calendar(ceremony())) == "REQUEST"
    assert ical.calendar_method(cancel_calendar(ceremony(sequence=1))) == "CANCEL"
    assert ical.calendar_method(feed_calendar([ceremony()], name="x")) == "PUBLISH"


# --- personal feed --------------------------------------------------------------------------


def many_ceremonies(count: int) -> list[CeremonyEvent]:
    first = dt.datetime(2027, 1, 4, 10, 0, tzinfo=AMSTERDAM)
    return [
        ceremony(first + dt.timedelta(days=i // 3, hours=i % 3), uid=f"ceremony-{i}@eed.pzh.example.org")
        for i in range(count)
    ]


def test_the_feed_is_a_publish_calendar_with_name_and_hourly_refresh():
    events = many_ceremonies(5)
    ics = feed_calendar(events, name="Eed en onboarding — Zoë")
    parsed = check_message(ics, "PUBLISH", events=5)
    assert parsed["NAME"] == parsed["X-WR-CALNAME"] == "Eed en onboarding — Zoë"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in unfold(ics)
    assert "X-PUBLISHED-TTL:PT1H" in unfold(ics)
    assert len({str(e["UID"]) for e in parsed.walk("VEVENT")}) == 5
    assert len(parsed.walk("VALARM")) == 5


def test_the_feed_asks_no_one_to_answer():
    ics = feed_calendar(many_ceremonies(3), name="Mijn ceremonies")
    assert b"RSVP" not in ics
    assert b"ATTENDEE" not in ics
    assert all(e["ORGANIZER"] == "mailto:eed@pzh.example.org" for e in icalendar.Calendar.from_ical(ics).walk("VEVENT"))


def test_the_feed_gives_the_same_bytes_while_nothing_changed_cold_or_warm_in_any_order():
    """Cold: rendered by ical.feed_calendar; warm: read back from the cache the feed view uses."""
    events = many_ceremonies(30)
    first = feed_calendar(events, name="Mijn ceremonies")
    assert feed_calendar(events, name="Mijn ceremonies") == first
    assert feed_calendar(list(reversed(events)), name="Mijn ceremonies") == first
    cold, etag = feeds.feed_body(events, name="Mijn ceremonies")
    assert cold == first
    assert feeds.feed_body(events, name="Mijn ceremonies") == (first, etag)
    assert feeds.feed_body(list(reversed(events)), name="Mijn ceremonies")[0] == first


def test_the_feed_changes_when_a_ceremony_changes():
    events = many_ceremonies(10)
    before = feed_calendar(events, name="Mijn ceremonies")
    events[4] = dataclasses.replace(events[4], location="Online: https://meet.example.org/eed", sequence=1)
    after = feed_calendar(events, name="Mijn ceremonies")
    assert after != before
    assert b"meet.example.org" in after
    events[4] = dataclasses.replace(events[4], location="Den Haag")  # same UID and SEQUENCE, new text
    assert b"meet.example.org" not in feed_calendar(events, name="Mijn ceremonies")


def test_the_cached_feed_and_its_etag_change_when_any_field_of_a_ceremony_changes():
    events = many_ceremonies(10)
    before, before_etag = feeds.feed_body(events, name="Mijn ceremonies")
    for change in ({"location": "Den Haag"}, {"description": "Nieuw programma"}, {"url": ""}, {"alarm_minutes": 30}):
        changed = [*events[:4], dataclasses.replace(events[4], **change), *events[5:]]  # same UID and SEQUENCE
        after, after_etag = feeds.feed_body(changed, name="Mijn ceremonies")
        assert after == feed_calendar(changed, name="Mijn ceremonies") != before
        assert after_etag != before_etag
    assert feeds.feed_body(events, name="Andere naam")[0] == feed_calendar(events, name="Andere naam")


def test_a_cancelled_ceremony_in_the_feed_shows_as_cancelled_without_a_reminder():
    ics = feed_calendar([ceremony(sequence=4, status=ical.CANCELLED)], name="Mijn ceremonies")
    parsed = check_message(ics, "PUBLISH")
    assert parsed.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert not parsed.walk("VALARM")


def test_an_empty_feed_is_still_a_valid_calendar():
    check_message(feed_calendar([], name="Mijn ceremonies"), "PUBLISH", events=0)


def test_a_feed_holds_each_uid_once():
    with pytest.raises(ValueError, match="UID"):
        feed_calendar([ceremony(), ceremony(WINTER)], name="x")


def test_a_feed_of_1000_ceremonies_already_rendered_builds_well_under_100_ms():
    """Already rendered: the feed view finds it in Django's cache (eed/calendar/feeds.py)."""
    events = many_ceremonies(1000)
    first, _etag = feeds.feed_body(events, name="Mijn ceremonies")
    assert first == feed_calendar(events, name="Mijn ceremonies")
    started = time.perf_counter()
    again, _etag = feeds.feed_body(events, name="Mijn ceremonies")
    elapsed = time.perf_counter() - started
    assert again == first
    assert elapsed < 0.1, f"{elapsed * 1000:.1f} ms"
