"""Which signatures HR may open."""

from django.http import Http404

from onboarding.models import DeclarationSignature
from onboarding.newcomers.selectors import newcomers_visible_to


def get_signature_for_user(user, pk) -> DeclarationSignature:
    """A signature of a newcomer this user may see; 404 otherwise."""
    try:
        return DeclarationSignature.objects.select_related("newcomer").get(
            pk=pk, newcomer__in=newcomers_visible_to(user).values("pk")
        )
    except (DeclarationSignature.DoesNotExist, ValueError):
        raise Http404 from None
