"""Proof that the fast ways of reading a newcomer's status give what the status derived from the facts gives.

A newcomer's status is never stored: ``selectors.with_status`` derives it in the query from their dates,
kind, current appointment and declaration. Two shortcuts read it faster at scale (issue #19), and this
module checks both over every newcomer in the database (``manage.py verify_status``):

- a status filter adds the stored facts the status implies (``status_facts_q``: the deadline, the
  kind) so the database can find the rows by index: it must not drop a single row;
- the dashboard counts grouped rows (``dashboard_counts``): each count must equal the plain filter's.

The stored facts they lean on are kept by the database itself: the deadline never before the start date
(``newcomer_deadline_after_start``) and at most one current appointment per newcomer.
A shortcut can only leave rows out (it is the status filter AND more), so equal counts mean equal sets;
where they differ, the first newcomers left out are named by id (no names: the output goes to logs).
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from onboarding.enums import Status
from onboarding.models import Newcomer
from onboarding.newcomers.selectors import (
    OPEN,
    STATUS_GROUPS,
    dashboard_counts,
    due_soon_q,
    needs_action_q,
    started_unsigned_q,
    status_facts_q,
    status_q,
    with_status,
)

EXAMPLES = 10
FILTER_VALUES = (*(status.value for status in Status), OPEN)


@dataclass(frozen=True)
class StatusCheck:
    """One comparison: ``derived`` rows by the plain rule, ``fast`` by the shortcut."""

    name: str
    derived: int
    fast: int
    examples: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return self.derived == self.fast


def status_checks(*, today: datetime.date) -> list[StatusCheck]:
    """Every comparison, in a fixed order: the status filters, then the dashboard counts."""
    newcomers = with_status(Newcomer.objects.not_anonymised(), today=today)
    checks = [_filter_check(newcomers, value, today) for value in FILTER_VALUES]
    checks.extend(_dashboard_checks(newcomers, today))
    return checks


def _filter_check(newcomers: QuerySet, value: str, today: datetime.date) -> StatusCheck:
    derived = newcomers.filter(status_q(value))
    fast = derived.filter(status_facts_q(value, today))
    check = StatusCheck(name=f"filter {value}", derived=derived.count(), fast=fast.count())
    if check.ok:
        return check
    left_out = derived.exclude(pk__in=fast.values("pk")).order_by("pk").values_list("pk", flat=True)
    return StatusCheck(name=check.name, derived=check.derived, fast=check.fast, examples=tuple(left_out[:EXAMPLES]))


def _dashboard_checks(newcomers: QuerySet, today: datetime.date) -> list[StatusCheck]:
    grouped = dashboard_counts(newcomers, today=today)
    plain = {
        "overdue": newcomers.filter(status=Status.OVERDUE.value),
        "due_soon": newcomers.filter(due_soon_q(today)),
        "to_plan": newcomers.filter(status=Status.TO_PLAN.value),
        "witness_pending": newcomers.filter(status=Status.WITNESS_PENDING.value),
        "witness_declined": newcomers.filter(status=Status.WITNESS_DECLINED.value),
        "declaration_required": newcomers.filter(status__in=STATUS_GROUPS[Status.DECLARATION_REQUIRED.value]),
        "declaration_started_unsigned": newcomers.filter(started_unsigned_q(today)),
        "needs_action": newcomers.filter(needs_action_q(today)),
    }
    return [
        StatusCheck(name=f"dashboard {name}", derived=queryset.count(), fast=grouped[name])
        for name, queryset in plain.items()
    ]
