"""The planner page: HR previews the plan, adjusts it, and confirms."""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eed.planner.forms import CEREMONY_FIELD, PlannerConfirmForm, ceremony_label, posted_rows
from eed.planner.services import PlannerOutcome, open_ceremony_ids, planner_apply, planner_preview
from onboarding.accounts.access import hr_required

# Each row posts one or two fields and Django refuses posts of more than
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) fields: larger backlogs go in rounds. A round is also what HR can
# check on one page, and the page must stay small however large the backlog (issue #19).
ROWS_PER_ROUND = 100
# Ceremonies each row offers: the planned one and the next ones the newcomer fits, in date order.
OPTIONS_PER_ROW = 8
# People listed under each reason they cannot be placed; the rest is a count (and, for the overdue, a link).
UNPLACED_ROWS = 25


@dataclass(frozen=True)
class UnplacedGroup:
    reason: str
    message: str
    total: int
    rows: list


@hr_required
def planner(request):
    if request.method == "POST":
        return _confirm(request)
    preview = planner_preview()
    rows = preview.assigned_rows()[:ROWS_PER_ROUND]
    form = _preview_form(rows)
    unplaced = preview.unplaced_rows()
    context = {
        "preview": preview,
        "rows": [(row, form[CEREMONY_FIELD.format(row.newcomer.pk)]) for row in rows],
        "more": len(preview.plan.assigned) - len(rows),
        "form": form,
        "unplaced": unplaced,
        "unplaced_groups": _unplaced_groups(unplaced),
        "proposals": preview.proposal_rows(),
    }
    return render(request, "eed/planner.html", context)


def _unplaced_groups(unplaced) -> list[UnplacedGroup]:
    """Per reason (in the order of the reasons' names): its count and its first UNPLACED_ROWS people."""
    groups = {}
    for row in unplaced:
        groups.setdefault(row.reason, []).append(row)
    return [
        UnplacedGroup(reason=reason, message=rows[0].message, total=len(rows), rows=rows[:UNPLACED_ROWS])
        for reason, rows in sorted(groups.items())
    ]


def _offered(row) -> list:
    """The row's planned ceremony and the first others it fits, at most OPTIONS_PER_ROW, in date order."""
    others = [ceremony for ceremony in row.options if ceremony.pk != row.ceremony.pk]
    return sorted([row.ceremony, *others[: OPTIONS_PER_ROW - 1]], key=lambda c: (c.starts_at, c.pk))


def _preview_form(rows) -> PlannerConfirmForm:
    choices = {row.newcomer.pk: [(c.pk, ceremony_label(c)) for c in _offered(row)] for row in rows}
    initial = {"assign": list(choices)}
    initial.update({CEREMONY_FIELD.format(row.newcomer.pk): row.ceremony.pk for row in rows})
    return PlannerConfirmForm(rows=choices, initial=initial)


def _confirm(request):
    open_ids = open_ceremony_ids(now=timezone.now())
    form = PlannerConfirmForm(request.POST, rows=posted_rows(request.POST, open_ids))
    if not form.is_valid():
        messages.error(request, _("A chosen ceremony is no longer open for planning. Check the plan again."))
        return redirect("planner")
    pairs = form.pairs()
    if not pairs:
        messages.warning(request, _("No row was ticked; nothing was planned."))
        return redirect("planner")
    _report(request, planner_apply(assignments=pairs, by=request.user))
    return redirect("planner")


def _report(request, outcome: PlannerOutcome) -> None:
    if outcome.placed:
        count = len(outcome.placed)
        text = ngettext(
            "%(count)d newcomer has been placed; the witness request and invitations are on their way.",
            "%(count)d newcomers have been placed; the witness requests and invitations are on their way.",
            count,
        )
        messages.success(request, text % {"count": count})
    if outcome.already:
        count = len(outcome.already)
        text = ngettext(
            "%(count)d newcomer was already in the chosen ceremony, so nothing changed for them "
            "(was the form sent twice?).",
            "%(count)d newcomers were already in the chosen ceremonies, so nothing changed for them "
            "(was the form sent twice?).",
            count,
        )
        messages.info(request, text % {"count": count})
    for who, why in outcome.refused:
        messages.error(request, _("%(name)s was not placed: %(reason)s") % {"name": who, "reason": why})
