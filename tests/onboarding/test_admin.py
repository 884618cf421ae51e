"""Administrators manage accounts in the Django admin; newcomers change only through the app."""

import pytest
from django.test import Client
from django.urls import reverse

from onboarding.models import User
from tests.factories import NewcomerFactory, UserFactory
from tests.mfa_support import give_totp, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_():
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    give_totp(admin)  # administrators must have a second factor
    client = Client()
    sign_in(client, admin)
    return client


def test_admin_creates_an_account_without_password_and_sends_the_invitation(admin_client_, mailbox):
    response = admin_client_.post(
        reverse("admin:onboarding_user_add"), {"email": "New@Example.org", "usable_password": "false"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert not user.has_usable_password()

    admin_client_.post(
        reverse("admin:onboarding_user_changelist"),
        {"action": "send_invitation", "_selected_action": [user.pk]},
    )
    assert [m.to for m in mailbox()] == [["new@example.org"]]


def test_admin_pages_render(admin_client_):
    newcomer = NewcomerFactory()
    for url in (
        reverse("admin:onboarding_user_changelist"),
        reverse("admin:onboarding_newcomer_changelist"),
        reverse("admin:onboarding_newcomer_change", args=[newcomer.pk]),
        reverse("admin:onboarding_auditentry_changelist"),
    ):
        assert admin_client_.get(url).status_code == 200
