"""Who may be placed in a ceremony: the one rule behind assigning, the add form, the planner and the sheet.

A newcomer fits a ceremony when they take an oath (externals sign a declaration instead), have not
taken it yet, have started by the ceremony's day, and the ceremony's officiant swears in for their
appointing body. A day after their deadline needs a recorded reason. Room (capacity) is checked where
the place is taken, under the ceremony's row lock (``services``).
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from eed.enums import Outcome
from eed.models import Ceremony
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
    return (
        Newcomer.objects.not_anonymised()
        .exclude(kind=Kind.EXTERNAL)
        .filter(appointing_body__in=bodies_served(ceremony), start_date__lte=ceremony.day)
        .exclude(appointments__ceremony=ceremony, appointments__ended_at__isnull=True)
        .exclude(appointments__outcome=Outcome.TAKEN)
        .order_by("deadline", "surname")
    )
