"""Who may see or do what in eed's pages: the checks its views share.

No views module is imported here, so any module may use these (tests/test_layout.py).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from eed.ceremonies.selectors import ceremonies_visible_to
from eed.enums import CeremonyState
from eed.models import Appointment, Ceremony, Certificate
from onboarding.roles import is_hr
from onboarding.tokens import token_digest, token_looks_valid


def get_ceremony_for_user(user, pk) -> Ceremony:
    """The ceremony if this user may see it; 404 otherwise."""
    try:
        return ceremonies_visible_to(user).get(pk=pk)
    except Ceremony.DoesNotExist:
        raise Http404 from None


def get_ceremony_for_staff(user, pk) -> Ceremony:
    """HR or the ceremony's officiant; 404 for whoever may not see it, 403 for its other participants."""
    ceremony = get_ceremony_for_user(user, pk)
    if not (is_hr(user) or ceremony.officiant_id == user.pk):
        raise PermissionDenied
    return ceremony


def get_certificate(pk) -> Certificate:
    return get_object_or_404(Certificate.objects.of_kept_people().select_related("text", "organisation"), pk=pk)


def appointment_for_link(raw_token: str) -> Appointment | None:
    """The open appointment behind a link, or None (unknown, moved, cancelled or after the ceremony)."""
    if not token_looks_valid(raw_token):
        return None
    appointment = (
        Appointment.objects.select_related("newcomer", "ceremony", "ceremony__officiant", "witness")
        .filter(link_digest=token_digest(raw_token), ended_at__isnull=True, ceremony__state=CeremonyState.PLANNED)
        .first()
    )
    if appointment is None or appointment.ceremony.ends_at < timezone.now():
        return None
    return appointment
