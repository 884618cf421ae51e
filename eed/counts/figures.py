"""The annual integrity figures, straight from the records.

Per calendar year of the ceremony (Europe/Amsterdam): oaths and affirmations
taken by kind and by form, how many on time, newcomers whose deadline fell in
the year without being sworn by it, declarations signed, and dilemma-game
participants. Each figure comes with the previous year's. A handful of
aggregate queries in all, whatever the number of records.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Cast, Concat

from eed.enums import DilemmaSetting, OathForm, Outcome
from eed.models import Appointment, Ceremony, DilemmaSession
from onboarding.enums import Kind
from onboarding.models import DeclarationSignature, Newcomer

SWORN_KINDS = (Kind.EMPLOYEE, Kind.TRAINEE, Kind.GRIFFIE)


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The year's first and the next year's first moment, in the organisation's time zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def _in_year(field: str, year: int) -> Q:
    start, end = year_bounds(year)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _ceremonies_crossing_midnight(years) -> list[int]:
    """Ceremonies whose local date is a day after their UTC date (local time before 01:00/02:00)."""
    first, _ = year_bounds(min(years) - 1)
    _, last = year_bounds(max(years) + 1)
    zone = ZoneInfo(settings.TIME_ZONE)
    moments = Ceremony.objects.filter(starts_at__gte=first, starts_at__lt=last).values_list("pk", "starts_at")
    return [pk for pk, moment in moments if moment.astimezone(zone).date() != moment.astimezone(datetime.UTC).date()]


def on_or_before(deadline, *, prefix: str = "ceremony__", crossing=()) -> Q:
    """The ceremony's local date is on or before ``deadline`` (an F or OuterRef to a date).

    PostgreSQL converts time zones natively. SQLite would call Python for
    every row, so there the UTC text of ``starts_at`` is compared with the
    date's text, and the few ceremonies just after local midnight (a UTC date
    one day earlier) are compared one day stricter.
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{prefix}starts_at__date__lte": deadline})
    end_of_day = Concat(deadline, Value(" ~"), output_field=CharField())
    start_of_day = Cast(deadline, output_field=CharField())
    crossing_q = Q(**{f"{prefix}pk__in": list(crossing)})
    return (Q(**{f"{prefix}starts_at__lt": end_of_day}) & ~crossing_q) | (
        Q(**{f"{prefix}starts_at__lt": start_of_day}) & crossing_q
    )


def _sworn(years, crossing) -> dict[int, dict]:
    """One query: taken oaths per (kind, form), counted per year and on time."""
    on_time = on_or_before(F("newcomer__deadline"), crossing=crossing)
    aggregates = {}
    for year in years:
        when = _in_year("ceremony__starts_at", year)
        aggregates[f"n{year}"] = Count("pk", filter=when)
        aggregates[f"t{year}"] = Count("pk", filter=when & on_time)
    first, _ = year_bounds(min(years))
    _, last = year_bounds(max(years))
    groups = (
        Appointment.objects.filter(outcome=Outcome.TAKEN, ceremony__starts_at__gte=first, ceremony__starts_at__lt=last)
        .values("newcomer__kind", "form_used")
        .annotate(**aggregates)
        .order_by()
    )
    result = {
        year: {
            "sworn": dict.fromkeys([*SWORN_KINDS, "total"], 0),
            "by_form": dict.fromkeys(OathForm.values, 0),
            "on_time": {"count": 0, "share": 0.0},
        }
        for year in years
    }
    for group in groups:
        for year in years:
            figures = result[year]
            count = group[f"n{year}"]
            if group["newcomer__kind"] in figures["sworn"]:
                figures["sworn"][group["newcomer__kind"]] += count
            if group["form_used"] in figures["by_form"]:
                figures["by_form"][group["form_used"]] += count
            figures["sworn"]["total"] += count
            figures["on_time"]["count"] += group[f"t{year}"]
    for figures in result.values():
        total = figures["sworn"]["total"]
        figures["on_time"]["share"] = round(figures["on_time"]["count"] / total, 4) if total else 0.0
    return result


def _not_sworn_by_deadline(years, crossing) -> dict[int, int]:
    """One query: newcomers (oath) whose deadline fell in the year with no oath taken by then."""
    sworn_in_time = Appointment.objects.filter(
        on_or_before(OuterRef("deadline"), crossing=crossing), newcomer=OuterRef("pk"), outcome=Outcome.TAKEN
    )
    aggregates = {str(year): Count("pk", filter=Q(deadline__year=year)) for year in years}
    rows = (
        Newcomer.objects.exclude(kind=Kind.EXTERNAL)
        .filter(deadline__year__gte=min(years), deadline__year__lte=max(years))
        .filter(~Exists(sworn_in_time))
        .aggregate(**aggregates)
    )
    return {year: rows[str(year)] for year in years}


def _declarations_signed(years) -> dict[int, int]:
    """One query: signatures made in the year and not withdrawn."""
    aggregates = {str(year): Count("pk", filter=_in_year("signed_at", year)) for year in years}
    rows = DeclarationSignature.objects.filter(withdrawn_at__isnull=True).aggregate(**aggregates)
    return {year: rows[str(year)] for year in years}


def _dilemma_participants(years) -> dict[int, dict]:
    """One query: participants per year, in ceremonies and in team sessions."""
    aggregates = {}
    for year in years:
        for setting in DilemmaSetting.values:
            aggregates[f"{year}_{setting}"] = Sum("participants", filter=Q(date__year=year, setting=setting))
    rows = DilemmaSession.objects.aggregate(**aggregates)
    result = {}
    for year in years:
        ceremony = rows[f"{year}_{DilemmaSetting.CEREMONY}"] or 0
        team = rows[f"{year}_{DilemmaSetting.TEAM}"] or 0
        result[year] = {"ceremony": ceremony, "team": team, "total": ceremony + team}
    return result


def counts_for_years(years) -> dict[int, dict]:
    """The figures for each of the given years (a handful of queries for all of them)."""
    years = sorted(set(years))
    crossing = _ceremonies_crossing_midnight(years) if connection.vendor != "postgresql" else []
    sworn = _sworn(years, crossing)
    not_sworn = _not_sworn_by_deadline(years, crossing)
    declarations = _declarations_signed(years)
    dilemma = _dilemma_participants(years)
    return {
        year: {
            "year": year,
            **sworn[year],
            "not_sworn_by_deadline": not_sworn[year],
            "declarations_signed": declarations[year],
            "dilemma_game_participants": dilemma[year],
        }
        for year in years
    }


def with_previous_year(by_year: dict[int, dict], *, year: int) -> dict:
    """The year's figures with the previous year's beside them, from ``counts_for_years`` of both."""
    previous = dict(by_year[year - 1])
    previous.pop("year")
    return {**by_year[year], "previous_year": {"year": year - 1, **previous}}


def annual_counts(*, year: int) -> dict:
    """The year's figures with the previous year's beside them (the command's JSON shape)."""
    return with_previous_year(counts_for_years([year - 1, year]), year=year)
