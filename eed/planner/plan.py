"""The ceremony planner: plain data in, a plan out (no Django, no database).

``plan()`` assigns newcomers who still need a ceremony to the planned
ceremonies so that the largest possible number take the oath in time (a
maximum matching, eed.planner.matching), then keeps each manager's newcomers
together where it can (eed.planner.grouping), reports who cannot be placed
and why, and proposes the fewest extra ceremonies that would place everyone
who still can be (``propose``).

A newcomer may go to a ceremony iff start <= day <= deadline, the day is
today or later, and the ceremony's officiant serves the newcomer's
appointing body; never after the deadline (a late ceremony needs a reason
that only HR can give).
"""

import datetime
import gc
from array import array
from bisect import bisect_left, bisect_right
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import compress, islice, repeat
from operator import attrgetter, le

from eed.planner.grouping import consolidate_managers
from eed.planner.matching import Matching, augment_all, sweep

DEADLINE_PASSED = "deadline_passed"
NO_CEREMONY_IN_WINDOW = "no_ceremony_in_window"
CAPACITY = "capacity"


@dataclass(frozen=True, slots=True)
class PlannerNewcomer:
    id: int
    start: datetime.date
    deadline: datetime.date
    body: str
    manager_id: int | None = None


@dataclass(frozen=True, slots=True)
class PlannerCeremony:
    id: int
    day: datetime.date
    starts_at: datetime.datetime
    free: int
    bodies: frozenset[str]


@dataclass(frozen=True, slots=True)
class ProposalSlots:
    """When extra ceremonies may be proposed: the usual weekdays (Monday 0) and time, and their size."""

    weekdays: frozenset[int]
    at: datetime.time
    capacity: int
    tzinfo: datetime.tzinfo | None = None
    lead_days: int = 1  # the earliest proposal is this many days after today


@dataclass(frozen=True, slots=True)
class Proposal:
    starts_at: datetime.datetime
    body: str
    newcomer_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    assigned: list[tuple[int, int]]  # (newcomer id, ceremony id), by ceremony then deadline
    unplaced: list[tuple[int, str]]  # (newcomer id, reason), by deadline
    proposed: list[Proposal]


def plan(newcomers, ceremonies, *, today: datetime.date, slots: ProposalSlots | None = None) -> Plan:
    with _without_cyclic_gc():
        return _plan(list(newcomers), ceremonies, today=today, slots=slots)


@contextmanager
def _without_cyclic_gc():
    """Pause the cyclic garbage collector while planning.

    A plan allocates some 10^5 small lists and ints, none of them in cycles
    (reference counting frees them all); meanwhile the collector would walk
    every live object again and again: a fifth of the time for 100,000
    newcomers (benchmarks/planner_100k.py). It resumes when the plan is made.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _plan(newcomers, ceremonies, *, today, slots) -> Plan:
    usable = sorted((c for c in ceremonies if c.day >= today and c.bodies), key=lambda c: (c.starts_at, c.id))
    floor = today.toordinal()
    deadlines = _ordinals(list(map(attrgetter("deadline"), newcomers)))
    passed = []
    if deadlines and min(deadlines) < floor:
        passed = [n for n, deadline in zip(newcomers, deadlines, strict=True) if deadline < floor]
        live = [deadline >= floor for deadline in deadlines]
        newcomers, deadlines = list(compress(newcomers, live)), list(compress(deadlines, live))
    # In id order, so that equal deadlines go first come, first served (they often come in that order).
    ids = list(map(attrgetter("id"), newcomers))
    if not all(map(le, ids, islice(ids, 1, None))):
        order = sorted(range(len(ids)), key=ids.__getitem__)
        newcomers, ids, deadlines = _permuted(order, newcomers, ids, deadlines)
    st = _matching(newcomers, deadlines, usable, floor)
    sweep(st)
    left = _unplaced(st)
    if left:
        augment_all(st, sorted(left, key=st.deadline.__getitem__))
    consolidate_managers(st)
    left_out = [(newcomers[i], _reason(st, i)) for i in _unplaced(st)]
    unplaced = sorted(
        [(n, DEADLINE_PASSED) for n in passed] + left_out, key=lambda pair: (pair[0].deadline, pair[0].id)
    )
    return Plan(
        assigned=_assigned(st, ids, usable),
        unplaced=[(n.id, reason) for n, reason in unplaced],
        proposed=propose([n for n, _ in left_out], today=today, slots=slots) if slots else [],
    )


def _ordinals(dates: list, at_least: int = -1) -> list[int]:
    """Day numbers (no smaller than ``at_least``); one int object per distinct day, and there are few of them.

    The loops that compare them then read a few hundred objects that stay in
    the cache rather than 10^5 scattered ones; likewise for managers (``_shared``).
    """
    number = {day: max(day.toordinal(), at_least) for day in set(dates)}
    return list(map(number.__getitem__, dates))


def _shared(values: list) -> list:
    """The same values, equal ones as one object: dictionaries keyed by them then find them by identity."""
    canonical = {value: value for value in set(values)}
    return list(map(canonical.__getitem__, values))


def _permuted(order, *columns) -> list[list]:
    return [list(map(column.__getitem__, order)) for column in columns]


def _unplaced(st: Matching) -> list[int]:
    """The newcomers without a ceremony, in index order (found in C: usually there are none or few)."""
    assign, found, i = st.assign, [], -1
    for _ in range(assign.count(-1)):
        i = assign.index(-1, i + 1)
        found.append(i)
    return found


def _matching(live, deadlines, usable, floor) -> Matching:
    """The planner's working arrays: day ordinals, body numbers; starts no earlier than today (``floor``)."""
    body_names = list(map(attrgetter("body"), live))
    names = sorted(set(body_names) | {body for c in usable for body in c.bodies})
    index = {name: b for b, name in enumerate(names)}
    return Matching(
        starts=_ordinals(list(map(attrgetter("start"), live)), at_least=floor),
        deadlines=deadlines,
        bodies=list(map(index.__getitem__, body_names)),
        managers=_shared(list(map(attrgetter("manager_id"), live))),
        days=[c.day.toordinal() for c in usable],
        free=[max(c.free, 0) for c in usable],
        ceremony_bodies=[tuple(sorted(index[body] for body in c.bodies)) for c in usable],
        body_count=len(names),
    )


def _assigned(st: Matching, ids, usable) -> list[tuple[int, int]]:
    """(newcomer id, ceremony id) by ceremony, and within one by deadline (ties in the order they were placed)."""
    by_deadline, placed, ceremony_ids = st.deadline.__getitem__, [], []
    for occupants, ceremony in zip(st.occupants, usable, strict=True):
        placed += sorted(occupants, key=by_deadline)
        ceremony_ids += repeat(ceremony.id, len(occupants))
    return list(zip(map(_compact(ids).__getitem__, placed), ceremony_ids, strict=True))


def _compact(ids: list):
    """The ids in one contiguous array when they are machine-sized ints (they are database ids).

    Read in ceremony order, a list's ids are 10^5 int objects scattered over
    memory; the array hands out equal ints made on the spot: some 15 ms less
    for 100,000 newcomers (benchmarks/planner_100k.py). Anything else (ids
    that are not ints, or too large) stays a list.
    """
    try:
        return array("q", ids)
    except (TypeError, OverflowError):
        return ids


def _reason(st: Matching, i) -> str:
    lo, hi = st.window(i)
    return NO_CEREMONY_IN_WINDOW if lo > hi else CAPACITY


def ceremony_options(newcomers, ceremonies, *, today: datetime.date) -> dict[int, list[int]]:
    """Per newcomer id: the ceremonies with a free place they could go to, in date order (HR's choices)."""
    open_ones = sorted((c for c in ceremonies if c.free > 0 and c.day >= today), key=lambda c: (c.starts_at, c.id))
    by_body = {}
    for c in open_ones:
        for body in c.bodies:
            by_body.setdefault(body, []).append(c)
    days = {body: [c.day for c in listed] for body, listed in by_body.items()}
    options = {}
    for n in newcomers:
        listed = by_body.get(n.body, [])
        lo = bisect_left(days.get(n.body, []), max(n.start, today))
        hi = bisect_right(days.get(n.body, []), n.deadline)
        options[n.id] = [c.id for c in listed[lo:hi]]
    return options


def propose(newcomers, *, today: datetime.date, slots: ProposalSlots) -> list[Proposal]:
    """The fewest extra ceremonies (per appointing body) that place these newcomers, each as late as it can be.

    Greedy for covering intervals with points of limited capacity: take the
    earliest deadline not yet served, open a ceremony on the latest usual
    slot on or before it, fill it earliest-deadline-first with everyone whose
    window contains that day, repeat. Minimal by exchange: an optimal plan
    serves that newcomer on some day p <= the chosen day t, and everyone it
    serves on or before t has a deadline >= t (that deadline is the earliest),
    so those ceremonies can all move to t; at t, trading a later deadline for
    an earlier one keeps both inside their windows, since every other
    ceremony of that plan is on or after t. Newcomers with no usual slot in
    their window are left out (tested against brute force in tests/eed).
    """
    proposals = []
    for body in sorted({n.body for n in newcomers}):
        proposals += _propose_for_body([n for n in newcomers if n.body == body], today=today, slots=slots)
    return sorted(proposals, key=lambda p: (p.starts_at, p.body))


def _propose_for_body(newcomers, *, today, slots: ProposalSlots) -> list[Proposal]:
    first_slot = today + datetime.timedelta(days=slots.lead_days)
    by_deadline = sorted(newcomers, key=lambda n: (n.deadline, n.id))
    served, proposals = set(), []
    for position, urgent in enumerate(by_deadline):
        if urgent.id in served:
            continue
        day = latest_slot(urgent.deadline, slots.weekdays)
        if day is None or day < max(urgent.start, first_slot):
            continue  # no usual slot in this window: no extra ceremony can place them
        group = _fill(islice(by_deadline, position, None), day, served, slots.capacity)  # urgent comes first
        served.update(n.id for n in group)
        starts_at = datetime.datetime.combine(day, slots.at, tzinfo=slots.tzinfo)
        proposals.append(Proposal(starts_at=starts_at, body=urgent.body, newcomer_ids=tuple(n.id for n in group)))
    return proposals


def _fill(by_deadline, day, served, capacity) -> list:
    """Up to capacity newcomers not yet served whose window contains day, earliest deadline first.

    Everyone before the urgent newcomer in deadline order is served already, so
    the caller passes the list from there on.
    """
    group = []
    for n in by_deadline:
        if n.id not in served and n.start <= day <= n.deadline:
            group.append(n)
            if len(group) == capacity:
                break
    return group


def latest_slot(day: datetime.date, weekdays) -> datetime.date | None:
    """The latest day on or before ``day`` that falls on one of the weekdays."""
    for back in range(7):
        candidate = day - datetime.timedelta(days=back)
        if candidate.weekday() in weekdays:
            return candidate
    return None
