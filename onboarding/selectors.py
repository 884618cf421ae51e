"""Reads shared by views, commands and exports.

Status is derived here, in the database, from facts (kind, deadline, and in
later issues appointments and outcomes), so a list of any length costs the
same number of queries and nothing is stored twice.
"""

import datetime

from django.conf import settings
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from onboarding.enums import Kind, Status
from onboarding.models import Newcomer, Text
from onboarding.roles import is_hr, is_manager


def local_today() -> datetime.date:
    return timezone.localdate()


def status_expression(today: datetime.date):
    return Case(
        When(kind=Kind.EXTERNAL, then=Value(Status.DECLARATION_REQUIRED.value)),
        When(deadline__lt=today, then=Value(Status.OVERDUE.value)),
        default=Value(Status.TO_PLAN.value),
    )


def with_status(queryset: QuerySet, *, today: datetime.date) -> QuerySet:
    return queryset.annotate(status=status_expression(today))


def due_soon_q(today: datetime.date, days: int | None = None) -> Q:
    """Needs an oath, not yet overdue, deadline within the coming days."""
    days = settings.DUE_SOON_DAYS if days is None else days
    end = today + datetime.timedelta(days=days)
    return Q(status=Status.TO_PLAN.value, deadline__gte=today, deadline__lte=end)


def newcomers_visible_to(user, *, today: datetime.date | None = None) -> QuerySet:
    """All newcomers for HR, their own for a manager, none for anyone else."""
    today = today or local_today()
    queryset = with_status(Newcomer.objects.select_related("manager"), today=today)
    if is_hr(user):
        return queryset
    if is_manager(user):
        return queryset.filter(manager=user)
    return queryset.none()


def dashboard_counts(queryset: QuerySet, *, today: datetime.date) -> dict:
    """Overdue, due soon and to-plan counts in one aggregate query."""
    return queryset.aggregate(
        overdue=Count("pk", filter=Q(status=Status.OVERDUE.value)),
        due_soon=Count("pk", filter=due_soon_q(today)),
        to_plan=Count("pk", filter=Q(status=Status.TO_PLAN.value)),
        declaration_required=Count("pk", filter=Q(status=Status.DECLARATION_REQUIRED.value)),
        total=Count("pk"),
    )


def text_current(kind, *, language: str = "nl", today: datetime.date | None = None) -> Text | None:
    """The version in force today in that language, falling back to Dutch."""
    today = today or local_today()
    versions = Text.objects.filter(kind=kind, valid_from__lte=today).order_by("-valid_from", "-version")
    return versions.filter(language=language).first() or versions.filter(language="nl").first()
