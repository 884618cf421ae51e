"""Before a change that others feel, HR sees what will happen and confirms (issue #15 item 8).

Moving a newcomer planned in another ceremony, planning a ceremony at the time of another with the
same officiant or in the same place, and taking someone out of a ceremony each ask first.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from eed.ceremonies import services
from eed.enums import WitnessAnswer
from eed.models import Appointment, Ceremony
from onboarding.models import Newcomer
from onboarding.newcomers.selectors import with_status
from tests.eed.test_ceremonies import _invites
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory

pytestmark = pytest.mark.django_db


def at(days: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=minute, second=0, microsecond=0)


def text(response) -> str:
    """The page as plain text, white space made single."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def officiant_user(db):
    return OfficiantFactory(
        user__email="secretaris@example.org", user__first_name="Pieter", user__last_name="Smit"
    ).user


@pytest.fixture
def first(officiant_user):
    """The ceremony the newcomer is planned in: in 20 days, 10:00-11:00."""
    return CeremonyFactory(officiant=officiant_user, starts_at=at(20), ends_at=at(20, 11), place="Zaal 1")


@pytest.fixture
def second(officiant_user):
    return CeremonyFactory(officiant=officiant_user, starts_at=at(27, 14), ends_at=at(27, 15), place="Zaal 2")


@pytest.fixture
def newcomer(manager):
    return NewcomerFactory(
        given_names="Zoë", surname="Özdemir", email="zoe@example.org", manager=manager, start_date=timezone.localdate()
    )


@pytest.fixture
def planned(hr, manager, first, newcomer):
    """Zoë in the first ceremony, her manager confirmed as the witness."""
    appointment, _raw = services.appointment_assign(newcomer=newcomer, ceremony=first, by=hr)
    services.witness_answer(appointment=appointment, by=manager, confirm=True)
    return appointment


def current_ceremony(newcomer) -> int | None:
    return newcomer.appointments.filter(ended_at__isnull=True).values_list("ceremony_id", flat=True).first()


def confirmation_data(response) -> dict:
    """The hidden fields of the confirmation step, as the browser sends them back."""
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', response.content.decode()))


# --- (a) adding someone planned in another ceremony ----------------------------------------------------


def test_adding_someone_planned_elsewhere_asks_first_and_says_what_will_happen(
    hr_client, planned, first, second, newcomer, mailbox
):
    mailbox().clear()

    asked = hr_client.post(reverse("appointment_add", args=[second.pk]), {"newcomer": newcomer.pk})

    assert asked.status_code == 200
    assert current_ceremony(newcomer) == first.pk
    assert mailbox() == []
    page = text(asked)
    when = timezone.localtime(first.starts_at)
    assert f"{when.day} " in page and "10:00\u201311:00" in page and "Zaal 1" in page
    assert "Mehmet Yilmaz: Bevestigd" in page  # the witness there had confirmed
    assert "krijgt daarvoor een annulering" in page
    assert "had daar bevestigd als getuige en krijgt een annulering" in page
    data = confirmation_data(asked)
    assert data["confirmed"] == f"{newcomer.pk}:{planned.pk}"

    moved = hr_client.post(reverse("appointment_add", args=[second.pk]), data)

    assert moved.status_code == 302
    assert current_ceremony(newcomer) == second.pk
    assert Appointment.objects.get(pk=planned.pk).ended_at is not None
    invites = {(to, method) for to, method, _seq, _uid in _invites(mailbox())}
    assert {("zoe@example.org", "CANCEL"), ("manager@example.org", "CANCEL"), ("zoe@example.org", "REQUEST")} <= invites


def test_a_pending_witness_is_told_to_lapse_not_to_be_cancelled(hr, hr_client, first, second, newcomer):
    services.appointment_assign(newcomer=newcomer, ceremony=first, by=hr)

    page = text(hr_client.post(reverse("appointment_add", args=[second.pk]), {"newcomer": newcomer.pk}))

    assert "Mehmet Yilmaz: Nog geen antwoord" in page
    assert "had daar niet bevestigd als getuige; dat verzoek vervalt" in page
    assert "krijgt een annulering, of" not in page


def test_a_stale_confirmation_is_asked_again(hr, hr_client, officiant_user, planned, second, newcomer):
    data = confirmation_data(hr_client.post(reverse("appointment_add", args=[second.pk]), {"newcomer": newcomer.pk}))
    third = CeremonyFactory(officiant=officiant_user, starts_at=at(30), ends_at=at(30, 11), place="Zaal 3")
    services.appointment_assign(newcomer=newcomer, ceremony=third, by=hr)  # someone else moved her meanwhile

    again = hr_client.post(reverse("appointment_add", args=[second.pk]), data)

    assert again.status_code == 200
    assert current_ceremony(newcomer) == third.pk
    assert "Zaal 3" in text(again) and "gewijzigd nadat u bevestigde" in text(again)
    assert confirmation_data(again)["confirmed"] != data["confirmed"]


def test_a_confirmation_for_someone_else_does_not_move_this_newcomer(hr, hr_client, first, second, planned, newcomer):
    other = NewcomerFactory(start_date=timezone.localdate())
    other_appointment, _raw = services.appointment_assign(newcomer=other, ceremony=first, by=hr)

    response = hr_client.post(
        reverse("appointment_add", args=[second.pk]),
        {"newcomer": newcomer.pk, "confirmed": f"{other.pk}:{other_appointment.pk}"},
    )

    assert response.status_code == 200
    assert current_ceremony(newcomer) == first.pk and current_ceremony(other) == first.pk


def test_someone_not_planned_yet_is_added_at_once(hr_client, second, newcomer):
    response = hr_client.post(reverse("appointment_add", args=[second.pk]), {"newcomer": newcomer.pk})

    assert response.status_code == 302
    assert current_ceremony(newcomer) == second.pk


# --- (b) a ceremony at the time of another -----------------------------------------------------------------


def ceremony_form(starts, ends, officiant, place, **extra) -> dict:
    return {
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": ends.strftime("%Y-%m-%dT%H:%M"),
        "place": place,
        "officiant": officiant.pk,
        "capacity": 10,
        **extra,
    }


def overlaps_listed(response) -> list[str]:
    block = response.content.decode().partition('id="overlaps"')[2].partition("</ul>")[0]
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in block.split("<li>")[1:]]


def test_a_ceremony_of_the_same_officiant_at_the_same_time_is_saved_only_once_confirmed(
    hr_client, officiant_user, first
):
    data = ceremony_form(at(20, 10, 30), at(20, 11, 30), officiant_user, "Zaal 9")

    warned = hr_client.post(reverse("ceremony_create"), data)

    assert warned.status_code == 200 and Ceremony.objects.count() == 1
    (line,) = overlaps_listed(warned)
    assert "10:00\u201311:00, Zaal 1, Pieter Smit" in line and line.endswith("dezelfde beëdiger")
    assert f'href="{reverse("ceremony_detail", args=[first.pk])}"' in warned.content.decode()
    assert f'name="overlap_confirmed" value="{first.pk}"' in warned.content.decode()

    saved = hr_client.post(reverse("ceremony_create"), data | {"overlap_confirmed": str(first.pk)})

    assert saved.status_code == 302 and Ceremony.objects.count() == 2


def test_the_same_place_at_the_same_time_warns_too_and_touching_times_do_not(hr_client, first):
    other_officiant = OfficiantFactory(user__first_name="Greet", user__last_name="Griffier").user

    same_room = hr_client.post(
        reverse("ceremony_create"), ceremony_form(at(20, 9), at(20, 10, 30), other_officiant, "zaal 1")
    )
    after = hr_client.post(reverse("ceremony_create"), ceremony_form(at(20, 11), at(20, 12), other_officiant, "Zaal 1"))

    (line,) = overlaps_listed(same_room)
    assert line.endswith("dezelfde plaats")
    assert after.status_code == 302


def test_a_cancelled_ceremony_is_no_overlap(hr, hr_client, officiant_user, first):
    services.ceremony_cancel(ceremony=first, by=hr)

    response = hr_client.post(reverse("ceremony_create"), ceremony_form(at(20), at(20, 11), officiant_user, "Zaal 1"))

    assert response.status_code == 302


def test_moving_a_ceremony_onto_another_warns_and_a_confirmation_covers_only_the_ceremonies_listed(
    hr_client, officiant_user, first, second
):
    third = CeremonyFactory(officiant=officiant_user, starts_at=at(20, 11), ends_at=at(20, 12), place="Zaal 3")
    url = reverse("ceremony_edit", args=[second.pk])

    unchanged = hr_client.post(url, ceremony_form(at(27, 14), at(27, 15), officiant_user, "Zaal 2", notes="Koffie"))
    onto_first = hr_client.post(url, ceremony_form(at(20, 10), at(20, 11), officiant_user, "Zaal 2"))
    longer = ceremony_form(at(20, 10), at(20, 12), officiant_user, "Zaal 2", overlap_confirmed=str(first.pk))
    wider = hr_client.post(url, longer)

    assert unchanged.status_code == 302  # the ceremony does not overlap with itself
    assert len(overlaps_listed(onto_first)) == 1
    assert wider.status_code == 200 and len(overlaps_listed(wider)) == 2  # the third one is new: asked again
    second.refresh_from_db()
    assert timezone.localtime(second.starts_at).hour == 14
    saved = hr_client.post(url, longer | {"overlap_confirmed": f"{first.pk},{third.pk}"})
    assert saved.status_code == 302


def test_a_change_that_keeps_time_place_and_officiant_asks_nothing(hr_client, officiant_user, first):
    CeremonyFactory(officiant=officiant_user, starts_at=at(20, 10, 30), ends_at=at(20, 11, 30), place="Zaal 1")

    response = hr_client.post(
        reverse("ceremony_edit", args=[first.pk]),
        ceremony_form(at(20), at(20, 11), officiant_user, "Zaal 1", notes="Koffie"),
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.notes == "Koffie"


# --- (c) taking someone out of a ceremony -----------------------------------------------------------------


def status_of(newcomer) -> str:
    return with_status(Newcomer.objects.filter(pk=newcomer.pk), today=timezone.localdate()).get().status


def test_remove_shows_who_and_what_happens_and_removes_only_when_confirmed(
    hr_client, planned, first, newcomer, mailbox
):
    mailbox().clear()
    url = reverse("appointment_remove", args=[planned.pk])
    detail = hr_client.get(reverse("ceremony_detail", args=[first.pk])).content.decode()

    page = hr_client.get(url)

    assert f'href="{url}"' in detail  # a link to this page, no longer a button that removes at once
    assert page.status_code == 200
    shown = text(page)
    assert "Zoë Özdemir uit de beëdiging verwijderen" in shown and "Zaal 1" in shown
    assert "Zoë Özdemir krijgt een annulering" in shown
    assert "Mehmet Yilmaz had bevestigd als getuige en krijgt ook een annulering" in shown
    assert "In te plannen" in shown
    assert current_ceremony(newcomer) == first.pk and mailbox() == []

    done = hr_client.post(url, {"reason": "Langdurig ziek"})

    assert done.status_code == 302
    ended = Appointment.objects.get(pk=planned.pk)
    assert ended.ended_at is not None and ended.end_reason == "Langdurig ziek"
    assert status_of(newcomer) == "to_plan"
    assert sorted((to, method) for to, method, _s, _u in _invites(mailbox())) == [
        ("manager@example.org", "CANCEL"),
        ("zoe@example.org", "CANCEL"),
    ]


def test_remove_says_a_pending_witness_request_is_withdrawn(hr, hr_client, first, newcomer):
    appointment, _raw = services.appointment_assign(newcomer=newcomer, ceremony=first, by=hr)
    assert appointment.witness_answer == WitnessAnswer.PENDING

    shown = text(hr_client.get(reverse("appointment_remove", args=[appointment.pk])))

    assert "Het verzoek aan Mehmet Yilmaz om getuige te zijn wordt ingetrokken" in shown


def test_a_newcomer_no_longer_in_the_ceremony_is_not_removed_twice(hr, hr_client, planned, first):
    services.appointment_remove(appointment=planned, by=hr)

    response = hr_client.get(reverse("appointment_remove", args=[planned.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("ceremony_detail", args=[first.pk])
    assert "niet meer ingepland" in text(response)
