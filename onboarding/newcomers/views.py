"""HR's and managers' newcomer pages: the dashboard, the list and its exports, a newcomer's page and form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from core.clock import local_today
from core.exports import CONTENT_TYPES, export_response
from core.paging import MirroredPaginator
from eed.ceremonies.selectors import (
    appointment_history,
    appointments_not_coming,
    ceremonies_led_upcoming,
    witness_requests_open,
)
from onboarding.accounts.access import hr_required
from onboarding.accounts.roles import is_hr, is_manager, is_officiant
from onboarding.audit.history import history_rows, newcomer_history
from onboarding.declarations.selectors import declaration_summary
from onboarding.enums import Kind
from onboarding.models import Newcomer
from onboarding.newcomers import services
from onboarding.newcomers.access import get_newcomer_for_user
from onboarding.newcomers.exports import newcomer_export_header, newcomer_export_rows, ordered_rows
from onboarding.newcomers.filters import NewcomerFilter
from onboarding.newcomers.forms import NewcomerForm
from onboarding.newcomers.selectors import dashboard_counts, newcomers_needing_action, newcomers_visible_to
from onboarding.newcomers.tables import PAGE_SIZE, NewcomerTable

# Rows each dashboard section shows; the rest is one link away.
DASHBOARD_ROWS = 5


@login_required
def dashboard(request):
    """What the user can act on comes first: witness requests waiting for them, their newcomers needing action,
    the ceremonies they lead; then HR's and managers' counts. A constant number of queries however many rows."""
    user, today, now = request.user, local_today(), timezone.now()
    requests = witness_requests_open(user, now=now)
    context = {
        "today": today,
        "is_manager": is_manager(user),
        "witness_requests": list(requests[:DASHBOARD_ROWS]),
        "witness_request_count": requests.count(),
    }
    if is_hr(user) or is_manager(user):
        newcomers = newcomers_visible_to(user, today=today)
        context["counts"] = dashboard_counts(newcomers, today=today)
        if is_hr(user):
            not_coming = appointments_not_coming(now=now)
            context["not_coming"] = list(not_coming[:DASHBOARD_ROWS])
            context["not_coming_count"] = (
                not_coming.count() if len(context["not_coming"]) == DASHBOARD_ROWS else len(context["not_coming"])
            )
        else:
            context["needing_action"] = list(newcomers_needing_action(newcomers, today=today)[:DASHBOARD_ROWS])
    if is_officiant(user):
        context["ceremonies_led"] = list(ceremonies_led_upcoming(user, now=now)[:DASHBOARD_ROWS])
    return render(request, "onboarding/dashboard.html", context)


@login_required
def newcomer_list(request):
    user = request.user
    if not (is_hr(user) or is_manager(user)):
        raise PermissionDenied
    newcomer_filter = NewcomerFilter(request.GET, queryset=newcomers_visible_to(user), for_hr=is_hr(user))
    table = NewcomerTable(newcomer_filter.qs)
    export_format = request.GET.get("_export")
    if export_format in CONTENT_TYPES:
        RequestConfig(request, paginate=False).configure(table)
        return export_response(
            newcomer_export_header(),
            newcomer_export_rows(ordered_rows(table)),
            export_format=export_format,
            filename=f"nieuwkomers-{local_today():%Y%m%d}",
            title=_("Newcomers"),
        )
    RequestConfig(request, paginate={"per_page": PAGE_SIZE, "paginator_class": MirroredPaginator}).configure(table)
    return render(request, "onboarding/newcomer_list.html", {"filter": newcomer_filter, "table": table})


@login_required
def newcomer_detail(request, pk):
    newcomer = get_newcomer_for_user(request.user, pk)
    declaration = declaration_summary(newcomer) if newcomer.kind == Kind.EXTERNAL else None
    appointments = appointment_history(newcomer)
    context = {
        "newcomer": newcomer,
        "can_edit": is_hr(request.user),
        "declaration": declaration,
        "appointments": appointments if newcomer.needs_oath else None,
        "history": history_rows(newcomer_history(newcomer)) if is_hr(request.user) else None,
    }
    return render(request, "onboarding/newcomer_detail.html", context)


@hr_required
def newcomer_create(request):
    form = NewcomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        newcomer = _save_or_report(form, lambda data: services.newcomer_create(by=request.user, **data))
        if newcomer is not None:
            messages.success(request, _("%(name)s has been registered.") % {"name": newcomer.full_name})
            return redirect("newcomer_detail", pk=newcomer.pk)
    return render(request, "onboarding/newcomer_form.html", {"form": form})


@hr_required
def newcomer_edit(request, pk):
    newcomer = get_newcomer_for_user(request.user, pk)
    form = NewcomerForm(request.POST or None, instance=get_object_or_404(Newcomer, pk=pk))
    if request.method == "POST" and form.is_valid():
        saved = _save_or_report(form, lambda data: services.newcomer_update(newcomer=newcomer, by=request.user, **data))
        if saved is not None:
            messages.success(request, _("The changes have been saved."))
            return redirect("newcomer_detail", pk=newcomer.pk)
    return render(request, "onboarding/newcomer_form.html", {"form": form, "newcomer": newcomer})


def _save_or_report(form, save):
    """Run the service; turn a late validation or constraint error into a form error."""
    try:
        return save(form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
    except IntegrityError:
        form.add_error("personnel_number", _("A newcomer with this personnel number already exists."))
    return None
