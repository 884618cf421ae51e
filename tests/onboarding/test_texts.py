"""Official texts are versioned data: the version in force is used, older ones stay readable."""

import datetime

import pytest

from onboarding.enums import TextKind
from onboarding.models import Text
from onboarding.organisation import text_current

pytestmark = pytest.mark.django_db


def test_the_zuid_holland_formulas_and_declaration_are_there_after_migrating():
    oath = text_current(TextKind.OATH)
    affirmation = text_current(TextKind.AFFIRMATION)

    assert oath.closing_words == "Zo waarlijk helpe mij God almachtig!"
    assert affirmation.closing_words == "Dat verklaar en beloof ik!"
    assert "Zuid-Holland" in text_current(TextKind.DECLARATION).body
    assert text_current(TextKind.OATH, language="en").language == "en"


def test_a_new_version_takes_over_from_its_date_and_the_old_one_stays():
    Text.objects.create(
        kind=TextKind.OATH, language="nl", version=2, valid_from=datetime.date(2027, 1, 1), title="Eed", body="Nieuw"
    )

    assert text_current(TextKind.OATH, today=datetime.date(2026, 12, 31)).version == 1
    assert text_current(TextKind.OATH, today=datetime.date(2027, 1, 1)).body == "Nieuw"
    assert Text.objects.filter(kind=TextKind.OATH, language="nl").count() == 2


def test_a_language_without_its_own_version_falls_back_to_dutch():
    Text.objects.filter(kind=TextKind.DECLARATION, language="en").delete()
    assert text_current(TextKind.DECLARATION, language="en").language == "nl"
