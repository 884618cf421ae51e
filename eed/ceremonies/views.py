from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from eed.ceremonies import bulk, services
from eed.ceremonies.access import get_ceremony_for_user
from eed.ceremonies.filters import CeremonyFilter
from eed.ceremonies.forms import (
    AssignForm,
    CancelForm,
    CeremonyForm,
    RemoveForm,
    WitnessAnswerForm,
    WitnessAnswerManyForm,
    WitnessReplaceForm,
    proposal_initial,
)
from eed.ceremonies.selectors import (
    add_candidates,
    ceremonies_visible_to,
    current_appointments,
    recorded_appointments,
    sees_adapted_manner_requests,
    witness_requests_for,
)
from eed.ceremonies.tables import CeremonyTable
from eed.enums import CeremonyState, Outcome, WitnessAnswer
from eed.models import Appointment, Ceremony
from onboarding.accounts.access import hr_required
from onboarding.accounts.roles import is_hr, is_manager, is_officiant

PAGE_SIZE = 25


def _form_errors_to_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def ceremony_list(request):
    user = request.user
    if not (is_hr(user) or is_officiant(user) or is_manager(user)):
        raise PermissionDenied
    ceremony_filter = CeremonyFilter(request.GET, queryset=ceremonies_visible_to(user))
    table = CeremonyTable(ceremony_filter.qs, order_by=ceremony_filter.default_order)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(request, "eed/ceremony_list.html", {"table": table, "filter": ceremony_filter})


@login_required
def ceremony_detail(request, pk):
    ceremony = get_ceremony_for_user(request.user, pk)
    return render(request, "eed/ceremony_detail.html", _detail_context(request, ceremony))


def _detail_context(request, ceremony, assign_form=None) -> dict:
    """The ceremony page; for HR while it is planned, with the list to add newcomers from (searched with
    ``?q=``, or as ``assign_form`` was sent)."""
    held = ceremony.state == CeremonyState.HELD
    appointments = recorded_appointments(ceremony) if held else current_appointments(ceremony)
    runs_it = is_hr(request.user) or ceremony.officiant_id == request.user.pk
    if not runs_it:
        appointments = appointments.filter(witness=request.user)
    appointments = list(appointments)
    can_manage = is_hr(request.user) and ceremony.state == CeremonyState.PLANNED
    context = {
        "ceremony": ceremony,
        "appointments": appointments,
        "outcomes": _outcome_counts(appointments) if held else None,
        "programme": ceremony.programme.all(),
        "can_manage": can_manage,
        "can_run": runs_it and ceremony.state != CeremonyState.CANCELLED,
        "held": held,
        "show_requests": sees_adapted_manner_requests(request.user),
    }
    if can_manage:
        context.update(_add_section(request, ceremony, assign_form))
    return context


def _add_section(request, ceremony, form) -> dict:
    if form is None:
        query = request.GET.get("q", "").strip()[:200]
        form = AssignForm(ceremony=ceremony, initial={"q": query})
        ticked = []
    else:
        query = str(form.data.get("q", "")).strip()[:200]
        ticked = [int(value) for value in form.data.getlist("newcomer") if value.isdigit()][:500]
    candidates = add_candidates(ceremony, query=query, keep=ticked)
    return {"assign_form": form, "candidates": candidates, "ticked": set(ticked)}


def _outcome_counts(appointments) -> dict[str, int]:
    return {
        "taken": sum(appointment.outcome == Outcome.TAKEN for appointment in appointments),
        "absent": sum(appointment.outcome == Outcome.ABSENT for appointment in appointments),
    }


@hr_required
def ceremony_create(request):
    """Plan a ceremony; from a planner proposal (GET parameters) with its date, time, officiant and people."""
    form = CeremonyForm(request.POST or None, initial=None if request.POST else proposal_initial(request.GET))
    if request.method == "POST" and form.is_valid():
        try:
            ceremony = bulk.ceremony_schedule_with(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The ceremony has been planned."))
            return redirect("ceremony_detail", pk=ceremony.pk)
    return render(request, "eed/ceremony_form.html", {"form": form, "proposed": _proposed_people(form)})


def _proposed_people(form) -> list:
    field = form.fields.get("newcomers")
    chosen = form["newcomers"].value() if field else None
    return list(field.queryset.filter(pk__in=[pk for pk in chosen or [] if str(pk).isdigit()])) if chosen else []


@hr_required
def ceremony_edit(request, pk):
    ceremony = get_object_or_404(Ceremony, pk=pk)
    form = CeremonyForm(request.POST or None, instance=Ceremony.objects.get(pk=pk))
    misfits = []
    if request.method == "POST" and form.is_valid():
        remove = request.POST.get("remove_misfits") == "yes"
        try:
            services.ceremony_update(ceremony=ceremony, by=request.user, remove_misfits=remove, **form.cleaned_data)
        except services.CeremonyChangeRefused as refused:
            misfits = refused.misfits
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The ceremony has been changed; participants get an updated invitation."))
            return redirect("ceremony_detail", pk=ceremony.pk)
    return render(request, "eed/ceremony_form.html", {"form": form, "ceremony": ceremony, "misfits": misfits})


@hr_required
def ceremony_cancel(request, pk):
    ceremony = get_object_or_404(Ceremony, pk=pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ceremony_cancel(ceremony=ceremony, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _form_errors_to_messages(request, error)
        else:
            messages.success(request, _("The ceremony has been cancelled; its newcomers are back in the planning."))
        return redirect("ceremony_detail", pk=ceremony.pk)
    return render(request, "eed/ceremony_cancel.html", {"form": form, "ceremony": ceremony})


@hr_required
@require_POST
def appointment_add(request, pk):
    """Add the ticked newcomers (one or several), all or none; those planned in another ceremony move
    only after the confirmation step. A refusal shows the page again, the ticks kept, naming who and why."""
    ceremony = get_ceremony_for_user(request.user, pk)
    if ceremony.state != CeremonyState.PLANNED:
        messages.error(request, _("This ceremony is not planned any more."))
        return redirect("ceremony_detail", pk=ceremony.pk)
    form = AssignForm(request.POST, ceremony=ceremony)
    if form.is_valid():
        data = form.cleaned_data
        try:
            placed = bulk.appointment_assign_many(
                ceremony=ceremony,
                newcomers=data["newcomers"],
                by=request.user,
                witness=data["witness"],
                late_reason=data["late_reason"],
                moving_from=data["moving_from"],
            )
        except bulk.MovesNotConfirmed as refused:
            return _move_confirmation(request, ceremony, data, refused)
        except bulk.BatchRefused as refused:
            form.refused(refused)
        except ValidationError as error:
            form.add_error(None, error)
        except IntegrityError:
            form.add_error(None, _("Someone else changed this newcomer at the same moment; please try again."))
        else:
            messages.success(request, _added_message(placed))
            return redirect("ceremony_detail", pk=ceremony.pk)
    return render(request, "eed/ceremony_detail.html", _detail_context(request, ceremony, form))


def _added_message(placed) -> str:
    if len(placed) == 1:
        return _("%(name)s has been added.") % {"name": placed[0].newcomer.full_name}
    return ngettext("%(count)d newcomer has been added.", "%(count)d newcomers have been added.", len(placed)) % {
        "count": len(placed)
    }


def _move_confirmation(request, ceremony, data, refused):
    """Where each newcomer is planned now, what moving them sets off, and the confirmed form to send."""
    moves = [
        {
            "newcomer": newcomer,
            "previous": previous,
            "previous_witness_confirmed": previous.witness_answer == WitnessAnswer.CONFIRMED,
            "new_witness": data["witness"] or newcomer.manager,
        }
        for newcomer, previous in refused.moves
    ]
    context = {
        "ceremony": ceremony,
        "moves": moves,
        "others": [newcomer for newcomer in data["newcomers"] if newcomer not in {m["newcomer"] for m in moves}],
        "stale": bool(refused.stale),
        "form": AssignForm(initial=AssignForm.confirmation_initial(data, refused.moves), ceremony=ceremony),
    }
    return render(request, "eed/appointment_move.html", context)


@hr_required
def appointment_remove(request, pk):
    """GET: who leaves which ceremony and what that sets off; POST (with an optional reason) does it."""
    appointment = get_object_or_404(Appointment.objects.select_related("newcomer", "ceremony", "witness"), pk=pk)
    name = appointment.newcomer.full_name
    if appointment.outcome or appointment.ended_at is not None:
        if appointment.outcome:
            messages.error(request, _("The outcome has been recorded; change it with a correction."))
        else:
            messages.info(request, _("%(name)s is no longer planned in this ceremony.") % {"name": name})
        return redirect("ceremony_detail", pk=appointment.ceremony_id)
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_remove(appointment=appointment, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _form_errors_to_messages(request, error)
        else:
            messages.success(request, _("%(name)s is back in the planning.") % {"name": name})
        return redirect("ceremony_detail", pk=appointment.ceremony_id)
    context = {
        "form": form,
        "appointment": appointment,
        "witness_confirmed": appointment.witness_answer == WitnessAnswer.CONFIRMED,
    }
    return render(request, "eed/appointment_remove.html", context)


@hr_required
def witness_replace(request, pk):
    appointment = get_object_or_404(Appointment.objects.select_related("newcomer", "ceremony", "witness"), pk=pk)
    form = WitnessReplaceForm(request.POST or None, appointment=appointment)
    if request.method == "POST" and form.is_valid():
        try:
            services.witness_replace(appointment=appointment, by=request.user, witness=form.cleaned_data["witness"])
        except ValidationError as error:
            _form_errors_to_messages(request, error)
        else:
            messages.success(request, _("The new witness has been asked."))
        return redirect("ceremony_detail", pk=appointment.ceremony_id)
    return render(request, "eed/witness_replace.html", {"form": form, "appointment": appointment})


@login_required
def witness_request_list(request):
    appointments = list(witness_requests_for(request.user))
    context = {
        "appointments": appointments,
        "pending": any(appointment.witness_answer == WitnessAnswer.PENDING for appointment in appointments),
        "form": WitnessAnswerManyForm(),
    }
    return render(request, "eed/witness_requests.html", context)


@login_required
@require_POST
def witness_answer_many(request):
    """The ticked requests, confirmed or declined together; all or none (only the user's own open ones)."""
    form = WitnessAnswerManyForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("witness_requests")
    data = form.cleaned_data
    confirm = data["answer"] == "confirm"
    try:
        bulk.witness_answer_many(
            appointment_ids=data["appointment"], by=request.user, confirm=confirm, substitute=data["substitute"]
        )
    except ValidationError as error:
        _form_errors_to_messages(request, error)
    else:
        count = len(data["appointment"])
        if confirm:
            text = ngettext("You have confirmed %(count)d request.", "You have confirmed %(count)d requests.", count)
        else:
            text = ngettext("You have declined %(count)d request.", "You have declined %(count)d requests.", count)
        messages.success(request, text % {"count": count})
    return redirect("witness_requests")


@login_required
def witness_answer(request, pk):
    """The witness's own request; anyone else gets 404."""
    appointment = get_object_or_404(witness_requests_for(request.user), pk=pk)
    form = WitnessAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.witness_answer(
                appointment=appointment,
                by=request.user,
                confirm=form.cleaned_data["answer"] == "confirm",
                substitute=form.cleaned_data["substitute"],
            )
        except ValidationError as error:
            _form_errors_to_messages(request, error)
        else:
            messages.success(request, _("Thank you, your answer has been recorded."))
        return redirect("witness_requests")
    return render(request, "eed/witness_answer.html", {"appointment": appointment, "form": form})
