"""The role checks that views of both apps put in front of HR's pages."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from onboarding.accounts.roles import is_hr


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
