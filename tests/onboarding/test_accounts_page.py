"""HR's *Accounts*: every account with its roles, a page at a time, and what HR can do about one.

Deactivate and reactivate (never one's own account; each an audit entry), send the invitation again to someone who
never logged in; the invitation form is one click away.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eed.calendar.services import calendar_feed_rotate
from onboarding.accounts import services
from onboarding.accounts.tables import PAGE_SIZE
from onboarding.enums import Role
from onboarding.models import AuditEntry, User
from tests.factories import UserFactory
from tests.html import links_in, table_rows, text_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def accounts_page(client, **query) -> str:
    response = client.get(reverse("user_list"), query)
    assert response.status_code == 200
    return response.content.decode()


def row_of(html: str, email: str) -> list[str]:
    (row,) = [row for row in table_rows(html) if len(row) > 1 and row[1] == email]
    return row


def test_hr_sees_every_account_with_its_roles_and_state(hr, hr_client, manager, officiant, outsider):
    both = UserFactory(email="beide@example.org", first_name="Bo", last_name="Beide", roles=["Manager", "Officiant"])
    invited = services.user_invite(email="nieuw@example.org", by=hr, roles=[Role.MANAGER], first_name="Nina")
    gone = UserFactory(email="weg@example.org", is_active=False, roles=["Manager"])
    Client().force_login(manager)  # the manager has logged in once

    html = accounts_page(hr_client)

    assert row_of(html, manager.email)[:4] == ["Mehmet Yilmaz", manager.email, "Leidinggevende", "Actief"]
    assert row_of(html, both.email)[:3] == ["Bo Beide", both.email, "Leidinggevende, Beëdiger"]
    assert row_of(html, invited.email)[3] == "Uitgenodigd, nog nooit ingelogd"
    assert row_of(html, gone.email)[3] == "Gedeactiveerd"
    assert row_of(html, outsider.email)[2] == "—"
    assert row_of(html, hr.email)[-1] == "Uw eigen account"
    assert reverse("user_invite") in {link.href for link in links_in(html)}


def test_the_menu_item_accounts_opens_the_list_and_the_invite_form_stays_one_click_away(hr_client):
    dashboard = hr_client.get(reverse("dashboard")).content.decode()
    menu = {link.text: link.href for link in links_in(dashboard, "nav")}
    assert menu["Accounts"] == reverse("user_list")

    invite = hr_client.get(reverse("user_invite")).content.decode()
    assert reverse("user_list") in {link.href for link in links_in(invite, "nav")}


def test_the_list_is_paginated_and_costs_the_same_queries_for_a_page_of_two_as_of_a_full_page(hr, hr_client):
    hr_group, manager_group = Group.objects.get(name="HR"), Group.objects.get_or_create(name="Manager")[0]
    UserFactory(roles=["Manager"])

    def queries():
        hr_client.get(reverse("user_list"))
        with CaptureQueriesContext(connection) as captured:
            accounts_page(hr_client)
        return len(captured)

    few = queries()
    for user in UserFactory.create_batch(PAGE_SIZE + 5):
        user.groups.add(manager_group, hr_group)
    many = queries()

    assert few == many <= 12
    first, second = accounts_page(hr_client), accounts_page(hr_client, page=2)
    assert len(table_rows(first)) == PAGE_SIZE
    assert len(table_rows(second)) == User.objects.count() - PAGE_SIZE
    assert "Pagina 1 van 2" in text_in(first)


def test_hr_finds_an_account_by_name_role_or_state(hr, hr_client, manager, officiant):
    gone = UserFactory(email="weg@example.org", last_name="Wegmans", is_active=False)

    assert [row[1] for row in table_rows(accounts_page(hr_client, q="yilmaz"))] == [manager.email]
    assert [row[1] for row in table_rows(accounts_page(hr_client, role="Officiant"))] == [officiant.email]
    assert [row[1] for row in table_rows(accounts_page(hr_client, state="inactive"))] == [gone.email]


def test_deactivating_stops_the_login_the_session_and_the_feed_and_is_audited(hr, hr_client, manager):
    session = Client()
    session.force_login(manager)
    feed = reverse("calendar_feed", args=[calendar_feed_rotate(user=manager)])
    assert Client().get(feed).status_code == 200

    response = hr_client.post(reverse("user_deactivate", args=[manager.pk]) + "?state=active&page=1")

    assert response.status_code == 302
    assert response["Location"] == reverse("user_list") + "?state=active&page=1"
    assert not User.objects.get(pk=manager.pk).is_active
    entry = AuditEntry.objects.get(action="user.deactivate")
    assert (entry.actor, entry.target_id) == (hr, str(manager.pk))
    assert entry.changes["is_active"] == {"before": True, "after": False}
    assert session.get(reverse("dashboard")).status_code == 302  # back to the login page
    assert Client().get(feed).status_code == 404
    login = Client().post(reverse("account_login"), {"login": manager.email, "password": PASSWORD})
    assert "_auth_user_id" not in login.client.session
    message = text_in(hr_client.get(response["Location"]).content.decode())
    assert f"{manager.email} kan niet meer inloggen." in message


def test_reactivating_lets_them_in_again(hr, hr_client, manager):
    services.user_deactivate(user=manager, by=hr)

    hr_client.post(reverse("user_reactivate", args=[manager.pk]))

    assert User.objects.get(pk=manager.pk).is_active
    assert AuditEntry.objects.filter(action="user.reactivate", target_id=str(manager.pk)).count() == 1
    client = Client()
    client.post(reverse("account_login"), {"login": manager.email, "password": PASSWORD})
    assert client.get(reverse("dashboard")).status_code == 200


def test_hr_cannot_deactivate_their_own_account(hr, hr_client):
    response = hr_client.post(reverse("user_deactivate", args=[hr.pk]), follow=True)

    assert User.objects.get(pk=hr.pk).is_active
    assert not AuditEntry.objects.filter(action="user.deactivate").exists()
    assert "Uw eigen account kunt u hier niet wijzigen." in text_in(response.content.decode())
    assert reverse("user_deactivate", args=[hr.pk]) not in response.content.decode()


def test_hr_cannot_deactivate_an_administrator(hr, hr_client):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)

    hr_client.post(reverse("user_deactivate", args=[admin.pk]))

    assert User.objects.get(pk=admin.pk).is_active


def test_a_colleague_who_never_logged_in_gets_the_invitation_again(hr, hr_client, mailbox):
    invited = services.user_invite(email="nieuw@example.org", by=hr, roles=[Role.MANAGER])
    assert len(mailbox()) == 1
    html = accounts_page(hr_client)
    assert reverse("user_invitation_resend", args=[invited.pk]) in html

    hr_client.post(reverse("user_invitation_resend", args=[invited.pk]))

    again = mailbox()[-1]
    assert len(mailbox()) == 2 and again.to == ["nieuw@example.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", again.body).group(1)
    assert Client().get(link, follow=True).status_code == 200
    assert AuditEntry.objects.filter(action="user.invitation_resend", target_id=str(invited.pk)).count() == 1


def test_no_invitation_goes_to_someone_who_has_logged_in(hr, hr_client, manager, mailbox):
    Client().force_login(manager)
    assert reverse("user_invitation_resend", args=[manager.pk]) not in accounts_page(hr_client)

    response = hr_client.post(reverse("user_invitation_resend", args=[manager.pk]), follow=True)

    assert mailbox() == []
    assert "heeft al eens ingelogd" in text_in(response.content.decode())


def test_an_unknown_account_is_a_404(hr_client):
    assert hr_client.post(reverse("user_deactivate", args=[999999])).status_code == 404
