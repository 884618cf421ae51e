"""Reads shared by the ceremony views, the feed and the reminders."""

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from eed.enums import CeremonyState, WitnessAnswer
from eed.models import Appointment, Ceremony
from onboarding.roles import is_hr, is_manager, is_officiant

CURRENT = Q(appointments__ended_at__isnull=True)


def with_places(queryset: QuerySet) -> QuerySet:
    """Annotate ``taken`` and ``free`` places (current appointments only)."""
    return queryset.annotate(taken=Count("appointments", filter=CURRENT)).annotate(free=F("capacity") - F("taken"))


def ceremonies_visible_to(user) -> QuerySet:
    """HR: all; an officiant: those they lead; a witness: those they witness in."""
    queryset = with_places(Ceremony.objects.select_related("officiant"))
    if is_hr(user):
        return queryset
    witnessing = Appointment.objects.filter(ceremony=OuterRef("pk"), witness=user, ended_at__isnull=True)
    conditions = Q(pk__in=[])
    if is_officiant(user):
        conditions |= Q(officiant=user)
    if is_manager(user) or is_officiant(user):
        conditions |= Q(Exists(witnessing))
    return queryset.filter(conditions)


def current_appointments(ceremony: Ceremony) -> QuerySet:
    return (
        ceremony.appointments.filter(ended_at__isnull=True)
        .select_related("newcomer", "witness", "newcomer__manager")
        .order_by("newcomer__surname", "newcomer__given_names", "id")
    )


def witness_requests_for(user) -> QuerySet:
    return (
        Appointment.objects.filter(witness=user, ended_at__isnull=True, ceremony__state=CeremonyState.PLANNED)
        .select_related("newcomer", "ceremony", "ceremony__officiant")
        .order_by("ceremony__starts_at", "id")
    )


def calendar_ceremonies_for(user) -> QuerySet:
    """What a staff user's feed holds: ceremonies they lead, witness in, or (HR) organise."""
    queryset = Ceremony.objects.exclude(state=CeremonyState.CANCELLED).select_related("officiant")
    if is_hr(user):
        return queryset
    witnessing = Appointment.objects.filter(
        ceremony=OuterRef("pk"), witness=user, ended_at__isnull=True, witness_answer=WitnessAnswer.CONFIRMED
    )
    return queryset.filter(Q(officiant=user) | Exists(witnessing))
