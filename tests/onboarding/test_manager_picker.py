"""The manager on the newcomer form: a search among the managers, not a dropdown of every user (issue #15 item 3)."""

import datetime
import re

import pytest
from django.urls import reverse

from onboarding.models import Newcomer
from tests.factories import NewcomerFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("core.clock.local_today", lambda: TODAY)


def form_data(**overrides) -> dict:
    data = {
        "given_names": "Jan",
        "surname_prefix": "",
        "surname": "Berg",
        "email": "jan.berg@example.org",
        "personnel_number": "104233",
        "start_date": "2027-01-31",
        "kind": "employee",
        "manager": "",
        "notes": "",
    }
    return {**data, **overrides}


def offered(html: str) -> list[str]:
    body = re.search(r'<datalist id="id_manager-list">(.*?)</datalist>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)">', body)


def test_the_manager_picker_offers_active_managers_only_and_needs_no_script(hr_client, hr, manager, other_manager):
    UserFactory(email="secretaris@example.org", first_name="Pieter", last_name="Smit", roles=["Officiant"])
    UserFactory(email="gone@example.org", first_name="Gert", last_name="Weg", roles=["Manager"], is_active=False)

    page = hr_client.get(reverse("newcomer_create")).content.decode()

    assert '<select name="manager"' not in page
    assert re.search(r'<input type="text" name="manager"[^>]*list="id_manager-list"', page)
    assert offered(page) == ["Olga Bakker (other.manager@example.org)", "Mehmet Yilmaz (manager@example.org)"]
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize(
    "typed", ["Olga Bakker (other.manager@example.org)", "other.manager@example.org", "Olga Bakker"]
)
def test_a_manager_chosen_from_the_list_or_typed_is_saved(hr_client, other_manager, typed):
    response = hr_client.post(reverse("newcomer_create"), form_data(manager=typed))

    assert response.status_code == 302
    assert Newcomer.objects.get().manager == other_manager


@pytest.mark.parametrize("typed", ["hr@example.org", "Hanna de Ruiter", "nobody@example.org"])
def test_someone_who_is_no_manager_is_refused(hr_client, hr, manager, typed):
    response = hr_client.post(reverse("newcomer_create"), form_data(manager=typed))

    assert response.status_code == 200
    assert response.context["form"].errors["manager"]
    assert not Newcomer.objects.exists()


def test_part_of_a_name_comes_back_with_the_managers_it_may_mean(hr_client, manager, other_manager):
    UserFactory(email="p.bakker@example.org", first_name="Piet", last_name="Bakker", roles=["Manager"])

    response = hr_client.post(reverse("newcomer_create"), form_data(manager="bakker"))

    (error,) = response.context["form"].errors["manager"]
    assert "Olga Bakker (other.manager@example.org)" in error and "Piet Bakker (p.bakker@example.org)" in error
    assert "Mehmet" not in error
    assert 'value="bakker"' in response.content.decode()  # what was typed stays, to be finished


def test_editing_shows_the_current_manager_and_keeps_one_who_is_no_longer_a_manager(hr_client, manager):
    former = UserFactory(email="former@example.org", first_name="Fien", last_name="Vroeger", roles=[])
    person = NewcomerFactory(manager=former, start_date=TODAY)
    url = reverse("newcomer_edit", args=[person.pk])

    page = hr_client.get(url).content.decode()
    assert re.search(r'name="manager" value="Fien Vroeger \(former@example.org\)"', page)

    same = {"given_names": person.given_names, "surname": person.surname, "email": person.email}
    data = form_data(
        **same, personnel_number=person.personnel_number, start_date=TODAY.isoformat(), manager=former.email
    )
    assert hr_client.post(url, data).status_code == 302
    assert Newcomer.objects.get(pk=person.pk).manager == former
