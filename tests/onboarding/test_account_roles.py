"""A role reaches an existing account only when HR saw it and confirmed.

(A manager once became HR by adding HR's future address to their own account.)
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from onboarding.models import AuditEntry, User
from tests.onboarding.test_import import csv_bytes, row
from tests.onboarding.test_import_views import uploaded_batch

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def roles_of(user) -> set[str]:
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_user_cannot_add_an_address_or_make_it_primary(manager):
    client = Client()
    client.post(reverse("account_login"), {"login": manager.email, "password": PASSWORD})

    added = client.post("/accounts/email/", {"action_add": "", "email": "new.hr@example.org"})
    primary = client.post("/accounts/email/", {"action_primary": "", "email": "new.hr@example.org"})

    assert added.status_code == primary.status_code == 405
    assert not EmailAddress.objects.filter(email="new.hr@example.org").exists()
    assert User.objects.get(pk=manager.pk).email == "manager@example.org"
    page = client.get("/accounts/email/")
    assert page.status_code == 200
    assert "manager@example.org" in page.content.decode()


def test_inviting_an_existing_account_shows_it_and_grants_nothing_yet(hr_client, manager):
    response = hr_client.post(
        reverse("user_invite"), {"email": "Manager@Example.org", "roles": ["HR"], "language": "nl"}
    )

    assert response.status_code == 200
    page = text(response)
    assert "Mehmet Yilmaz (manager@example.org)" in page
    assert "P-manager" in page or "Manager" in page
    assert roles_of(manager) == {"Manager"}
    assert not AuditEntry.objects.filter(action="user.roles_grant").exists()


def test_hr_confirms_and_the_grant_is_in_the_audit_trail(hr_client, hr, manager):
    first = hr_client.post(reverse("user_invite"), {"email": manager.email, "roles": ["HR"], "language": "nl"})
    confirmed = first.context["form"]["confirmed"].value()

    response = hr_client.post(
        reverse("user_invite"),
        {"email": manager.email, "roles": ["HR"], "language": "nl", "confirmed": confirmed},
    )

    assert response.status_code == 302
    assert roles_of(manager) == {"Manager", "HR"}
    entry = AuditEntry.objects.get(action="user.roles_grant")
    assert (entry.actor_id, entry.target_id) == (hr.pk, str(manager.pk))
    assert entry.changes["added"] == ["HR"]
    assert entry.changes["before"] == ["Manager"]


def test_a_confirmation_for_one_address_does_not_grant_another(hr_client, manager, other_manager):
    first = hr_client.post(reverse("user_invite"), {"email": manager.email, "roles": ["HR"], "language": "nl"})
    confirmed = first.context["form"]["confirmed"].value()

    response = hr_client.post(
        reverse("user_invite"),
        {"email": other_manager.email, "roles": ["HR"], "language": "nl", "confirmed": confirmed},
    )

    assert response.status_code == 200  # asked again, for this account
    assert "Olga Bakker" in text(response)
    assert roles_of(other_manager) == {"Manager"}


def test_a_confirmation_for_one_role_does_not_grant_more(hr_client, manager):
    first = hr_client.post(reverse("user_invite"), {"email": manager.email, "roles": ["Officiant"], "language": "nl"})
    confirmed = first.context["form"]["confirmed"].value()

    hr_client.post(
        reverse("user_invite"),
        {"email": manager.email, "roles": ["Officiant", "HR"], "language": "nl", "confirmed": confirmed},
    )

    assert "HR" not in roles_of(manager)


def test_an_import_naming_an_existing_account_as_manager_grants_the_role_on_record(hr_client, hr, officiant):
    batch = uploaded_batch(hr_client, csv_bytes([row(number="P1", manager=officiant.email)]))
    preview = text(hr_client.get(reverse("import_preview", args=[batch.pk])))
    assert "Pieter Smit (secretaris@example.org)" in preview
    assert roles_of(officiant) == {"Officiant"}  # nothing granted before HR confirms

    hr_client.post(reverse("import_confirm", args=[batch.pk]))

    assert roles_of(officiant) == {"Officiant", "Manager"}
    entry = AuditEntry.objects.get(action="user.roles_grant")
    assert (entry.actor_id, entry.target_id, entry.via) == (hr.pk, str(officiant.pk), "import")
    assert entry.changes["added"] == ["Manager"]


def test_an_existing_account_already_holding_the_role_changes_nothing(hr_client, manager):
    response = hr_client.post(reverse("user_invite"), {"email": manager.email, "roles": ["Manager"], "language": "nl"})

    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="user.roles_grant").exists()
