"""The admin's long change lists (audit trail, appointments, ceremonies) cost the same queries for 5 rows as for
25: what each row names comes in the page's own query (issue #19)."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eed.ceremonies import services
from onboarding.audit.trail import audit_record
from onboarding.models import AuditEntry
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory, UserFactory
from tests.mfa_support import give_totp, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_():
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    give_totp(admin)
    client = Client()
    sign_in(client, admin)
    return client


def _add_rows(count, *, hr):
    """``count`` appointments, each in its own ceremony with its own officiant, newcomer and witness, and
    ``count`` audit entries each by another user."""
    for number in range(count):
        starts = timezone.localtime().replace(microsecond=0) + datetime.timedelta(days=10 + number)
        ceremony = CeremonyFactory(officiant=OfficiantFactory().user, starts_at=starts)
        newcomer = NewcomerFactory(manager=UserFactory())
        services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
        audit_record(actor=UserFactory(), action="test.touch", target=newcomer)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url_name",
    ["admin:onboarding_auditentry_changelist", "admin:eed_appointment_changelist", "admin:eed_ceremony_changelist"],
)
def test_an_admin_change_list_costs_the_same_queries_for_5_and_25_rows(admin_client_, hr, url_name):
    url = reverse(url_name)
    _add_rows(5, hr=hr)
    few = _queries(admin_client_, url)

    _add_rows(20, hr=hr)
    many = _queries(admin_client_, url)

    assert many == few


def test_the_audit_trail_filters_by_period_and_finds_an_object_by_its_id(admin_client_, hr):
    _add_rows(3, hr=hr)
    url = reverse("admin:onboarding_auditentry_changelist")

    month_start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    this_month = admin_client_.get(url, {"at__gte": str(month_start)})
    by_target = admin_client_.get(url, {"q": "999999"})

    assert this_month.status_code == 200 and this_month.context["cl"].result_count >= 3
    assert by_target.status_code == 200 and by_target.context["cl"].result_count == 0


def test_the_audit_trail_offers_each_action_and_object_type_once_and_filters_by_them(admin_client_, hr):
    _add_rows(2, hr=hr)
    newcomer = NewcomerFactory()
    audit_record(actor=hr, action="test.alpha", target=newcomer)
    audit_record(actor=hr, action="test.alpha", target=newcomer)
    url = reverse("admin:onboarding_auditentry_changelist")

    page = admin_client_.get(url)
    offered = {
        spec.title: [choice["display"] for choice in spec.choices(page.context["cl"])][1:]
        for spec in page.context["cl"].filter_specs
    }
    alpha = admin_client_.get(url, {"action": "test.alpha"})

    actions = offered[str(AuditEntry._meta.get_field("action").verbose_name)]
    assert actions == list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())
    assert actions.count("test.alpha") == 1 and "test.touch" in actions
    assert "onboarding.newcomer" in offered[str(AuditEntry._meta.get_field("target_type").verbose_name)]
    assert alpha.context["cl"].result_count == 2


def test_the_appointments_list_opens_on_the_newest(admin_client_, hr):
    _add_rows(3, hr=hr)

    page = admin_client_.get(reverse("admin:eed_appointment_changelist"))

    shown = [appointment.pk for appointment in page.context["cl"].result_list]
    assert shown == sorted(shown, reverse=True) and len(shown) == 3
