"""Reads of newcomers: their status derived from dates and appointments, the lists each user sees, the
dashboard counts.

A newcomer's status follows from their appointments (eed's), read through the reverse relation.
"""

import datetime

from django.conf import settings
from django.db.models import Case, Count, F, FilteredRelation, Q, QuerySet, Value, When
from django.utils import timezone

from core.clock import local_today
from onboarding.accounts.roles import is_hr, is_manager
from onboarding.declarations.rules import declaration_status
from onboarding.enums import DECLARATION_UNSIGNED, Kind, Status
from onboarding.models import Newcomer

# The current appointment as a LEFT JOIN (at most one row: the one_current_appointment constraint), not a
# correlated subquery per field: PostgreSQL then hashes both tables once instead of probing per newcomer.
CURRENT = "current_appointment"


def current_appointment() -> FilteredRelation:
    """The newcomer's appointment that has not ended; its fields are NULL when there is none."""
    return FilteredRelation("appointments", condition=Q(appointments__ended_at__isnull=True))


def current_witness_answer():
    """The witness answer of the newcomer's current appointment (NULL when there is none)."""
    return F(f"{CURRENT}__witness_answer")


def current_outcome():
    """The recorded outcome of the current appointment ("" before the ceremony, NULL without one).

    A taken oath stays the current appointment; an absent one is ended, so
    the newcomer is back to *to plan* (or *overdue*) with the same deadline.
    """
    return F(f"{CURRENT}__outcome")


def status_expression(today: datetime.date, *, now: datetime.datetime | None = None):
    """Externals: their declaration's state. Everyone else: their oath's.

    Needs the ``appointment_outcome`` and ``appointment_answer`` annotations
    (``with_status`` adds them and the status).
    """
    return Case(
        When(kind=Kind.EXTERNAL, then=declaration_status(now or timezone.now())),
        When(appointment_outcome="taken", then=Value(Status.SWORN.value)),
        When(appointment_answer="confirmed", then=Value(Status.PLANNED.value)),
        When(appointment_answer="declined", then=Value(Status.WITNESS_DECLINED.value)),
        When(appointment_answer__isnull=False, then=Value(Status.WITNESS_PENDING.value)),
        When(deadline__lt=today, then=Value(Status.OVERDUE.value)),
        default=Value(Status.TO_PLAN.value),
    )


def with_status(queryset: QuerySet, *, today: datetime.date) -> QuerySet:
    return (
        queryset.annotate(**{CURRENT: current_appointment()})
        .annotate(appointment_answer=current_witness_answer(), appointment_outcome=current_outcome())
        .annotate(status=status_expression(today))
    )


# Filter values that stand for several derived states. OPEN: everyone still to be sworn in or to sign.
OPEN = "open"
DONE = (Status.SWORN, Status.DECLARATION_SIGNED)
STATUS_GROUPS = {
    Status.DECLARATION_REQUIRED.value: [status.value for status in DECLARATION_UNSIGNED],
    OPEN: [status.value for status in Status if status not in (*DONE, Status.DECLARATION_REQUIRED)],
}


def status_q(value: str) -> Q:
    """Rows in this status, or in any status of the group the value names."""
    return Q(status__in=STATUS_GROUPS[value]) if value in STATUS_GROUPS else Q(status=value)


def status_facts_q(value: str, today: datetime.date) -> Q:
    """Stored facts every newcomer in this status (or group) has: added to a status filter, they change
    nothing in the result but let the database find the rows by index (the deadline, the kind) instead of
    deriving the status of every newcomer there ever was. To plan: deadline today or later; overdue:
    before today; both need an oath. Declaration states: externals."""
    if value == Status.TO_PLAN.value:
        return Q(deadline__gte=today) & ~Q(kind=Kind.EXTERNAL)
    if value == Status.OVERDUE.value:
        return Q(deadline__lt=today) & ~Q(kind=Kind.EXTERNAL)
    if value == Status.DECLARATION_REQUIRED.value or value.startswith("declaration_"):
        return Q(kind=Kind.EXTERNAL)
    if value in (Status.PLANNED.value, Status.WITNESS_PENDING.value, Status.WITNESS_DECLINED.value):
        return ~Q(kind=Kind.EXTERNAL)
    return Q()


def started_unsigned_q(today: datetime.date) -> Q:
    """Externals who have started work without a valid signed declaration."""
    return Q(kind=Kind.EXTERNAL, start_date__lte=today) & status_q(Status.DECLARATION_REQUIRED.value)


def due_soon_q(today: datetime.date, days: int | None = None) -> Q:
    """Needs an oath, not yet overdue, deadline within the coming days."""
    days = settings.DUE_SOON_DAYS if days is None else days
    end = today + datetime.timedelta(days=days)
    return Q(status=Status.TO_PLAN.value, deadline__gte=today, deadline__lte=end)


def needs_action_q(today: datetime.date) -> Q:
    """What a manager can do something about: overdue or due soon with no ceremony (agree a date with HR), an
    external at work without a signed declaration (ask them to sign). The three sets do not overlap."""
    return Q(status=Status.OVERDUE.value) | due_soon_q(today) | started_unsigned_q(today)


def newcomers_needing_action(queryset: QuerySet, *, today: datetime.date) -> QuerySet:
    return queryset.filter(needs_action_q(today)).order_by("deadline", "surname", "id")


def newcomers_visible_to(user, *, today: datetime.date | None = None) -> QuerySet:
    """All newcomers for HR, their own for a manager, none for anyone else."""
    today = today or local_today()
    queryset = with_status(Newcomer.objects.not_anonymised().select_related("manager"), today=today)
    if is_hr(user):
        return queryset
    if is_manager(user):
        return queryset.filter(manager=user)
    return queryset.none()


def dashboard_counts(queryset: QuerySet, *, today: datetime.date) -> dict:
    """Overdue, due soon, to-plan and declaration counts in one query.

    The rows are grouped on their status (and the two dates the counts also
    look at), so the database derives each newcomer's status once: a count per
    state with the status in its filter would derive it again for every count.
    """
    end = today + datetime.timedelta(days=settings.DUE_SOON_DAYS)
    groups = (
        queryset.annotate(
            soon=Case(When(deadline__gte=today, deadline__lte=end, then=Value(True)), default=Value(False)),
            started=Case(When(start_date__lte=today, then=Value(True)), default=Value(False)),
        )
        .order_by()
        .values_list("status", "kind", "soon", "started")
        .annotate(number=Count("pk"))
    )
    unsigned = set(STATUS_GROUPS[Status.DECLARATION_REQUIRED.value])
    counts = dict.fromkeys(
        ("overdue", "due_soon", "to_plan", "witness_pending", "witness_declined", "declaration_required"), 0
    )
    counts.update(declaration_started_unsigned=0, total=0)
    for status, kind, soon, started, number in groups:
        counts["total"] += number
        if status in counts:
            counts[status] += number
        if status == Status.TO_PLAN.value and soon:
            counts["due_soon"] += number
        if status in unsigned:
            counts["declaration_required"] += number
            if kind == Kind.EXTERNAL and started:
                counts["declaration_started_unsigned"] += number
    # The three sets do not overlap (needs_action_q).
    counts["needs_action"] = counts["overdue"] + counts["due_soon"] + counts["declaration_started_unsigned"]
    return counts
