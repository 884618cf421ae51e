"""The role checks that views of both apps put in front of HR's pages."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from onboarding.accounts.roles import is_hr
from onboarding.models import User


def hr_required(view):
    """Signed in and HR; anyone else gets 403."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_hr(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def account_for_hr(pk) -> User:
    """An account on HR's *Accounts* page (the view is behind ``hr_required``); 404 when there is none."""
    return get_object_or_404(User, pk=pk)
