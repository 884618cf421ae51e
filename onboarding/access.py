"""Who may see or do what in onboarding's pages: the checks the views (onboarding's and eed's) share.

No views module is imported here, so any module may use these (tests/test_layout.py).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from onboarding.models import DeclarationSignature, ImportBatch, Newcomer
from onboarding.roles import is_hr
from onboarding.selectors import newcomers_visible_to


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


def get_newcomer_for_user(user, pk) -> Newcomer:
    """The newcomer if this user may see it; 404 otherwise, so outsiders learn nothing."""
    try:
        return newcomers_visible_to(user).get(pk=pk)
    except (Newcomer.DoesNotExist, ValueError):
        raise Http404 from None


def get_signature_for_user(user, pk) -> DeclarationSignature:
    """A signature of a newcomer this user may see; 404 otherwise."""
    try:
        return DeclarationSignature.objects.select_related("newcomer").get(
            pk=pk, newcomer__in=newcomers_visible_to(user).values("pk")
        )
    except (DeclarationSignature.DoesNotExist, ValueError):
        raise Http404 from None


def get_batch_for_user(user, pk) -> ImportBatch:
    """The batch if this user uploaded it; 404 otherwise, so other users learn nothing."""
    try:
        return ImportBatch.objects.get(pk=pk, uploaded_by=user)
    except (ImportBatch.DoesNotExist, ValueError):
        raise Http404 from None
