"""The ceremony planner on 100,000 newcomers and 2,000 ceremonies (pure algorithm, no database).

Two instances: every ceremony serves both appointing bodies (where plain
earliest-deadline-first is already optimal), and one where a tenth of the
ceremonies serve only the griffie (where it is not, and the planner's
augmenting paths do the rest). Each figure is the median of a few runs, with
the time Python takes to sort the same newcomers by deadline in the same run
as the floor.

    python -m benchmarks.planner_100k
"""

import calendar
import datetime
import random
import statistics
import sys
import time

from benchmarks._common import ROOT, emit, median_of

NEWCOMERS = 100_000
CEREMONIES = 2_000
MANAGERS = 20_000
GRIFFIE_SHARE = 0.05
RUNS = 7
TODAY = datetime.date(2026, 1, 5)
BOTH = frozenset({"civil_service", "griffie"})
GRIFFIE_ONLY = frozenset({"griffie"})


def _plus_two_months(day: datetime.date) -> datetime.date:
    month_index = day.month + 1
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def make_newcomers(rng):
    """Start dates from a month back to two years ahead, two-month windows, ~5% griffie, ~10% without manager."""
    from eed.planner.plan import PlannerNewcomer

    newcomers = []
    for number in range(NEWCOMERS):
        start = TODAY + datetime.timedelta(days=rng.randint(-30, 700))
        body = "griffie" if rng.random() < GRIFFIE_SHARE else "civil_service"
        manager = rng.randrange(MANAGERS) if rng.random() < 0.9 else None
        newcomers.append(PlannerNewcomer(number, start, _plus_two_months(start), body, manager))
    return newcomers


def make_ceremonies(rng, *, griffie_only_share: float):
    """Working days from today over the whole horizon, 50-60 places each."""
    from eed.planner.plan import PlannerCeremony

    days = [TODAY + datetime.timedelta(days=offset) for offset in range(800)]
    working = [day for day in days if day.weekday() < 5]
    griffie_only = set(rng.sample(range(CEREMONIES), int(CEREMONIES * griffie_only_share)))
    ceremonies = []
    for number in range(CEREMONIES):
        day = working[number * len(working) // CEREMONIES]
        starts_at = datetime.datetime.combine(day, datetime.time(10 if number % 2 else 14))
        bodies = GRIFFIE_ONLY if number in griffie_only else BOTH
        ceremonies.append(PlannerCeremony(number, day, starts_at, rng.randint(50, 60), bodies))
    return ceremonies


def measure(newcomers, ceremonies):
    """(median seconds of plan(), median ratio to sorting by deadline, placed).

    The plan and the sort are timed in turns and each ratio is taken within
    one turn, so a burst of load on the machine hits both sides alike.
    """
    from eed.planner.plan import ProposalSlots, plan

    slots = ProposalSlots(weekdays=frozenset({1, 3}), at=datetime.time(10), capacity=20)
    placed = len(plan(newcomers, ceremonies, today=TODAY, slots=slots).assigned)
    plan_times, ratios = [], []
    for _ in range(RUNS):
        floor = median_of(lambda: sorted(newcomers, key=lambda n: n.deadline), 3)
        planned = median_of(lambda: plan(newcomers, ceremonies, today=TODAY, slots=slots), 1)
        plan_times.append(planned)
        ratios.append(planned / floor)
    return statistics.median(plan_times), statistics.median(ratios), placed


def main():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    rng = random.Random(20260105)
    newcomers = make_newcomers(rng)
    started = time.perf_counter()
    for suffix, share in (("", 0.0), ("_griffie_tenth", 0.1)):
        ceremonies = make_ceremonies(rng, griffie_only_share=share)
        planned, ratio, placed = measure(newcomers, ceremonies)
        emit(f"planner_100k{suffix}_seconds", planned, "s", "< 3")
        emit(f"planner_100k{suffix}_ratio_to_sort", ratio, "ratio", "<= 20")
        emit(f"planner_100k{suffix}_placed", placed, "newcomers", None)
    print(f"planner_100k: {time.perf_counter() - started:.1f} s in all", file=sys.stderr)


if __name__ == "__main__":
    main()
