"""Who may see a ceremony, and the newcomer's personal link: the checks eed's views share."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from core.tokens import token_digest, token_looks_valid
from eed.ceremonies.selectors import ceremonies_visible_to
from eed.enums import CeremonyState, Outcome
from eed.models import Appointment, Ceremony
from onboarding.accounts.roles import is_hr


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


def appointment_for_link(raw_token: str) -> Appointment | None:
    """The appointment behind a newcomer's link, or None (unknown, moved, cancelled, anonymised, or over unrecorded).

    Until the ceremony ends, the open appointment: its page lets the newcomer choose. Once the attendance sheet
    recorded the oath or affirmation as taken, the sworn appointment: its page says what was taken, when, and the
    proof's number (``link_views``), and changes nothing.
    """
    if not token_looks_valid(raw_token):
        return None
    appointment = (
        Appointment.objects.select_related("newcomer", "ceremony", "ceremony__officiant", "witness")
        .filter(link_digest=token_digest(raw_token), ended_at__isnull=True, newcomer__anonymised_at__isnull=True)
        .filter(Q(ceremony__state=CeremonyState.PLANNED) | Q(outcome=Outcome.TAKEN))
        .first()
    )
    if appointment is None:
        return None
    if appointment.outcome != Outcome.TAKEN and appointment.ceremony.ends_at < timezone.now():
        return None
    return appointment
