"""The fast paths to a newcomer's status give what the status derived from the facts gives, over random histories.

The status is derived in the query from the newcomer's dates, kind, current appointment and declaration
(selectors.with_status). Two things read it faster at scale (issue #19): the dashboard groups rows on their
status instead of filtering once per count, and a status filter adds the stored facts the status implies
(``status_facts_q``) so the database can use its indexes. Neither may change a single row or count.
"""

import datetime
import io
import secrets

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.clock import local_today
from eed.models import Appointment
from onboarding.enums import Kind, Status
from onboarding.models import DeclarationRequest, DeclarationSignature, Newcomer, Text
from onboarding.newcomers import status_check
from onboarding.newcomers.selectors import (
    OPEN,
    STATUS_GROUPS,
    dashboard_counts,
    due_soon_q,
    needs_action_q,
    newcomers_visible_to,
    started_unsigned_q,
    status_facts_q,
    status_q,
)
from onboarding.newcomers.status_check import status_checks
from tests.factories import CeremonyFactory, NewcomerFactory

APPOINTMENTS = ["none", "pending", "confirmed", "declined", "taken", "absent", "absent_then_confirmed"]
DECLARATIONS = ["none", "sent", "opened", "expired", "signed"]
history = st.tuples(
    st.sampled_from([Kind.EMPLOYEE, Kind.TRAINEE, Kind.EXTERNAL]),
    st.integers(min_value=-400, max_value=90),  # start date, days from today
    st.sampled_from(APPOINTMENTS),
    st.sampled_from(DECLARATIONS),
)
FILTER_VALUES = [status.value for status in Status] + [OPEN]


def _appointment(newcomer, ceremony, *, answer="confirmed", outcome="", ended=False):
    recorded = timezone.now() if outcome else None
    return Appointment.objects.create(
        newcomer=newcomer,
        ceremony=ceremony,
        witness_answer=answer,
        outcome=outcome,
        form_used="oath" if outcome == "taken" else "",
        recorded_at=recorded,
        ended_at=timezone.now() if ended else None,
        link_digest=secrets.token_hex(32),
    )


def _declaration(newcomer, state):
    now = timezone.now()
    expires = now - datetime.timedelta(days=1) if state == "expired" else now + datetime.timedelta(days=30)
    request = DeclarationRequest.objects.create(
        newcomer=newcomer,
        token_digest=secrets.token_hex(32),
        sent_at=now - datetime.timedelta(days=2),
        expires_at=expires,
        opened_at=now if state == "opened" else None,
    )
    if state == "signed":
        DeclarationSignature.objects.create(
            newcomer=newcomer,
            request=request,
            token_digest=request.token_digest,
            text=Text.objects.filter(kind="declaration").first(),
            text_sha256="0" * 64,
            signed_name=newcomer.full_name,
            signed_at=now,
            verification_code=secrets.token_hex(16),
        )


def _build(histories, held, coming):
    for kind, start_days, appointment, declaration in histories:
        newcomer = NewcomerFactory(kind=kind, start_date=local_today() + datetime.timedelta(days=start_days))
        if kind == Kind.EXTERNAL:
            if declaration != "none":
                _declaration(newcomer, declaration)
            continue
        if appointment in ("absent", "absent_then_confirmed"):
            _appointment(newcomer, held, outcome="absent", ended=True)
        if appointment == "taken":
            _appointment(newcomer, held, outcome="taken")
        elif appointment in ("pending", "confirmed", "declined"):
            _appointment(newcomer, coming, answer=appointment)
        elif appointment == "absent_then_confirmed":
            _appointment(newcomer, coming)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories=st.lists(history, min_size=1, max_size=12))
def test_the_fast_paths_agree_with_the_derived_status(hr, histories):
    today = local_today()
    with transaction.atomic():
        held = CeremonyFactory(starts_at=timezone.now() - datetime.timedelta(days=20))
        coming = CeremonyFactory(starts_at=timezone.now() + datetime.timedelta(days=20))
        _build(histories, held, coming)
        visible = newcomers_visible_to(hr, today=today)

        for value in FILTER_VALUES:
            derived = set(visible.filter(status_q(value)).values_list("pk", flat=True))
            fast = set(visible.filter(status_q(value) & status_facts_q(value, today)).values_list("pk", flat=True))
            assert fast == derived, value

        counts = dashboard_counts(visible, today=today)
        assert counts == {
            "overdue": visible.filter(status=Status.OVERDUE.value).count(),
            "due_soon": visible.filter(due_soon_q(today)).count(),
            "to_plan": visible.filter(status=Status.TO_PLAN.value).count(),
            "witness_pending": visible.filter(status=Status.WITNESS_PENDING.value).count(),
            "witness_declined": visible.filter(status=Status.WITNESS_DECLINED.value).count(),
            "declaration_required": visible.filter(status__in=STATUS_GROUPS["declaration_required"]).count(),
            "declaration_started_unsigned": visible.filter(started_unsigned_q(today)).count(),
            "needs_action": visible.filter(needs_action_q(today)).count(),
            "total": Newcomer.objects.count(),
        }

        out = io.StringIO()
        call_command("verify_status", stdout=out)
        assert f"Status verified: {len(status_checks(today=today))} checks agree." in out.getvalue()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_verify_status_names_a_shortcut_that_leaves_people_out(monkeypatch):
    """A filter fact that is wrong for one case (to plan, but only deadlines from tomorrow) is caught, and the
    newcomer it drops is named by id."""
    today = local_today()
    due_today = NewcomerFactory(kind=Kind.EMPLOYEE, start_date=today - datetime.timedelta(days=61))
    due_today.deadline = today
    due_today.save(update_fields=["deadline"])
    NewcomerFactory(kind=Kind.EMPLOYEE, start_date=today)

    out = io.StringIO()
    call_command("verify_status", stdout=out)
    assert "ok  filter to_plan: 2 by the facts, 2 by the shortcut" in out.getvalue()

    def wrong_facts(value, day):
        return (
            status_facts_q(value, day) & ~Q(deadline=day)
            if value == Status.TO_PLAN.value
            else status_facts_q(value, day)
        )

    monkeypatch.setattr(status_check, "status_facts_q", wrong_facts)
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_status", stdout=out)
    assert failure.value.returncode == 1
    assert "filter to_plan" in str(failure.value)
    assert f"DIFFERS  filter to_plan: 2 by the facts, 1 by the shortcut (newcomer ids {due_today.pk})" in out.getvalue()
    assert "ok  filter overdue" in out.getvalue()
