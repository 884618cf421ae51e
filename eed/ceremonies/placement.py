"""Who may be placed in a ceremony: the one rule behind assigning, the add form, the planner and the sheet.

A newcomer fits a ceremony when they take an oath (externals sign a declaration instead), have not
taken it yet, have started by the ceremony's day, and the ceremony's officiant swears in for their
appointing body. A day after their deadline needs a recorded reason. Room (capacity) is checked where
the place is taken, under the ceremony's row lock (``services``).
"""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.clock import local_midnight
from eed.enums import CeremonyState, Outcome
from eed.models import Appointment, Ceremony
from onboarding.enums import AppointingBody, Kind
from onboarding.models import Newcomer


def bodies_served(ceremony: Ceremony) -> frozenset[str]:
    """The appointing bodies the ceremony's officiant swears in for (none without an officiant record)."""
    officiant = getattr(ceremony.officiant, "officiant", None)
    return frozenset(body for body in AppointingBody.values if officiant is not None and officiant.serves(body))


def is_late(newcomer: Newcomer, ceremony: Ceremony) -> bool:
    return ceremony.day > newcomer.deadline


def placement_problem(newcomer: Newcomer, ceremony: Ceremony, *, late_reason: str = "") -> str | None:
    """Why the newcomer cannot be placed in the ceremony, for HR; None when they can."""
    if not newcomer.needs_oath:
        return _("Externals sign the integrity declaration; they take no oath.")
    if newcomer.appointments.filter(outcome=Outcome.TAKEN).exists():
        return _("This newcomer has already taken the oath or affirmation.")
    problem = fit_problem(newcomer, ceremony)
    if problem is None and is_late(newcomer, ceremony) and not late_reason.strip():
        return _("This ceremony is after the deadline; record the reason to plan it anyway.")
    return problem


def fit_problem(newcomer: Newcomer, ceremony: Ceremony) -> str | None:
    """What rules out this ceremony for the newcomer whatever the reason: a day before they start, or an
    officiant who does not swear in for their body. Also checked when the oath is recorded as taken."""
    if ceremony.day < newcomer.start_date:
        return _("This ceremony is before the newcomer's start date.")
    if newcomer.appointing_body not in bodies_served(ceremony):
        return _("This ceremony's officiant does not swear in for the newcomer's appointing body.")
    return None


def placeable_newcomers(ceremony: Ceremony) -> QuerySet:
    """The newcomers HR may add to the ceremony, nearest deadline first (late ones need a reason)."""
    # Written as plain EXISTS tests, the rule Django derived from
    # ``.exclude(appointments__ceremony=ceremony, appointments__ended_at__isnull=True)`` (two conditions on a
    # multi-valued relation: each its own test, the second over a LEFT JOIN of the whole table, which
    # PostgreSQL ran per newcomer when counting: 18 s at 20,000 newcomers, issue #19). Same rows.
    appointments = Appointment.objects.filter(newcomer=OuterRef("pk"))
    in_this_ceremony = Exists(appointments.filter(ceremony=ceremony))
    current_somewhere = Exists(appointments.filter(ended_at__isnull=True))
    return (
        Newcomer.objects.not_anonymised()
        .exclude(kind=Kind.EXTERNAL)
        .filter(appointing_body__in=bodies_served(ceremony), start_date__lte=ceremony.day)
        .exclude(in_this_ceremony & current_somewhere)
        .exclude(Exists(appointments.filter(outcome=Outcome.TAKEN)))
        .order_by("deadline", "surname")
    )


def ceremonies_open_to(newcomer: Newcomer, *, excluding=None, limit: int = 5) -> list[Ceremony]:
    """Planned ceremonies still to come that the newcomer fits, on or before their deadline, with a free
    place: the dates offered to someone who cannot come to their own (``excluding`` their appointment)."""
    if not newcomer.needs_oath:
        return []
    window_start = max(timezone.now(), local_midnight(newcomer.start_date))
    window_end = local_midnight(newcomer.deadline + datetime.timedelta(days=1))
    candidates = (
        Ceremony.objects.filter(state=CeremonyState.PLANNED, starts_at__gt=window_start, starts_at__lt=window_end)
        .filter(**{f"officiant__officiant__{newcomer.appointing_body}": True})
        .annotate(current=Count("appointments", filter=Q(appointments__ended_at__isnull=True)))
        .filter(current__lt=F("capacity"))
        .select_related("officiant__officiant")
        .order_by("starts_at", "id")
    )
    if excluding is not None:
        candidates = candidates.exclude(pk=excluding.ceremony_id)
    return [ceremony for ceremony in candidates[:limit] if fit_problem(newcomer, ceremony) is None]
