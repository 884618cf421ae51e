"""HR's list of dilemma-game sessions, with forms to add and change them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from eed.ceremonies.tables import DilemmaSessionTable
from eed.dilemma.forms import DilemmaSessionForm
from eed.dilemma.services import FIELDS, dilemma_session_create, dilemma_session_update
from eed.models import DilemmaSession
from onboarding.accounts.access import hr_required

PAGE_SIZE = 25


@hr_required
def dilemma_session_list(request):
    table = DilemmaSessionTable(DilemmaSession.objects.select_related("ceremony"))
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(request, "eed/dilemma_list.html", {"table": table})


def _save(request, form, save):
    try:
        return save({name: form.cleaned_data[name] for name in FIELDS})
    except ValidationError as error:
        form.add_error(None, error)
    return None


@hr_required
def dilemma_session_create_view(request):
    form = DilemmaSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = _save(request, form, lambda data: dilemma_session_create(by=request.user, **data))
        if session is not None:
            messages.success(request, _("The session has been recorded."))
            return redirect("dilemma_session_list")
    return render(request, "eed/dilemma_form.html", {"form": form})


@hr_required
def dilemma_session_edit(request, pk):
    session = get_object_or_404(DilemmaSession, pk=pk)
    initial = {name: getattr(session, name) for name in FIELDS}
    form = DilemmaSessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, lambda data: dilemma_session_update(session=session, by=request.user, **data))
        if saved is not None:
            messages.success(request, _("The changes have been saved."))
            return redirect("dilemma_session_list")
    return render(request, "eed/dilemma_form.html", {"form": form, "session": session})
