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
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import islice
from operator import attrgetter

from eed.planner.augmenting import augment_all
from eed.planner.grouping import consolidate_managers
from eed.planner.matching import Matching
from eed.planner.sweep import sweep

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
    """Place as many newcomers as possible in time, gather managers' newcomers, propose extra ceremonies."""
    newcomers = list(newcomers)
    usable = sorted(
        (ceremony for ceremony in ceremonies if ceremony.day >= today and ceremony.bodies),
        key=lambda ceremony: (ceremony.starts_at, ceremony.id),
    )
    late = [newcomer for newcomer in newcomers if newcomer.deadline < today]
    # In id order, so that equal deadlines go first come, first served.
    live = sorted((newcomer for newcomer in newcomers if newcomer.deadline >= today), key=attrgetter("id"))
    matching = _matching(live, usable, today)
    sweep(matching)
    augment_all(matching, sorted(matching.unplaced(), key=matching.deadline.__getitem__))
    consolidate_managers(matching)
    left_out = [(live[number], _reason(matching, number)) for number in matching.unplaced()]
    unplaced = sorted(
        [(newcomer, DEADLINE_PASSED) for newcomer in late] + left_out,
        key=lambda pair: (pair[0].deadline, pair[0].id),
    )
    return Plan(
        assigned=_assigned(matching, live, usable),
        unplaced=[(newcomer.id, reason) for newcomer, reason in unplaced],
        proposed=propose([newcomer for newcomer, _ in left_out], today=today, slots=slots) if slots else [],
    )


def _matching(live, usable, today) -> Matching:
    """The working state for these newcomers and ceremonies (the ``Matching``'s numbers are positions in them).

    Days become ordinals and bodies numbers; nobody starts before today.
    """
    names = sorted({newcomer.body for newcomer in live} | {body for ceremony in usable for body in ceremony.bodies})
    number_of = {name: number for number, name in enumerate(names)}
    return Matching(
        starts=[max(newcomer.start, today).toordinal() for newcomer in live],
        deadlines=[newcomer.deadline.toordinal() for newcomer in live],
        bodies=[number_of[newcomer.body] for newcomer in live],
        managers=[newcomer.manager_id for newcomer in live],
        days=[ceremony.day.toordinal() for ceremony in usable],
        free=[max(ceremony.free, 0) for ceremony in usable],
        ceremony_bodies=[tuple(sorted(number_of[body] for body in ceremony.bodies)) for ceremony in usable],
        body_count=len(names),
    )


def _assigned(matching: Matching, live, usable) -> list[tuple[int, int]]:
    """(newcomer id, ceremony id) by ceremony, and within one by deadline (ties in the order they were placed)."""
    ids, by_deadline, assigned = [newcomer.id for newcomer in live], matching.deadline.__getitem__, []
    for occupants, ceremony_id in zip(matching.occupants, [ceremony.id for ceremony in usable], strict=True):
        assigned += [(ids[number], ceremony_id) for number in sorted(occupants, key=by_deadline)]
    return assigned


def _reason(matching: Matching, number) -> str:
    return CAPACITY if matching.window(number) else NO_CEREMONY_IN_WINDOW


def ceremony_options(newcomers, ceremonies, *, today: datetime.date) -> dict[int, list[int]]:
    """Per newcomer id: the ceremonies with a free place they could go to, in date order (HR's choices)."""
    open_ones = sorted(
        (ceremony for ceremony in ceremonies if ceremony.free > 0 and ceremony.day >= today),
        key=lambda ceremony: (ceremony.starts_at, ceremony.id),
    )
    by_body = {}
    for ceremony in open_ones:
        for body in ceremony.bodies:
            by_body.setdefault(body, []).append(ceremony)
    days = {body: [ceremony.day for ceremony in listed] for body, listed in by_body.items()}
    options = {}
    for newcomer in newcomers:
        listed, listed_days = by_body.get(newcomer.body, []), days.get(newcomer.body, [])
        first = bisect_left(listed_days, max(newcomer.start, today))
        after_last = bisect_right(listed_days, newcomer.deadline)
        options[newcomer.id] = [ceremony.id for ceremony in listed[first:after_last]]
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
    for body in sorted({newcomer.body for newcomer in newcomers}):
        of_body = [newcomer for newcomer in newcomers if newcomer.body == body]
        proposals += _propose_for_body(of_body, today=today, slots=slots)
    return sorted(proposals, key=lambda proposal: (proposal.starts_at, proposal.body))


def _propose_for_body(newcomers, *, today, slots: ProposalSlots) -> list[Proposal]:
    first_slot = today + datetime.timedelta(days=slots.lead_days)
    by_deadline = sorted(newcomers, key=lambda newcomer: (newcomer.deadline, newcomer.id))
    served, proposals = set(), []
    for position, urgent in enumerate(by_deadline):
        if urgent.id in served:
            continue
        day = latest_slot(urgent.deadline, slots.weekdays)
        if day is None or day < max(urgent.start, first_slot):
            continue  # no usual slot in this window: no extra ceremony can place them
        group = _fill(islice(by_deadline, position, None), day, served, slots.capacity)  # urgent comes first
        ids = tuple(newcomer.id for newcomer in group)
        served.update(ids)
        starts_at = datetime.datetime.combine(day, slots.at, tzinfo=slots.tzinfo)
        proposals.append(Proposal(starts_at=starts_at, body=urgent.body, newcomer_ids=ids))
    return proposals


def _fill(by_deadline, day, served, capacity) -> list:
    """Up to capacity newcomers not yet served whose window contains day, earliest deadline first.

    Everyone before the urgent newcomer in deadline order is served already, so
    the caller passes the list from there on.
    """
    group = []
    for newcomer in by_deadline:
        if newcomer.id not in served and newcomer.start <= day <= newcomer.deadline:
            group.append(newcomer)
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
