"""The newcomer's personal page, reached by the link in their mail (no account)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from core.csrf import csrf_protect_no_referrer
from core.languages import chosen_language
from core.public_pages import public_page
from eed.ceremonies import services
from eed.ceremonies.access import appointment_for_link
from eed.ceremonies.forms import NewcomerChoiceForm
from eed.ceremonies.placement import ceremonies_open_to
from eed.ceremonies.selectors import valid_proof
from eed.enums import Outcome
from eed.models import Ceremony
from onboarding.enums import TextKind
from onboarding.organisation import text_current


@public_page(scope="newcomer-link", limit="NEWCOMER_LINK_GETS_PER_MINUTE", post_limit="NEWCOMER_LINK_POSTS_PER_MINUTE")
@csrf_protect_no_referrer  # the page is sent with no-referrer: browsers post its form with Origin: null
def newcomer_link(request, token):
    """The newcomer's page; per client at most NEWCOMER_LINK_GETS/POSTS_PER_MINUTE, like the declaration link."""
    appointment = appointment_for_link(token)
    if appointment is None:
        return render(request, "eed/link_invalid.html", status=404)
    language = _page_language(request, appointment.newcomer)
    with translation.override(language):
        response = _choice_page(request, appointment, token, language)
    response["Content-Language"] = language
    return response


def _choice_page(request, appointment, token, language):
    if appointment.outcome == Outcome.TAKEN:  # after the ceremony: what was recorded, nothing to choose
        context = {"appointment": appointment, "ceremony": appointment.ceremony, "proof": valid_proof(appointment)}
        return render(request, "eed/newcomer_sworn.html", context)
    if request.method == "POST" and request.POST.get("move_to"):
        return _move_page(request, appointment, token)
    initial = {
        "form": appointment.form or None,
        "adapted_manner": appointment.adapted_manner,
        "attendance": appointment.attendance or None,
        "absence_reason": appointment.absence_reason,
    }
    form = NewcomerChoiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.appointment_newcomer_choose(appointment=appointment, **form.cleaned_data)
        if form.cleaned_data["attendance"] == "not_coming":
            messages.success(request, _("Thank you for letting us know. HR has been told; choose another date below."))
        else:
            messages.success(request, _("Thank you, your choice has been saved. You can change it until the ceremony."))
        return redirect("newcomer_link", token=token)
    context = {
        "appointment": appointment,
        "ceremony": appointment.ceremony,
        "form": form,
        "other_dates": ceremonies_open_to(appointment.newcomer, excluding=appointment)
        if appointment.attendance == "not_coming"
        else [],
        "oath": text_current(TextKind.OATH, language=language),
        "affirmation": text_current(TextKind.AFFIRMATION, language=language),
    }
    return render(request, "eed/newcomer_link.html", context)


def _move_page(request, appointment, token):
    """The newcomer chose another date: they move, and the page says where (their new link comes by mail)."""
    ceremony = (
        Ceremony.objects.filter(pk=request.POST["move_to"]).first() if request.POST["move_to"].isdigit() else None
    )
    try:
        if ceremony is None:
            raise services.AssignmentRefused(_("This date can no longer be chosen; choose another one or contact HR."))
        services.appointment_newcomer_move(appointment=appointment, ceremony=ceremony)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("newcomer_link", token=token)
    return render(request, "eed/newcomer_moved.html", {"ceremony": ceremony, "newcomer": appointment.newcomer})


def _page_language(request, newcomer) -> str:
    """The language switched to on this device, else the newcomer's own (the one their mail was in)."""
    return chosen_language(request) or newcomer.language
