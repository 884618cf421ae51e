"""The optimised planner makes exactly the decisions the original one made.

tests/eed/planner_reference.py keeps the planner as it was before it was made
faster; on seeded random instances of several shapes (tiny and crowded, with
single-body ceremonies, with managers, large enough for the sweep's backlog and
the gathering's swaps to matter) both must return the same plan, row for row
and in the same order; stage by stage, the working arrays must agree too (the
order of a ceremony's occupants included: it decides ties later on).
"""

import datetime
import random

import pytest

from eed.planner.plan import PlannerCeremony, PlannerNewcomer, ProposalSlots, plan
from tests.eed import planner_reference

TODAY = datetime.date(2026, 3, 2)
CS, G, OTHER = "civil_service", "griffie", "province"
SLOTS = ProposalSlots(weekdays=frozenset({1, 3}), at=datetime.time(10), capacity=3)


def _instance(rng, *, newcomers, ceremonies, horizon, window, managers, single_share, free, body_weights):
    """Random newcomers and ceremonies; ids shuffled and sparse, some deadlines passed, some rooms past or full."""
    ids = rng.sample(range(1, newcomers * 5 + 10), newcomers)
    people = []
    for number in ids:
        start = TODAY + datetime.timedelta(days=rng.randint(-window - 5, horizon))
        deadline = start + datetime.timedelta(days=rng.randint(0, window))
        body = rng.choices((CS, G, OTHER), weights=body_weights)[0]
        manager = rng.randrange(managers) if managers and rng.random() < 0.85 else None
        people.append(PlannerNewcomer(number, start, deadline, body, manager))
    rooms = []
    for number in rng.sample(range(1, ceremonies * 3 + 10), ceremonies):
        day = TODAY + datetime.timedelta(days=rng.randint(-3, horizon + window // 2))
        starts_at = datetime.datetime.combine(day, datetime.time(rng.choice((10, 14))))
        roll = rng.random()
        if roll < single_share:
            bodies = frozenset({G})
        elif roll < single_share * 1.3:
            bodies = frozenset({CS})
        elif roll < 0.97:
            bodies = frozenset({CS, G})
        else:
            bodies = frozenset()
        rooms.append(PlannerCeremony(number, day, starts_at, rng.randint(*free), bodies))
    return people, rooms


SHAPES = {
    # few days and places: equal deadlines, full rooms, managers sharing ceremonies
    "tiny": {
        "newcomers": 14,
        "ceremonies": 6,
        "horizon": 20,
        "window": 14,
        "managers": 3,
        "single_share": 0.3,
        "free": (-1, 3),
        "body_weights": (6, 3, 1),
    },
    # one place per ceremony and many single-body ones: where the augmenting paths earn their keep
    "adversarial": {
        "newcomers": 20,
        "ceremonies": 10,
        "horizon": 6,
        "window": 6,
        "managers": 2,
        "single_share": 0.5,
        "free": (1, 1),
        "body_weights": (1, 1, 0),
    },
    "crowded": {
        "newcomers": 120,
        "ceremonies": 25,
        "horizon": 40,
        "window": 20,
        "managers": 12,
        "single_share": 0.25,
        "free": (0, 6),
        "body_weights": (6, 3, 1),
    },
    "everyone_everywhere": {
        "newcomers": 400,
        "ceremonies": 40,
        "horizon": 120,
        "window": 45,
        "managers": 60,
        "single_share": 0.0,
        "free": (5, 12),
        "body_weights": (1, 0, 0),
    },
    "benchmark_like": {
        "newcomers": 3000,
        "ceremonies": 60,
        "horizon": 400,
        "window": 60,
        "managers": 600,
        "single_share": 0.1,
        "free": (40, 60),
        "body_weights": (95, 5, 0),
    },
    "scarce": {
        "newcomers": 2000,
        "ceremonies": 80,
        "horizon": 200,
        "window": 60,
        "managers": 300,
        "single_share": 0.2,
        "free": (0, 20),
        "body_weights": (8, 2, 0),
    },
}
SEEDS = {"tiny": 400, "adversarial": 400, "crowded": 60, "everyone_everywhere": 10, "benchmark_like": 4, "scarce": 4}


@pytest.mark.parametrize("shape", SHAPES)
def test_the_optimised_planner_decides_exactly_as_the_original(shape):
    _compare_on_seeds(shape)


def _compare_on_seeds(shape):
    for seed in range(SEEDS[shape]):
        rng = random.Random(f"{shape}-{seed}")
        newcomers, ceremonies = _instance(rng, **SHAPES[shape])
        today = TODAY + datetime.timedelta(days=rng.choice((0, 0, 3)))

        expected = planner_reference.plan(newcomers, ceremonies, today=today, slots=SLOTS)
        actual = plan(newcomers, ceremonies, today=today, slots=SLOTS)

        assert actual.assigned == expected.assigned, (shape, seed)
        assert actual.unplaced == expected.unplaced, (shape, seed)
        assert actual.proposed == expected.proposed, (shape, seed)


def test_newcomers_in_id_order_or_not_give_the_same_plan():
    rng = random.Random(7)
    newcomers, ceremonies = _instance(rng, **SHAPES["crowded"])
    in_order = sorted(newcomers, key=lambda n: n.id)

    assert plan(newcomers, ceremonies, today=TODAY) == plan(in_order, ceremonies, today=TODAY)
    assert plan(in_order, ceremonies, today=TODAY) == planner_reference.plan(in_order, ceremonies, today=TODAY)


def test_odd_ids_and_empty_inputs_give_the_same_plan():
    rng = random.Random(11)
    newcomers, ceremonies = _instance(rng, **SHAPES["crowded"])
    huge = [PlannerNewcomer(n.id + 2**70, n.start, n.deadline, n.body, n.manager_id) for n in newcomers]
    named = [PlannerNewcomer(f"n{n.id:05}", n.start, n.deadline, n.body, n.manager_id) for n in newcomers]
    backwards = sorted(newcomers, key=lambda n: -n.id)
    late = [n for n in newcomers if n.deadline < TODAY]
    for people, rooms in ((huge, ceremonies), (named, ceremonies), (backwards, ceremonies), (late, ceremonies)):
        assert plan(people, rooms, today=TODAY, slots=SLOTS) == planner_reference.plan(
            people, rooms, today=TODAY, slots=SLOTS
        )
    for people, rooms in (([], ceremonies), (newcomers, []), ([], [])):
        assert plan(people, rooms, today=TODAY, slots=SLOTS) == planner_reference.plan(
            people, rooms, today=TODAY, slots=SLOTS
        )


def _arrays(rng, *, newcomers, ceremonies):
    """Raw Matching arguments as the tests build them: unclamped starts, any date order of equal days."""
    starts = [rng.randint(-5, 30) for _ in range(newcomers)]
    days = sorted(rng.randint(0, 35) for _ in range(ceremonies))
    served = [rng.choice(((0,), (1,), (0, 1), (0, 1))) for _ in range(ceremonies)]
    return {
        "starts": starts,
        "deadlines": [s + rng.randint(0, 12) for s in starts],
        "bodies": [rng.choice((0, 0, 1)) for _ in range(newcomers)],
        "managers": [rng.choice((None, 1, 2, 3, 4)) for _ in range(newcomers)],
        "days": days,
        "free": [rng.randint(0, 4) for _ in range(ceremonies)],
        "ceremony_bodies": served,
        "body_count": 2,
    }


def _state(matching):
    return matching.ceremony_of, matching.occupants, matching.free


def _reference_state(matching):
    return matching.assign, matching.occupants, matching.free


def test_each_stage_leaves_the_same_state_as_the_original():
    """Sweep (or a random start), augmenting paths and gathering one by one, on Matchings built directly."""
    from eed.planner.augmenting import augment_all
    from eed.planner.grouping import consolidate_managers
    from eed.planner.matching import Matching
    from eed.planner.sweep import sweep

    for seed in range(300):
        rng = random.Random(seed)
        arrays = _arrays(rng, newcomers=rng.randint(0, 40), ceremonies=rng.randint(0, 9))
        new, old = Matching(**arrays), planner_reference.Matching(**arrays)

        if seed % 2:
            sweep(new)
            planner_reference.sweep(old)
        else:  # any feasible start, occupants in no particular order
            for i in rng.sample(range(len(new.ceremony_of)), len(new.ceremony_of)):
                room = [c for c in range(len(new.day)) if new.free[c] > 0 and new.fits(i, c)]
                if room and rng.random() < 0.8:
                    chosen = rng.choice(room)
                    for matching in (new, old):
                        matching.place(i, chosen)
                        matching.free[chosen] -= 1
        assert _state(new) == _reference_state(old), seed

        order = rng.sample(range(len(new.ceremony_of)), len(new.ceremony_of))
        augment_all(new, order)
        planner_reference.augment_all(old, order)
        assert _state(new) == _reference_state(old), seed

        consolidate_managers(new)
        planner_reference.consolidate_managers(old)
        assert _state(new) == _reference_state(old), seed
