"""The planner page: HR previews the plan, adjusts it, and confirms."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eed.planner.forms import CEREMONY_FIELD, PlannerConfirmForm, ceremony_label, posted_rows
from eed.planner.services import PlannerOutcome, open_ceremony_ids, planner_apply, planner_preview
from onboarding.accounts.access import hr_required

# Each row posts one or two fields and Django refuses posts of more than
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) fields: larger backlogs go in rounds.
ROWS_PER_ROUND = 400


@hr_required
def planner(request):
    if request.method == "POST":
        return _confirm(request)
    preview = planner_preview()
    rows = preview.assigned_rows()[:ROWS_PER_ROUND]
    form = _preview_form(rows)
    context = {
        "preview": preview,
        "rows": [(row, form[CEREMONY_FIELD.format(row.newcomer.pk)]) for row in rows],
        "more": len(preview.plan.assigned) - len(rows),
        "form": form,
        "unplaced": preview.unplaced_rows(),
        "proposals": preview.proposal_rows(),
    }
    return render(request, "eed/planner.html", context)


def _preview_form(rows) -> PlannerConfirmForm:
    choices = {row.newcomer.pk: [(c.pk, ceremony_label(c)) for c in row.options] for row in rows}
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
