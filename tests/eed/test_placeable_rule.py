"""Who may be added to a ceremony is the same set written as plain EXISTS tests as in the ORM's own words."""

import pytest

from eed.ceremonies import services
from eed.ceremonies.placement import placeable_newcomers
from eed.enums import Outcome
from onboarding.models import Newcomer
from tests.eed.ceremony_day import absent, assign, ceremony_on, newcomer, record, taken

pytestmark = pytest.mark.django_db


def _in_the_orms_words(ceremony):
    """The rule as first written: what PostgreSQL counted per newcomer (issue #19)."""
    return (
        Newcomer.objects.not_anonymised()
        .exclude(kind="external")
        .filter(start_date__lte=ceremony.day)
        .exclude(appointments__ceremony=ceremony, appointments__ended_at__isnull=True)
        .exclude(appointments__outcome=Outcome.TAKEN)
    )


def test_the_same_people_may_be_added_whatever_their_history(hr, manager):
    held, this, other = ceremony_on(-3), ceremony_on(10), ceremony_on(20)
    free = newcomer(manager)
    here = newcomer(manager)
    assign(this, here, hr)
    elsewhere = newcomer(manager)
    assign(other, elsewhere, hr)
    moved_out = newcomer(manager)
    first = assign(this, moved_out, hr)
    services.appointment_remove(appointment=first, by=hr)
    assign(other, moved_out, hr)
    sworn, missed = newcomer(manager), newcomer(manager)
    record(held, hr, [taken(assign(held, sworn, hr)), absent(assign(held, missed, hr))])
    newcomer(manager, kind="external")

    placeable = set(placeable_newcomers(this))

    assert placeable == set(_in_the_orms_words(this))
    assert {free, elsewhere, missed} <= placeable and not {here, sworn} & placeable
