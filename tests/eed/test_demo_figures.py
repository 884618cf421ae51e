"""The demo data reproduce the province's published 2022 figures, through the app's own services."""

import io
import json

import pytest
from django.core.management import call_command

from eed.models import Ceremony


@pytest.mark.django_db
def test_seed_demo_gives_the_2022_figures_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    out = io.StringIO()
    call_command("annual_counts", "--year", "2022", "--format", "json", stdout=out)
    figures = json.loads(out.getvalue())

    assert figures["sworn"] == {"employee": 182, "trainee": 10, "griffie": 4, "total": 196}
    assert figures["dilemma_game_participants"]["total"] == 398
    assert Ceremony.objects.filter(starts_at__year=2022, state="held").exists()
    assert not Ceremony.objects.filter(starts_at__year=2022).exclude(state="held").exists()
