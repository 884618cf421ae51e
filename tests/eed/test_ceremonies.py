"""HR plans ceremonies and assigns newcomers; the rules keep the legal deadline and the room size."""

import datetime
import email
from email import policy

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from eed.ceremonies import services
from eed.enums import CeremonyState, WitnessAnswer
from eed.models import Appointment, Ceremony
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory, UserFactory

pytestmark = pytest.mark.django_db


def _in_days(days, hour=10):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def _calendar(message):
    raw = message.message().as_bytes()
    parsed = email.message_from_bytes(raw, policy=policy.default)
    part = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
    return part.get_param("method"), Calendar.from_ical(part.get_content())


def _invites(outbox):
    """(recipient, METHOD, SEQUENCE, UID) of every calendar mail in the outbox."""
    found = []
    for message in outbox:
        try:
            method, calendar = _calendar(message)
        except StopIteration:
            continue
        event = next(iter(calendar.walk("VEVENT")))
        found.append((message.to[0], method, int(event["SEQUENCE"]), str(event["UID"])))
    return found


@pytest.fixture
def officiant_user(db):
    return OfficiantFactory(user__email="secretaris@example.org").user


@pytest.fixture
def ceremony(officiant_user):
    return CeremonyFactory(officiant=officiant_user, starts_at=_in_days(20), ends_at=_in_days(20, hour=11), capacity=2)


@pytest.fixture
def newcomer(manager):
    return NewcomerFactory(
        given_names="Zoë", surname="Özdemir", email="zoe@example.org", manager=manager, start_date=timezone.localdate()
    )


def test_hr_plans_a_ceremony_and_sees_its_free_places(hr_client, officiant_user):
    response = hr_client.post(
        reverse("ceremony_create"),
        {
            "starts_at": _in_days(30).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": _in_days(30, hour=11).strftime("%Y-%m-%dT%H:%M"),
            "place": "Provinciehuis, zaal 1",
            "officiant": officiant_user.pk,
            "capacity": 12,
        },
    )

    ceremony = Ceremony.objects.get()
    assert response.status_code == 302
    assert ceremony.state == CeremonyState.PLANNED
    listing = hr_client.get(reverse("ceremony_list"))
    assert listing.context["table"].rows[0].record.free == 12


def test_a_ceremony_needs_an_officiant_and_a_place(hr_client, manager):
    response = hr_client.post(
        reverse("ceremony_create"),
        {
            "starts_at": _in_days(30).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": _in_days(29).strftime("%Y-%m-%dT%H:%M"),
            "officiant": manager.pk,
            "capacity": 0,
        },
    )
    assert response.status_code == 200
    assert Ceremony.objects.count() == 0
    html = response.content.decode()
    for field in ("ends_at", "place", "officiant", "capacity"):
        assert f'href="#id_{field}"' in html


def test_assigning_asks_the_manager_and_sends_the_newcomer_link_and_invites(hr, ceremony, newcomer, manager, mailbox):
    appointment, raw = services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)

    assert appointment.witness == manager and appointment.witness_answer == WitnessAnswer.PENDING
    assert raw not in appointment.link_digest and len(raw) >= 40
    outbox = mailbox()
    subjects = {m.to[0]: m.subject for m in outbox if not m.subject.startswith("Uitnodiging")}
    assert "getuige" in subjects["manager@example.org"]
    link_mail = next(m for m in outbox if m.to == ["zoe@example.org"] and raw in m.body)
    assert reverse("newcomer_link", args=[raw]) in link_mail.body
    invites = _invites(outbox)
    assert sorted((to, method, seq) for to, method, seq, _uid in invites) == [
        ("secretaris@example.org", "REQUEST", 0),
        ("zoe@example.org", "REQUEST", 0),
    ]
    assert len({uid for *_rest, uid in invites}) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "external"}, "integriteitsverklaring"),
        ({"start_date_offset": 30}, "startdatum"),
        ({"appointing_body": "griffie", "kind": "griffie"}, "aanstellend orgaan"),
    ],
)
def test_assignment_rules(hr, ceremony, change, message):
    offset = change.pop("start_date_offset", 0)
    newcomer = NewcomerFactory(start_date=timezone.localdate() + datetime.timedelta(days=offset), **change)

    with pytest.raises(services.AssignmentRefused) as refused:
        services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)

    assert message in " ".join(refused.value.messages).lower()
    assert not Appointment.objects.exists()


def test_a_full_ceremony_takes_nobody_more(hr, ceremony):
    for person in NewcomerFactory.create_batch(2):
        services.appointment_assign(newcomer=person, ceremony=ceremony, by=hr)

    with pytest.raises(services.AssignmentRefused, match="vol"):
        services.appointment_assign(newcomer=NewcomerFactory(), ceremony=ceremony, by=hr)
    assert ceremony.appointments.count() == 2


def test_after_the_deadline_only_with_a_reason_and_it_shows_as_late(hr_client, hr, officiant_user):
    late = CeremonyFactory(officiant=officiant_user, starts_at=_in_days(80), ends_at=_in_days(80, hour=11))
    newcomer = NewcomerFactory(surname="Laat", start_date=timezone.localdate())

    with pytest.raises(services.AssignmentRefused, match="reden"):
        services.appointment_assign(newcomer=newcomer, ceremony=late, by=hr)
    appointment, _raw = services.appointment_assign(
        newcomer=newcomer, ceremony=late, by=hr, late_reason="Langdurig ziek na indiensttreding"
    )

    assert appointment.is_late and appointment.late_reason == "Langdurig ziek na indiensttreding"
    assert "te laat" in hr_client.get(reverse("ceremony_detail", args=[late.pk])).content.decode()


def test_the_witness_confirms_in_the_app_and_the_calendars_follow(
    hr, ceremony, newcomer, manager, manager_client, mailbox
):
    appointment, _raw = services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
    mailbox().clear()

    page = manager_client.get(reverse("witness_answer", args=[appointment.pk]))
    response = manager_client.post(reverse("witness_answer", args=[appointment.pk]), {"answer": "confirm"})

    assert page.status_code == 200 and response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.witness_answer == WitnessAnswer.CONFIRMED
    invites = sorted((to, method, seq) for to, method, seq, _uid in _invites(mailbox()))
    assert invites == [("manager@example.org", "REQUEST", 0), ("zoe@example.org", "REQUEST", 1)]


def test_only_the_named_witness_can_answer(hr, ceremony, newcomer, other_manager):
    appointment, _raw = services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
    from django.test import Client

    other = Client()
    other.force_login(other_manager)
    assert other.get(reverse("witness_answer", args=[appointment.pk])).status_code == 404
    assert other.post(reverse("witness_answer", args=[appointment.pk]), {"answer": "confirm"}).status_code == 404
    appointment.refresh_from_db()
    assert appointment.witness_answer == WitnessAnswer.PENDING


def test_a_declining_witness_can_name_a_substitute_and_hr_hears_of_it(hr, ceremony, newcomer, manager_client, mailbox):
    appointment, _raw = services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
    mailbox().clear()

    manager_client.post(
        reverse("witness_answer", args=[appointment.pk]), {"answer": "decline", "substitute": "Piet de Vries"}
    )

    appointment.refresh_from_db()
    assert appointment.witness_answer == WitnessAnswer.DECLINED
    assert appointment.substitute_suggestion == "Piet de Vries"
    hr_mail = next(m for m in mailbox() if m.to == ["hr@example.org"])
    assert "Piet de Vries" in hr_mail.body


def test_replacing_the_witness_cancels_the_old_ones_invite(hr, ceremony, newcomer, manager, other_manager, mailbox):
    appointment, _raw = services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
    services.witness_answer(appointment=appointment, by=manager, confirm=True)
    mailbox().clear()

    services.witness_replace(appointment=appointment, by=hr, witness=other_manager)

    invites = sorted((to, method, seq) for to, method, seq, _uid in _invites(mailbox()))
    assert ("manager@example.org", "CANCEL", 1) in invites
    assert ("zoe@example.org", "REQUEST", 2) in invites
    assert any(m.to == ["other.manager@example.org"] and "getuige" in m.subject for m in mailbox())


def test_the_witness_of_a_held_ceremony_is_not_replaced_afterwards(
    hr, hr_client, ceremony, newcomer, manager, other_manager, mailbox
):
    appointment, _raw = services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
    Ceremony.objects.filter(pk=ceremony.pk).update(state=CeremonyState.HELD)
    mailbox().clear()

    response = hr_client.post(
        reverse("witness_replace", args=[appointment.pk]), {"witness": other_manager.pk}, follow=True
    )

    appointment.refresh_from_db()
    assert appointment.witness == manager
    assert "niet meer gepland" in response.content.decode()
    assert mailbox() == []


def test_moving_keeps_the_history_and_cancels_the_old_invite(hr, ceremony, newcomer, officiant_user, mailbox):
    other = CeremonyFactory(officiant=officiant_user, starts_at=_in_days(25), ends_at=_in_days(25, hour=11))
    services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
    mailbox().clear()

    services.appointment_assign(newcomer=newcomer, ceremony=other, by=hr)

    history = list(newcomer.appointments.order_by("created_at").values_list("ceremony_id", "ended_at"))
    assert [ceremony_id for ceremony_id, _ended in history] == [ceremony.pk, other.pk]
    assert history[0][1] is not None and history[1][1] is None
    invites = {(to, method): uid for to, method, _seq, uid in _invites(mailbox())}
    assert invites[("zoe@example.org", "CANCEL")] != invites[("zoe@example.org", "REQUEST")]


def test_rescheduling_sends_the_same_uid_with_a_higher_sequence(hr, ceremony, newcomer, mailbox):
    services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
    first = {to: (seq, uid) for to, _m, seq, uid in _invites(mailbox())}
    mailbox().clear()

    services.ceremony_update(
        ceremony=ceremony, by=hr, starts_at=_in_days(21), ends_at=_in_days(21, hour=11), place=ceremony.place
    )

    second = {to: (seq, uid) for to, _m, seq, uid in _invites(mailbox())}
    assert set(second) == {"zoe@example.org", "secretaris@example.org"}
    for to, (seq, uid) in second.items():
        assert uid == first[to][1] and seq == first[to][0] + 1


def test_saving_without_changes_sends_nothing(hr, ceremony, newcomer, mailbox):
    services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
    mailbox().clear()

    services.ceremony_update(ceremony=ceremony, by=hr, notes="Koffie vanaf 9:30")

    assert _invites(mailbox()) == []


def test_cancelling_sends_everyone_a_cancel_and_the_newcomer_is_back_to_plan(
    hr_client, hr, ceremony, newcomer, mailbox
):
    services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
    mailbox().clear()

    hr_client.post(reverse("ceremony_cancel", args=[ceremony.pk]), {"reason": "Secretaris ziek"})

    ceremony.refresh_from_db()
    assert ceremony.state == CeremonyState.CANCELLED
    assert not newcomer.appointments.filter(ended_at__isnull=True).exists()
    assert sorted((to, method) for to, method, _s, _u in _invites(mailbox())) == [
        ("secretaris@example.org", "CANCEL"),
        ("zoe@example.org", "CANCEL"),
    ]
    to_plan = hr_client.get(reverse("newcomer_list"), {"status": "to_plan"}).context["table"]
    assert newcomer.pk in [row.record.pk for row in to_plan.rows]


def test_managers_see_only_ceremonies_they_witness(hr, ceremony, newcomer, manager_client, other_manager):
    other = CeremonyFactory(officiant=ceremony.officiant)
    services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
    from django.test import Client

    assert manager_client.get(reverse("ceremony_detail", args=[ceremony.pk])).status_code == 200
    assert manager_client.get(reverse("ceremony_detail", args=[other.pk])).status_code == 404
    stranger = Client()
    stranger.force_login(other_manager)
    assert stranger.get(reverse("ceremony_detail", args=[ceremony.pk])).status_code == 404
    assert manager_client.get(reverse("ceremony_create")).status_code == 403


def test_officiants_see_the_ceremonies_they_lead(ceremony, officiant_user):
    from django.test import Client

    client = Client()
    client.force_login(officiant_user)
    listing = client.get(reverse("ceremony_list"))
    assert [row.record.pk for row in listing.context["table"].rows] == [ceremony.pk]
    other_officiant = OfficiantFactory().user
    assert (
        client.get(reverse("ceremony_detail", args=[CeremonyFactory(officiant=other_officiant).pk])).status_code == 404
    )


def test_hr_assigns_through_the_page_and_bad_choices_get_a_message(hr_client, ceremony, newcomer):
    ok = hr_client.post(reverse("appointment_add", args=[ceremony.pk]), {"newcomer": newcomer.pk}, follow=True)
    bad = hr_client.post(reverse("appointment_add", args=[ceremony.pk]), {"newcomer": 999999})

    assert ok.status_code == 200 and newcomer.appointments.count() == 1
    assert bad.status_code == 200  # the page again, with what went wrong above the list
    assert bad.context["assign_form"].errors["newcomer"]
    assert 'class="error-summary"' in bad.content.decode()


def test_unknown_people_cannot_be_made_officiant(hr):
    not_officiant = UserFactory(roles=["Manager"])
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.ceremony_schedule(
            by=hr,
            starts_at=_in_days(10),
            ends_at=_in_days(10, hour=11),
            place="Zaal",
            officiant=not_officiant,
            capacity=5,
        )


def test_the_newcomer_status_follows_the_witness_answer(hr_client, hr, ceremony, newcomer, manager):
    def status():
        table = hr_client.get(reverse("newcomer_list"), {"q": "Özdemir"}).context["table"]
        return [row.record.status for row in table.rows]

    assert status() == ["to_plan"]
    appointment, _raw = services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
    assert status() == ["witness_pending"]
    services.witness_answer(appointment=appointment, by=manager, confirm=False)
    assert status() == ["witness_declined"]
    assert hr_client.get(reverse("dashboard")).context["counts"]["witness_declined"] == 1
    services.witness_replace(appointment=appointment, by=hr, witness=manager)
    services.witness_answer(appointment=appointment, by=manager, confirm=True)
    assert status() == ["planned"]
