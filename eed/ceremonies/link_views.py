"""The newcomer's personal page, reached by the link in their mail (no account)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from core.csrf import csrf_protect_no_referrer
from core.languages import chosen_language
from core.public_pages import public_page
from eed.ceremonies import services
from eed.ceremonies.access import appointment_for_link
from eed.ceremonies.forms import NewcomerChoiceForm
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
    initial = {"form": appointment.form or None, "adapted_manner": appointment.adapted_manner, "attending": True}
    form = NewcomerChoiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.appointment_newcomer_choose(appointment=appointment, **form.cleaned_data)
        messages.success(request, _("Thank you, your choice has been saved. You can change it until the ceremony."))
        return redirect("newcomer_link", token=token)
    context = {
        "appointment": appointment,
        "ceremony": appointment.ceremony,
        "form": form,
        "oath": text_current(TextKind.OATH, language=language),
        "affirmation": text_current(TextKind.AFFIRMATION, language=language),
    }
    return render(request, "eed/newcomer_link.html", context)


def _page_language(request, newcomer) -> str:
    """The language switched to on this device, else the newcomer's own (the one their mail was in)."""
    return chosen_language(request) or newcomer.language
