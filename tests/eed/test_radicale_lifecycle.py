"""The invite lifecycle against a real CalDAV server (Radicale), as each attendee's calendar app applies it.

Each attendee has a calendar on a fresh Radicale started for this test. Their "app" applies the
messages it receives in SEQUENCE order, as calendar apps do: a REQUEST stores the event (METHOD
removed) under ``<uid>.ics``, replacing the stored copy; a CANCEL deletes it; an older SEQUENCE is
ignored. After each step a CalDAV time-range query checks the event sits at the right UTC time
(Radicale evaluates the VTIMEZONE with vobject). Radicale ignores SEQUENCE itself and accepts some
invalid objects, so this complements the parser checks in test_ical.py; it does not replace them.

Radicale is a test-only dependency (requirements-dev.txt). When it cannot be imported or started
the test skips locally and fails when REQUIRE_ALL=1 (CI).
"""

import base64
import dataclasses
import datetime as dt
import http.client
import importlib.util
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from urllib.parse import quote

import icalendar
import pytest

from eed.calendar import ical
from eed.calendar.ical import cancel_calendar, request_calendar
from tests.eed.test_ical import NEW_WITNESS, NEWCOMER, OFFICIANT, SUMMER, WINTER, WITNESS, ceremony
from tests.parts import missing_part

DAV = "{DAV:}"
CALDAV = "{urn:ietf:params:xml:ns:caldav}"
UTC = dt.UTC
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)


def _unavailable(reason: str):
    missing_part(f"Radicale is needed: {reason}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(port: int, process: subprocess.Popen, *, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("OPTIONS", "/")
            connection.getresponse().read()
            connection.close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


@pytest.fixture
def radicale(tmp_path):
    """A fresh Radicale on 127.0.0.1 (free port, storage in tmp_path, no auth); stopped afterwards."""
    if importlib.util.find_spec("radicale") is None:
        _unavailable("Radicale is not installed: pip install -r requirements-dev.txt")
    port = _free_port()
    log = (tmp_path / "radicale.log").open("wb")
    command = [
        sys.executable,
        "-m",
        "radicale",
        "--config",
        "",  # no /etc/radicale/config, no ~/.config/radicale/config
        "--server-hosts",
        f"127.0.0.1:{port}",
        "--auth-type",
        "none",
        "--rights-type",
        "authenticated",  # with auth none: everyone may read and write everything
        "--storage-filesystem-folder",
        str(tmp_path / "collections"),
        "--web-type",
        "none",
        "--logging-level",
        "warning",
    ]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        if not _wait_until_up(port, process):
            process.kill()
            process.wait(5)
            log.close()
            _unavailable("Radicale did not start: " + (tmp_path / "radicale.log").read_text(errors="replace")[-2000:])
        yield port
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        log.close()


class CalendarApp:
    """One attendee's calendar app: a CalDAV calendar at /<user>/eed/ and the iTIP rules it applies."""

    def __init__(self, port: int, user: str):
        self.port = port
        self.path = f"/{user}/eed/"
        self.auth = "Basic " + base64.b64encode(f"{user}:x".encode()).decode()
        status, _ = self.request("MKCALENDAR", self.path)
        assert status == 201, status

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers={"Authorization": self.auth, **(headers or {})})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def href(self, uid: str) -> str:
        return self.path + quote(uid, safe="") + ".ics"

    def stored(self, uid: str) -> icalendar.Event | None:
        status, body = self.request("GET", self.href(uid))
        if status == 404:
            return None
        assert status == 200, status
        return icalendar.Calendar.from_ical(body).walk("VEVENT")[0]

    def receive(self, message: bytes) -> str:
        """Apply one iTIP message as a calendar app does; returns what it did."""
        calendar = icalendar.Calendar.from_ical(message)
        (event,) = calendar.walk("VEVENT")
        uid, sequence = str(event["UID"]), int(event["SEQUENCE"])
        stored = self.stored(uid)
        if stored is not None and int(stored["SEQUENCE"]) > sequence:
            return "ignored (older)"
        if calendar["METHOD"] == "CANCEL":
            status, _ = self.request("DELETE", self.href(uid))
            assert status in (200, 204, 404), status
            return "deleted"
        assert calendar["METHOD"] == "REQUEST"
        status, body = self.request(
            "PUT",
            self.href(uid),
            body=without_method(message),
            headers={"Content-Type": "text/calendar; charset=utf-8"},
        )
        assert status in (201, 204), (status, body)
        return "stored"

    def events_at(self, instant: dt.datetime) -> list[str]:
        """UIDs of the events that overlap [instant, instant + 1 minute), by a CalDAV time-range REPORT."""
        start, end = (t.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") for t in (instant, instant + MINUTE))
        return self._query(f'<C:time-range start="{start}" end="{end}"/>')

    def all_events(self) -> list[str]:
        return self._query("")

    def _query(self, time_range: str) -> list[str]:
        body = f"""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">{time_range}</C:comp-filter>
  </C:comp-filter></C:filter>
</C:calendar-query>""".encode()
        status, answer = self.request(
            "REPORT", self.path, body, {"Depth": "1", "Content-Type": "application/xml; charset=utf-8"}
        )
        assert status == 207, (status, answer)
        uids = []
        for response in ET.fromstring(answer).iter(f"{DAV}response"):  # noqa: S314 - our own local test server
            data = response.find(f".//{CALDAV}calendar-data")
            if data is not None and data.text:
                uids.extend(str(e["UID"]) for e in icalendar.Calendar.from_ical(data.text).walk("VEVENT"))
        return uids


def without_method(message: bytes) -> bytes:
    """The copy a calendar app stores: the iTIP METHOD line removed (CalDAV forbids it in stored objects)."""
    lines = message.split(b"\r\n")
    assert sum(line.startswith(b"METHOD:") for line in lines) == 1
    return b"\r\n".join(line for line in lines if not line.startswith(b"METHOD:"))


def assert_sits_at(app: CalendarApp, uid: str, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    """Exactly one event, covering [start, end) to the minute: not an hour early, not an hour late."""
    assert app.all_events() == [uid]
    assert app.events_at(starts_at - MINUTE) == []
    assert app.events_at(starts_at) == [uid]
    assert app.events_at(ends_at - MINUTE) == [uid]
    assert app.events_at(ends_at) == []
    assert app.events_at(starts_at - HOUR) == []
    assert app.events_at(ends_at + HOUR - MINUTE) == []


def deliver(message: bytes, apps: dict, people) -> list[str]:
    """One mail per person, each applied by that person's app."""
    return [apps[person].receive(message) for person in people]


@pytest.mark.parametrize(
    ("first", "moved_to"),
    [
        (SUMMER, dt.datetime(2027, 6, 22, 14, 0, tzinfo=ical.AMSTERDAM)),  # summer, stays in summer
        (WINTER, dt.datetime(2027, 3, 30, 10, 0, tzinfo=ical.AMSTERDAM)),  # winter, moved past the clock change
    ],
    ids=["summer", "winter"],
)
def test_invites_move_and_disappear_in_real_calendars(radicale, first, moved_to):
    apps = {person: CalendarApp(radicale, person.email.split("@")[0]) for person in (NEWCOMER, WITNESS, OFFICIANT)}
    apps[NEW_WITNESS] = CalendarApp(radicale, "fatima")
    everyone = (NEWCOMER, WITNESS, OFFICIANT)

    # Invite: every attendee stores it at the right UTC time; the same mail twice leaves one event.
    invite = ceremony(first, sequence=0)
    uid = invite.uid
    assert deliver(request_calendar(invite), apps, everyone) == ["stored"] * 3
    assert deliver(request_calendar(invite), apps, everyone) == ["stored"] * 3
    for person in everyone:
        assert_sits_at(apps[person], uid, first, first + HOUR)

    # Reschedule: same UID, higher SEQUENCE; the event moves, still one.
    moved = dataclasses.replace(invite, sequence=1, starts_at=moved_to, ends_at=moved_to + HOUR)
    deliver(request_calendar(moved), apps, everyone)
    for person in everyone:
        assert_sits_at(apps[person], uid, moved_to, moved_to + HOUR)
        assert apps[person].events_at(first) == []
        assert int(apps[person].stored(uid)["SEQUENCE"]) == 1

    # A late copy of the first invite (lower SEQUENCE) changes nothing.
    assert deliver(request_calendar(invite), apps, everyone) == ["ignored (older)"] * 3
    assert_sits_at(apps[NEWCOMER], uid, moved_to, moved_to + HOUR)

    # The witness is replaced: CANCEL to the old witness only, REQUEST with the new list to the others.
    replaced = dataclasses.replace(moved, sequence=2, attendees=(NEWCOMER, NEW_WITNESS, OFFICIANT))
    assert deliver(cancel_calendar(replaced, attendees=(WITNESS,)), apps, [WITNESS]) == ["deleted"]
    remaining = (NEWCOMER, NEW_WITNESS, OFFICIANT)
    deliver(request_calendar(replaced), apps, remaining)
    assert apps[WITNESS].all_events() == []
    for person in remaining:
        assert_sits_at(apps[person], uid, moved_to, moved_to + HOUR)
        attendees = apps[person].stored(uid)["ATTENDEE"]
        assert [str(a) for a in attendees] == [f"mailto:{p.email}" for p in remaining]

    # The ceremony is cancelled: it disappears for everyone.
    cancelled = dataclasses.replace(replaced, sequence=3, status=ical.CANCELLED)
    assert deliver(cancel_calendar(cancelled), apps, remaining) == ["deleted"] * 3
    for app in apps.values():
        assert app.all_events() == []
