"""The legal deadline: start date plus N calendar months, clamped to month end."""

import calendar
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onboarding.newcomers.deadlines import add_months, oath_deadline

dates = st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2150, 12, 31))
months = st.integers(min_value=0, max_value=36)


@pytest.mark.parametrize(
    ("start", "deadline"),
    [
        (datetime.date(2026, 1, 31), datetime.date(2026, 3, 31)),
        (datetime.date(2025, 12, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2027, 12, 31), datetime.date(2028, 2, 29)),
        (datetime.date(2023, 12, 30), datetime.date(2024, 2, 29)),
        (datetime.date(2026, 11, 15), datetime.date(2027, 1, 15)),
        (datetime.date(2026, 6, 30), datetime.date(2026, 8, 30)),
        (datetime.date(2026, 8, 31), datetime.date(2026, 10, 31)),
        (datetime.date(2026, 7, 31), datetime.date(2026, 9, 30)),
    ],
)
def test_two_month_deadline_examples(start, deadline):
    assert oath_deadline(start, months=2) == deadline


def test_the_number_of_months_is_a_setting(settings):
    settings.OATH_DEADLINE_MONTHS = 3
    assert oath_deadline(datetime.date(2026, 11, 30)) == datetime.date(2027, 2, 28)


@given(dates, months)
def test_lands_in_the_month_n_months_later(start, n):
    result = add_months(start, n)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == n


@given(dates, months)
def test_keeps_the_day_or_clamps_to_the_last_day(start, n):
    result = add_months(start, n)
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, last_day)


@given(dates, months)
def test_never_before_the_start_and_monotonic(start, n):
    assert add_months(start, n) >= start
    assert add_months(start, n + 1) > add_months(start, n)


@given(st.integers(min_value=1950, max_value=2150))
def test_december_31_gives_the_end_of_february(year):
    result = oath_deadline(datetime.date(year, 12, 31), months=2)
    assert result.month == 2 and result.year == year + 1
    assert result.day == (29 if calendar.isleap(year + 1) else 28)


@given(dates)
def test_later_start_never_gives_an_earlier_deadline(start):
    next_day = start + datetime.timedelta(days=1)
    assert oath_deadline(next_day, months=2) >= oath_deadline(start, months=2)
