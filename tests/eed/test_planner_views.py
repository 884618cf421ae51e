"""HR previews the planner's plan, adjusts it and confirms; the command does the same from cron or a shell."""

import datetime
import json
import threading
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from eed.ceremonies import services
from eed.models import Appointment
from eed.planner.plan import CAPACITY, DEADLINE_PASSED, NO_CEREMONY_IN_WINDOW
from onboarding.models import AuditEntry
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory

pytestmark = pytest.mark.django_db


def _at(days, hour=10):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def _ceremony(days, *, officiant, capacity=10):
    return CeremonyFactory(starts_at=_at(days), ends_at=_at(days, hour=11), officiant=officiant, capacity=capacity)


def _newcomer(manager=None, *, started_days_ago=0, **fields):
    start = timezone.localdate() - datetime.timedelta(days=started_days_ago)
    return NewcomerFactory(manager=manager, start_date=start, **fields)


@pytest.fixture
def secretary(db):
    return OfficiantFactory(user__email="secretaris@example.org").user


@pytest.fixture
def griffier(db):
    return OfficiantFactory(user__email="griffier@example.org", civil_service=False, griffie=True).user


def _post_all(client, preview_response, changes=None):
    """Post the planner form as shown, every row ticked; ``changes`` maps a newcomer to a ceremony or None (untick)."""
    data = {"assign": []}
    for row, select in preview_response.context["rows"]:
        pk = row.newcomer.pk
        chosen = (changes or {}).get(pk, row.ceremony.pk)
        data[select.html_name] = str(row.ceremony.pk if chosen is None else chosen)
        if chosen is not None:
            data["assign"].append(str(pk))
    return client.post(reverse("planner"), data)


def _messages(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def test_only_hr_reaches_the_planner(hr_client, manager_client):
    assert hr_client.get(reverse("planner")).status_code == 200
    assert manager_client.get(reverse("planner")).status_code == 403


def test_the_preview_proposes_rows_and_changes_nothing(hr_client, secretary, manager):
    ceremony = _ceremony(10, officiant=secretary)
    person = _newcomer(manager)

    response = hr_client.get(reverse("planner"))

    [(row, select)] = response.context["rows"]
    assert (row.newcomer, row.ceremony) == (person, ceremony)
    assert select.value() == ceremony.pk
    assert Appointment.objects.count() == 0


def test_confirming_assigns_through_the_service_with_witness_request_and_invites(
    hr_client, hr, secretary, manager, mailbox
):
    ceremony = _ceremony(10, officiant=secretary)
    person = _newcomer(manager, email="zoe@example.org")

    response = _post_all(hr_client, hr_client.get(reverse("planner")))

    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert (appointment.newcomer, appointment.ceremony, appointment.witness) == (person, ceremony, manager)
    assert appointment.created_by == hr and appointment.witness_requested_at is not None
    assert AuditEntry.objects.filter(action="appointment.assign", actor=hr).count() == 1
    recipients = {address for message in mailbox() for address in message.to}
    assert {"manager@example.org", "zoe@example.org", "secretaris@example.org"} <= recipients


def test_a_second_submit_changes_nothing_and_says_so(hr_client, secretary, manager, mailbox):
    _ceremony(10, officiant=secretary)
    _newcomer(manager)
    _newcomer(manager)
    preview = hr_client.get(reverse("planner"))
    _post_all(hr_client, preview)
    hr_client.get(reverse("planner"))  # shows (and so clears) the first confirmation's message
    sent = len(mailbox())

    again = _post_all(hr_client, preview)

    assert Appointment.objects.count() == 2
    assert len(mailbox()) == sent
    assert [level for level, _text in _messages(again)] == ["info"]


def test_hr_can_untick_a_row_and_choose_another_ceremony(hr_client, secretary):
    first = _ceremony(5, officiant=secretary)
    second = _ceremony(12, officiant=secretary)
    moved, waiting = _newcomer(), _newcomer()
    preview = hr_client.get(reverse("planner"))
    [options] = {tuple(c.pk for c in row.options) for row, _select in preview.context["rows"]}
    assert options == (first.pk, second.pk)

    _post_all(hr_client, preview, {moved.pk: second.pk, waiting.pk: None})

    assert list(Appointment.objects.values_list("newcomer", "ceremony")) == [(moved.pk, second.pk)]


def test_a_refused_row_is_reported_and_the_others_still_go_through(hr_client, secretary):
    small = _ceremony(5, officiant=secretary, capacity=1)
    roomy = _ceremony(12, officiant=secretary)
    first, second, third = _newcomer(), _newcomer(), _newcomer()
    preview = hr_client.get(reverse("planner"))

    response = _post_all(hr_client, preview, {first.pk: small.pk, second.pk: small.pk, third.pk: roomy.pk})

    assert Appointment.objects.filter(newcomer__in=[first, third]).count() == 2
    assert not Appointment.objects.filter(newcomer=second).exists()
    levels = [level for level, _text in _messages(response)]
    assert levels.count("success") == 1 and levels.count("error") == 1


def test_someone_planned_elsewhere_meanwhile_is_not_moved(hr_client, hr, secretary):
    first = _ceremony(5, officiant=secretary)
    second = _ceremony(12, officiant=secretary)
    person = _newcomer()
    preview = hr_client.get(reverse("planner"))
    services.appointment_assign(newcomer=person, ceremony=second, by=hr)

    _post_all(hr_client, preview, {person.pk: first.pk})

    assert list(Appointment.objects.values_list("ceremony", flat=True)) == [second.pk]


def test_who_cannot_be_placed_is_listed_with_a_reason_and_a_proposal(hr_client, secretary, griffier):
    _ceremony(5, officiant=secretary, capacity=1)
    placed = _newcomer()
    full = _newcomer()
    griffie = _newcomer(kind="griffie")
    overdue = _newcomer(started_days_ago=90)

    with override("en"):
        response = hr_client.get(reverse("planner"))

    reasons = {row.newcomer: row.reason for row in response.context["unplaced"]}
    assert [row.newcomer for row, _select in response.context["rows"]] == [placed]
    assert reasons == {full: CAPACITY, griffie: NO_CEREMONY_IN_WINDOW, overdue: DEADLINE_PASSED}
    proposals = {p.body: [n.pk for n in p.newcomers] for p in response.context["proposals"]}
    assert proposals == {"civil_service": [full.pk], "griffie": [griffie.pk]}
    assert all(p.starts_at.weekday() in (1, 3) for p in response.context["proposals"])
    html = response.content.decode()
    assert "De uiterste datum is verstreken" in html and "Voorgestelde extra beëdigingen" in html


def test_externals_and_planned_newcomers_are_not_in_the_plan(hr_client, hr, secretary):
    ceremony = _ceremony(5, officiant=secretary)
    services.appointment_assign(newcomer=_newcomer(), ceremony=ceremony, by=hr)
    _newcomer(kind="external")

    response = hr_client.get(reverse("planner"))

    assert response.context["rows"] == [] and response.context["unplaced"] == []


def test_the_preview_costs_the_same_queries_for_many_newcomers(hr_client, secretary, griffier, manager):
    _ceremony(5, officiant=secretary)
    _ceremony(9, officiant=griffier)
    _newcomer(manager)
    hr_client.get(reverse("planner"))
    with CaptureQueriesContext(connection) as few:
        hr_client.get(reverse("planner"))
    for _ in range(12):
        _newcomer(manager)
        _newcomer(kind="griffie")

    with CaptureQueriesContext(connection) as many:
        hr_client.get(reverse("planner"))

    assert len(many) == len(few) <= 12


# The command


def _command(*args) -> dict:
    out = StringIO()
    call_command("plan_ceremonies", *args, "--format", "json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_the_command_prints_the_plan_as_json_and_changes_nothing(secretary):
    ceremony = _ceremony(5, officiant=secretary, capacity=1)
    placed, waiting = _newcomer(), _newcomer()
    overdue = _newcomer(started_days_ago=90)

    result = _command()

    assert set(result) == {"assigned", "unplaced", "proposed"}
    assert result["assigned"] == [{"newcomer": placed.pk, "ceremony": ceremony.pk}]
    assert result["unplaced"] == [
        {"newcomer": overdue.pk, "reason": DEADLINE_PASSED},
        {"newcomer": waiting.pk, "reason": CAPACITY},
    ]
    [proposal] = result["proposed"]
    assert proposal["appointing_body"] == "civil_service" and proposal["newcomers"] == [waiting.pk]
    starts_at = datetime.datetime.fromisoformat(proposal["starts_at"])
    assert starts_at.utcoffset() is not None and starts_at.hour == 10
    assert Appointment.objects.count() == 0


def test_the_command_applies_through_the_service_when_asked(hr, secretary, manager, mailbox):
    ceremony = _ceremony(5, officiant=secretary)
    person = _newcomer(manager)

    _command("--apply", "--by", "HR@example.org")

    appointment = Appointment.objects.get()
    assert (appointment.newcomer, appointment.ceremony, appointment.created_by) == (person, ceremony, hr)
    assert "manager@example.org" in {address for message in mailbox() for address in message.to}
    assert _command("--apply")["assigned"] == []


def test_the_command_plans_from_the_given_day(secretary):
    _ceremony(5, officiant=secretary)
    person = _newcomer()
    later = (timezone.localdate() + datetime.timedelta(days=70)).isoformat()

    result = _command("--today", later)

    assert result["unplaced"] == [{"newcomer": person.pk, "reason": DEADLINE_PASSED}]


def test_the_command_refuses_a_bad_day_or_user(db):
    with pytest.raises(CommandError, match="--today"):
        _command("--today", "29-11-2026")
    with pytest.raises(CommandError):
        _command("--apply", "--by", "nobody@example.org")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_the_same_moment_plan_each_newcomer_once(require_postgresql, secretary):
    from eed.planner.services import planner_apply
    from tests.factories import UserFactory

    hr = UserFactory(roles=["HR"])
    first, second = _ceremony(5, officiant=secretary), _ceremony(12, officiant=secretary)
    people = [_newcomer() for _ in range(5)]
    choices = [[(p.pk, first.pk) for p in people], [(p.pk, second.pk) for p in people]] * 2
    start = threading.Barrier(len(choices))
    outcomes = []

    def confirm(pairs):
        try:
            start.wait()
            outcomes.append(planner_apply(assignments=pairs, by=hr))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(pairs,)) for pairs in choices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    current = Appointment.objects.filter(ended_at__isnull=True)
    assert sorted(current.values_list("newcomer", flat=True)) == sorted(p.pk for p in people)
    assert Appointment.objects.count() == len(people)  # nobody was moved, so no appointment ended
    assert sum(len(o.placed) for o in outcomes) == len(people)
    assert sum(len(o.placed) + len(o.already) + len(o.refused) for o in outcomes) == len(people) * len(choices)


def test_one_action_turns_a_proposal_into_a_ceremony_with_its_people(hr_client, secretary, griffier):
    _ceremony(5, officiant=secretary, capacity=1)
    _newcomer()
    waiting = [_newcomer(given_names="Anna"), _newcomer(given_names="Bas")]
    proposal = next(p for p in hr_client.get(reverse("planner")).context["proposals"] if p.body == "civil_service")
    assert {n.pk for n in proposal.newcomers} == {n.pk for n in waiting} and proposal.officiant == secretary

    # The planner's button is a GET form to the ceremony form, filled in from the proposal.
    local_start = timezone.localtime(proposal.starts_at)
    query = {
        "starts_at": local_start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(proposal.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "capacity": str(proposal.capacity),
        "officiant": str(secretary.pk),
        "newcomers": [str(n.pk) for n in waiting],
    }
    planner_page = hr_client.get(reverse("planner")).content.decode()
    assert f'action="{reverse("ceremony_create")}"' in planner_page
    form_page = hr_client.get(reverse("ceremony_create"), query)
    assert {n.pk for n in form_page.context["proposed"]} == {n.pk for n in waiting}
    assert form_page.context["form"]["starts_at"].value() == query["starts_at"]

    response = hr_client.post(reverse("ceremony_create"), {**query, "place": "Provinciehuis, zaal 2"})

    assert response.status_code == 302
    appointments = Appointment.objects.filter(newcomer__in=waiting, ended_at__isnull=True).select_related("ceremony")
    assert {a.newcomer_id for a in appointments} == {n.pk for n in waiting}
    [ceremony] = {a.ceremony for a in appointments}
    assert ceremony.officiant == secretary and timezone.localtime(ceremony.starts_at) == local_start
    assert "Voorgestelde extra beëdigingen" not in hr_client.get(reverse("planner")).content.decode()
