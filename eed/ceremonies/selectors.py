"""Reads shared by the ceremony views, the feed and the reminders."""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)

from eed.ceremonies.placement import is_late, placeable_newcomers
from eed.enums import CeremonyState, WitnessAnswer
from eed.models import Appointment, Ceremony, Certificate, Correction
from onboarding.accounts.roles import is_hr, is_manager, is_officiant

CURRENT = Q(appointments__ended_at__isnull=True)
# The add list on a ceremony's page shows at most this many (and says how many more match the search).
CANDIDATES_SHOWN = 50
SEARCH_WORDS = 5
# secrets.token_urlsafe(24) (eed.proofs.certificates): 32 URL-safe characters.
VERIFICATION_CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{32}")


def with_places(queryset: QuerySet) -> QuerySet:
    """Annotate ``taken`` and ``free`` places (current appointments only)."""
    return queryset.annotate(taken=Count("appointments", filter=CURRENT)).annotate(free=F("capacity") - F("taken"))


def sees_adapted_manner_requests(user) -> bool:
    """Only HR: the newcomer is told their request for an adapted manner stays between them and HR
    (it may be health data), so the officiant and the witnesses see neither the text nor that there is one."""
    return is_hr(user)


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


def overlapping_ceremonies(*, starts_at, ends_at, officiant, place: str = "", exclude_pk=None) -> QuerySet:
    """Ceremonies (not cancelled) whose time overlaps with the officiant's or in the same place.

    Each is annotated ``same_officiant`` and ``same_place``: the officiant cannot lead two at once,
    and one room does not hold two ceremonies. Touching times (one ends when the other starts) do not overlap.
    """
    same_officiant = Q(officiant=officiant)
    same_place = Q(place__iexact=place.strip()) if place.strip() else None
    return (
        Ceremony.objects.exclude(state=CeremonyState.CANCELLED)
        .exclude(pk=exclude_pk)
        .filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
        .filter(same_officiant | same_place if same_place else same_officiant)
        .annotate(
            same_officiant=ExpressionWrapper(same_officiant, output_field=BooleanField()),
            same_place=ExpressionWrapper(same_place, output_field=BooleanField()) if same_place else Value(False),
        )
        .select_related("officiant")
        .order_by("starts_at", "id")
    )


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


def witness_requests_open(user, *, now) -> QuerySet:
    """The requests waiting for this user's answer, for ceremonies still to come, soonest first (the dashboard)."""
    return witness_requests_for(user).filter(witness_answer=WitnessAnswer.PENDING, ceremony__ends_at__gte=now)


def appointments_not_coming(*, now) -> QuerySet:
    """Newcomers who said through their link they cannot come to a ceremony still to come (HR's dashboard)."""
    return (
        Appointment.objects.filter(
            ended_at__isnull=True,
            attendance_declined_at__isnull=False,
            ceremony__state=CeremonyState.PLANNED,
            ceremony__ends_at__gte=now,
        )
        .select_related("newcomer", "ceremony")
        .order_by("ceremony__starts_at", "newcomer__surname", "id")
    )


def ceremonies_led_upcoming(user, *, now) -> QuerySet:
    """The planned ceremonies this officiant leads that have not ended, soonest first, with ``taken`` places."""
    queryset = Ceremony.objects.filter(officiant=user, state=CeremonyState.PLANNED, ends_at__gte=now)
    return with_places(queryset).order_by("starts_at", "id")


def calendar_ceremonies_for(user, *, now) -> QuerySet:
    """What a staff user's feed holds: ceremonies they lead, witness in, or (HR) organise, that start from
    CALENDAR_FEED_DAYS_BACK days before ``now`` to CALENDAR_FEED_DAYS_AHEAD days after it (calendar services
    poll the feed: it must not grow with the years behind nor with ceremonies planned far ahead).
    ``takes_part``: the user leads or witnesses it (HR's feed also holds ceremonies they only organise)."""
    since = now - datetime.timedelta(days=settings.CALENDAR_FEED_DAYS_BACK)
    until = now + datetime.timedelta(days=settings.CALENDAR_FEED_DAYS_AHEAD)
    queryset = Ceremony.objects.exclude(state=CeremonyState.CANCELLED).filter(starts_at__gte=since, starts_at__lt=until)
    witnessing = Appointment.objects.filter(
        ceremony=OuterRef("pk"), witness=user, ended_at__isnull=True, witness_answer=WitnessAnswer.CONFIRMED
    )
    takes_part = Q(officiant=user) | Exists(witnessing)
    queryset = queryset.select_related("officiant").annotate(
        takes_part=ExpressionWrapper(takes_part, output_field=BooleanField())
    )
    return queryset if is_hr(user) else queryset.filter(takes_part)


def sheet_order(queryset: QuerySet) -> QuerySet:
    """The attendance sheet's order: surname (without prefix), given names."""
    return queryset.order_by("newcomer__surname", "newcomer__given_names", "id")


def recorded_appointments(ceremony: Ceremony) -> QuerySet:
    """The appointments whose outcome the sheet recorded (taken and absent), with their valid proof."""
    valid = Prefetch("certificates", queryset=Certificate.objects.filter(revoked_at__isnull=True), to_attr="valid")
    queryset = ceremony.appointments.exclude(outcome="").select_related(
        "newcomer", "witness", "witness_present", "newcomer__manager"
    )
    return sheet_order(queryset.prefetch_related(valid))


def appointment_history(newcomer) -> QuerySet:
    """A newcomer's appointments, newest first, with their proofs and corrections (three queries)."""
    return (
        newcomer.appointments.select_related("ceremony", "witness", "witness_present")
        .prefetch_related(
            Prefetch("certificates", queryset=Certificate.objects.select_related("scan_uploaded_by").order_by("id")),
            Prefetch("corrections", queryset=Correction.objects.select_related("by").order_by("at", "id")),
        )
        .order_by("-created_at", "-id")
    )


def valid_proof(appointment: Appointment) -> Certificate | None:
    """The appointment's proof in force (a correction revokes one and issues the next), or None."""
    return appointment.certificates.filter(revoked_at__isnull=True).order_by("-issued_at", "-id").first()


def ceremony_certificates(ceremony: Ceremony) -> QuerySet:
    """The valid proofs of a ceremony, in the order of its attendance sheet."""
    return (
        Certificate.objects.of_kept_people()
        .filter(appointment__ceremony=ceremony, revoked_at__isnull=True)
        .select_related("text", "organisation")
        .order_by("appointment__newcomer__surname", "appointment__newcomer__given_names", "appointment_id")
    )


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate behind a verification code, or None (unknown or malformed alike)."""
    if not VERIFICATION_CODE_SHAPE.fullmatch(code or ""):
        return None
    certificates = Certificate.objects.of_kept_people().select_related("organisation")
    return certificates.filter(verification_code=code).first()


@dataclass(frozen=True)
class Candidates:
    """The add list of a ceremony's page: ``rows`` (newcomers, each with ``planned_at``, the start of the
    ceremony they are planned in now, and ``late``), ``more`` matching ones not shown, the ``query``."""

    rows: list
    more: int
    query: str


def add_candidates(ceremony: Ceremony, *, query: str = "", keep=(), shown: int = CANDIDATES_SHOWN) -> Candidates:
    """Who may be added to the ceremony (the one rule: ``placement.placeable_newcomers``), nearest deadline
    first, narrowed by ``query`` (each word in a name, personnel number or e-mail address): at most
    ``shown`` of them, and before those the ticked ones (``keep``) the list would not show. Two queries
    (three with ``keep``), however many match."""
    planned = Appointment.objects.filter(newcomer=OuterRef("pk"), ended_at__isnull=True)
    fitting = (
        placeable_newcomers(ceremony)
        .select_related("manager")
        .annotate(planned_at=Subquery(planned.values("ceremony__starts_at")[:1]))
    )
    matching = fitting.filter(_search(query))
    total = matching.count()
    rows = list(matching[:shown])
    listed = {row.pk for row in rows}
    extra = [pk for pk in keep if pk not in listed]
    if extra:
        rows = list(fitting.filter(pk__in=extra)) + rows
    for row in rows:
        row.late = is_late(row, ceremony)
    return Candidates(rows=rows, more=max(total - len(listed), 0), query=query)


def _search(query: str) -> Q:
    condition = Q()
    for word in query.split()[:SEARCH_WORDS]:
        condition &= (
            Q(given_names__icontains=word)
            | Q(surname_prefix__icontains=word)
            | Q(surname__icontains=word)
            | Q(personnel_number__icontains=word)
            | Q(email__icontains=word)
        )
    return condition
