"""Which newcomers a user may open."""

from django.http import Http404

from onboarding.models import Newcomer
from onboarding.newcomers.selectors import newcomers_visible_to


def get_newcomer_for_user(user, pk) -> Newcomer:
    """The newcomer if this user may see it; 404 otherwise, so outsiders learn nothing."""
    try:
        return newcomers_visible_to(user).get(pk=pk)
    except (Newcomer.DoesNotExist, ValueError):
        raise Http404 from None
