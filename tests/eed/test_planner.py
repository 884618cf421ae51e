"""The planner places as many newcomers as a max-flow says is possible, never late, and proposes few extra ceremonies.

Pure tests: plain data in, a plan out, no database. networkx (test-only) is
the independent judge of what is possible.
"""

import datetime
from collections import Counter
from itertools import combinations_with_replacement

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eed.planner.augmenting import augment_all
from eed.planner.grouping import consolidate_managers
from eed.planner.matching import Matching
from eed.planner.plan import (
    CAPACITY,
    DEADLINE_PASSED,
    NO_CEREMONY_IN_WINDOW,
    PlannerCeremony,
    PlannerNewcomer,
    ProposalSlots,
    ceremony_options,
    latest_slot,
    plan,
    propose,
)
from eed.planner.sweep import sweep

TODAY = datetime.date(2026, 3, 2)  # a Monday
CS, G = "civil_service", "griffie"
BODY_SETS = [frozenset({CS}), frozenset({G}), frozenset({CS, G})]
SLOTS = ProposalSlots(weekdays=frozenset({1, 3}), at=datetime.time(10), capacity=2)


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def ceremony(id, offset, free, bodies=(CS, G), hour=10):
    moment = datetime.datetime.combine(day(offset), datetime.time(hour))
    return PlannerCeremony(id=id, day=day(offset), starts_at=moment, free=free, bodies=frozenset(bodies))


def newcomer(id, start, deadline, body=CS, manager=None):
    return PlannerNewcomer(id=id, start=day(start), deadline=day(deadline), body=body, manager_id=manager)


def fits(n: PlannerNewcomer, c: PlannerCeremony, today=TODAY) -> bool:
    """The rule, written out independently of the planner."""
    return c.day >= today and n.deadline >= today and n.start <= c.day <= n.deadline and n.body in c.bodies


def max_flow_placed(newcomers, ceremonies, today=TODAY) -> int:
    graph = nx.DiGraph()
    graph.add_node("source")
    graph.add_node("sink")
    for n in newcomers:
        graph.add_edge("source", ("n", n.id), capacity=1)
        for c in ceremonies:
            if fits(n, c, today):
                graph.add_edge(("n", n.id), ("c", c.id), capacity=1)
    for c in ceremonies:
        graph.add_edge(("c", c.id), "sink", capacity=max(c.free, 0))
    return nx.maximum_flow_value(graph, "source", "sink")


def assert_feasible(result, newcomers, ceremonies, today=TODAY):
    by_id = {n.id: n for n in newcomers}
    rooms = {c.id: c for c in ceremonies}
    placed = [n for n, _ in result.assigned]
    assert len(placed) == len(set(placed)), "someone placed twice"
    for n, c in result.assigned:
        assert fits(by_id[n], rooms[c], today), (by_id[n], rooms[c])
    for c, taken in Counter(c for _, c in result.assigned).items():
        assert taken <= rooms[c].free
    unplaced = [n for n, _ in result.unplaced]
    assert sorted(placed + unplaced) == sorted(by_id)


def expected_reason(n: PlannerNewcomer, ceremonies, today=TODAY) -> str:
    if n.deadline < today:
        return DEADLINE_PASSED
    in_window = [c for c in ceremonies if fits(n, c, today)]
    return CAPACITY if in_window else NO_CEREMONY_IN_WINDOW


def plain_edf(newcomers, ceremonies, today=TODAY) -> int:
    """Earliest deadline first over the ceremonies in date order: optimal only if every ceremony takes everyone."""
    waiting, placed = list(newcomers), 0
    for c in sorted(ceremonies, key=lambda c: c.starts_at):
        for n in sorted((n for n in waiting if fits(n, c, today)), key=lambda n: n.deadline)[: max(c.free, 0)]:
            waiting.remove(n)
            placed += 1
    return placed


# Random instances: few days and places, so collisions (equal deadlines, full rooms) are common.
ceremonies_strategy = st.lists(
    st.builds(
        lambda offset, free, bodies, hour: (offset, free, bodies, hour),
        st.integers(-3, 21),
        st.integers(0, 3),
        st.sampled_from(BODY_SETS),
        st.sampled_from([10, 14]),
    ),
    max_size=7,
)
newcomers_strategy = st.lists(
    st.builds(
        lambda start, length, body, manager: (start, length, body, manager),
        st.integers(-12, 20),
        st.integers(0, 14),
        st.sampled_from([CS, CS, G]),
        st.sampled_from([None, 1, 2, 3]),
    ),
    max_size=14,
)


def build(raw_newcomers, raw_ceremonies):
    ceremonies = [
        ceremony(j, offset, free, bodies, hour) for j, (offset, free, bodies, hour) in enumerate(raw_ceremonies)
    ]
    newcomers = [
        newcomer(100 + i, start, start + length, body, manager)
        for i, (start, length, body, manager) in enumerate(raw_newcomers)
    ]
    return newcomers, ceremonies


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(newcomers_strategy, ceremonies_strategy)
def test_the_plan_is_feasible_and_places_as_many_as_max_flow(raw_newcomers, raw_ceremonies):
    newcomers, ceremonies = build(raw_newcomers, raw_ceremonies)

    result = plan(newcomers, ceremonies, today=TODAY, slots=SLOTS)

    assert_feasible(result, newcomers, ceremonies)
    assert len(result.assigned) == max_flow_placed(newcomers, ceremonies)
    by_id = {n.id: n for n in newcomers}
    for n, reason in result.unplaced:
        assert reason == expected_reason(by_id[n], ceremonies)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.builds(lambda start, length: (start, length), st.integers(-5, 12), st.integers(0, 6)),
        min_size=1,
        max_size=8,
    ),
    st.lists(
        st.builds(lambda offset, bodies: (offset, bodies), st.integers(0, 12), st.sampled_from(BODY_SETS)),
        min_size=1,
        max_size=6,
    ),
)
def test_single_body_ceremonies_with_one_place_each_are_used_optimally(windows, rooms):
    """The adversarial shape for EDF: one place per ceremony, bodies mixed, many equal deadlines."""
    newcomers = [newcomer(i, s, s + length, CS if i % 3 else G) for i, (s, length) in enumerate(windows)]
    ceremonies = [ceremony(j, offset, 1, bodies) for j, (offset, bodies) in enumerate(rooms)]

    result = plan(newcomers, ceremonies, today=TODAY)

    assert_feasible(result, newcomers, ceremonies)
    assert len(result.assigned) == max_flow_placed(newcomers, ceremonies)


def test_where_plain_earliest_deadline_first_falls_short_the_planner_does_not():
    # Day 1 serves both bodies, day 2 only the griffie. EDF gives day 1 to the
    # griffie newcomer (earlier deadline), and the civil servant is left out.
    ceremonies = [ceremony(1, 1, 1, (CS, G)), ceremony(2, 2, 1, (G,))]
    newcomers = [newcomer(10, 1, 2, G), newcomer(11, 1, 3, CS)]
    assert plain_edf(newcomers, ceremonies) == 1

    result = plan(newcomers, ceremonies, today=TODAY)

    assert sorted(result.assigned) == [(10, 2), (11, 1)]
    assert result.unplaced == []


def test_an_augmenting_path_moves_three_people_to_place_one_more():
    # The sweep's rule (whoever has a single-body ceremony later yields) puts
    # the civil servant on day 1; then one griffie newcomer is left over until
    # the civil servant moves to day 3 and a griffie newcomer takes day 1.
    ceremonies = [ceremony(1, 1, 1, (CS, G)), ceremony(2, 2, 1, (G,)), ceremony(3, 3, 1, (CS, G))]
    newcomers = [newcomer(10, 1, 2, G), newcomer(11, 2, 2, G), newcomer(12, 1, 3, CS)]
    swept = _swept_only(newcomers, ceremonies)
    assert swept.ceremony_of.count(-1) == 1 and swept.ceremony_of[2] == 0

    result = plan(newcomers, ceremonies, today=TODAY)

    assert len(result.assigned) == 3
    assert dict(result.assigned)[12] == 3


def _swept_only(newcomers, ceremonies) -> Matching:
    """The first stage alone (no augmenting paths), to show the instance needs them."""
    matching = _matching_for(newcomers, ceremonies)
    sweep(matching)
    return matching


def _matching_for(newcomers, ceremonies) -> Matching:
    """The planner's working arrays for newcomers and (future, date-ordered) ceremonies, nobody placed yet."""
    bodies = {CS: 0, G: 1}
    return Matching(
        starts=[n.start.toordinal() for n in newcomers],
        deadlines=[n.deadline.toordinal() for n in newcomers],
        bodies=[bodies[n.body] for n in newcomers],
        managers=[n.manager_id for n in newcomers],
        days=[c.day.toordinal() for c in ceremonies],
        free=[c.free for c in ceremonies],
        ceremony_bodies=[tuple(sorted(bodies[b] for b in c.bodies)) for c in ceremonies],
        body_count=2,
    )


busy_newcomers = st.lists(
    st.builds(
        lambda start, length, body: (start, length, body, None),
        st.integers(-5, 20),
        st.integers(0, 12),
        st.sampled_from([CS, CS, G]),
    ),
    min_size=8,
    max_size=25,
)
busy_ceremonies = st.lists(
    st.builds(
        lambda offset, free, bodies, hour: (offset, free, bodies, hour),
        st.integers(0, 20),
        st.integers(0, 4),
        st.sampled_from(BODY_SETS),
        st.sampled_from([10, 14]),
    ),
    min_size=3,
    max_size=8,
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(busy_newcomers, busy_ceremonies, st.randoms(use_true_random=False))
def test_augmenting_paths_reach_the_maximum_from_any_start(raw_newcomers, raw_ceremonies, rng):
    """Optimality does not lean on the sweep: from any feasible start, the augmenting stage ends at max-flow."""
    newcomers, ceremonies = build(raw_newcomers, raw_ceremonies)
    newcomers = [n for n in newcomers if n.deadline >= TODAY]
    ceremonies = sorted((c for c in ceremonies if c.day >= TODAY), key=lambda c: (c.starts_at, c.id))
    matching = _matching_for(newcomers, ceremonies)
    for i in rng.sample(range(len(newcomers)), len(newcomers)):
        room = [c for c in range(len(ceremonies)) if matching.free[c] > 0 and matching.fits(i, c)]
        if room and rng.random() < 0.7:
            chosen = rng.choice(room)
            matching.place(i, chosen)
            matching.free[chosen] -= 1

    augment_all(matching, rng.sample(range(len(newcomers)), len(newcomers)))

    placed = [(newcomers[i].id, ceremonies[c].id) for i, c in enumerate(matching.ceremony_of) if c >= 0]
    assert len(placed) == max_flow_placed(newcomers, ceremonies)
    assert all(fits(newcomers[i], ceremonies[c]) for i, c in enumerate(matching.ceremony_of) if c >= 0)
    assert all(len(matching.occupants[c]) <= ceremonies[c].free for c in range(len(ceremonies)))


def _trips(matching: Matching) -> int:
    """Witness trips: distinct (manager, ceremony) pairs."""
    return len(
        {(m, c) for m, c in zip(matching.manager, matching.ceremony_of, strict=True) if m is not None and c >= 0}
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(newcomers_strategy, ceremonies_strategy)
def test_gathering_managers_never_costs_a_place_or_a_trip(raw_newcomers, raw_ceremonies):
    newcomers, ceremonies = build(raw_newcomers, raw_ceremonies)
    newcomers = [n for n in newcomers if n.deadline >= TODAY]
    ceremonies = sorted((c for c in ceremonies if c.day >= TODAY), key=lambda c: (c.starts_at, c.id))
    matching = _matching_for(newcomers, ceremonies)
    sweep(matching)
    augment_all(matching, range(len(newcomers)))
    placed, trips = {i for i, c in enumerate(matching.ceremony_of) if c >= 0}, _trips(matching)

    consolidate_managers(matching)

    assert {i for i, c in enumerate(matching.ceremony_of) if c >= 0} == placed
    assert _trips(matching) <= trips
    assert all(fits(newcomers[i], ceremonies[c]) for i, c in enumerate(matching.ceremony_of) if c >= 0)
    for c, ceremony_ in enumerate(ceremonies):
        assert len(matching.occupants[c]) + matching.free[c] == ceremony_.free
        assert sorted(matching.occupants[c]) == sorted(i for i, at in enumerate(matching.ceremony_of) if at == c)


def test_a_manager_with_three_newcomers_witnesses_once_where_capacity_allows():
    # Two ceremonies of three places. Earliest-deadline-first alone would put
    # the manager's urgent newcomer on day 10 and the other two on day 20.
    ceremonies = [ceremony(1, 10, 3), ceremony(2, 20, 3)]
    others = [newcomer(1, 0, 30), newcomer(2, 0, 30), newcomer(3, 0, 30)]
    mine = [newcomer(10, 0, 15, manager=7), newcomer(11, 0, 30, manager=7), newcomer(12, 0, 30, manager=7)]

    result = plan(others + mine, ceremonies, today=TODAY)

    where = dict(result.assigned)
    assert len(where) == 6
    assert {where[10], where[11], where[12]} == {1}


def test_a_manager_is_not_gathered_at_the_cost_of_anyone_else():
    # One place left on day 10 and the only other ceremony is day 20: the two
    # newcomers cannot be together, and nobody is dropped to make it so.
    ceremonies = [ceremony(1, 10, 1), ceremony(2, 20, 1)]
    newcomers = [newcomer(10, 0, 15, manager=7), newcomer(11, 0, 30, manager=7)]

    result = plan(newcomers, ceremonies, today=TODAY)

    assert sorted(result.assigned) == [(10, 1), (11, 2)]


def test_a_newcomer_whose_deadline_has_passed_is_reported_not_placed_late():
    ceremonies = [ceremony(1, 5, 10)]
    late = newcomer(1, -70, -9)

    result = plan([late], ceremonies, today=TODAY, slots=SLOTS)

    assert result.assigned == []
    assert result.unplaced == [(1, DEADLINE_PASSED)]
    assert result.proposed == []


def test_earlier_deadlines_get_earlier_dates():
    ceremonies = [ceremony(1, 3, 1), ceremony(2, 8, 1)]
    newcomers = [newcomer(1, 0, 20), newcomer(2, 0, 9)]

    result = plan(newcomers, ceremonies, today=TODAY)

    assert dict(result.assigned) == {2: 1, 1: 2}


def test_past_ceremonies_and_wrong_officiants_are_not_used():
    ceremonies = [ceremony(1, -1, 5), ceremony(2, 3, 5, (G,))]
    newcomers = [newcomer(1, -10, 20, CS)]

    result = plan(newcomers, ceremonies, today=TODAY)

    assert result.unplaced == [(1, NO_CEREMONY_IN_WINDOW)]


def test_full_ceremonies_give_the_capacity_reason_and_a_proposal():
    ceremonies = [ceremony(1, 3, 0)]
    newcomers = [newcomer(1, 0, 20)]

    result = plan(newcomers, ceremonies, today=TODAY, slots=SLOTS)

    assert result.unplaced == [(1, CAPACITY)]
    (proposal,) = result.proposed
    assert proposal.newcomer_ids == (1,)
    assert proposal.starts_at == datetime.datetime.combine(day(17), datetime.time(10))  # Thursday 19 March


def test_options_are_the_open_ceremonies_in_the_window_in_date_order():
    ceremonies = [ceremony(3, 12, 1), ceremony(1, 2, 1), ceremony(2, 5, 0), ceremony(4, 6, 1, (G,))]

    options = ceremony_options([newcomer(1, 0, 14)], ceremonies, today=TODAY)

    assert options == {1: [1, 3]}


# Proposals


def test_latest_slot_is_the_last_usual_weekday_on_or_before():
    assert latest_slot(day(3), {1, 3}) == day(3)  # Thursday itself
    assert latest_slot(day(6), {1, 3}) == day(3)  # Sunday -> Thursday
    assert latest_slot(day(1), {3}) == day(-4)


def test_proposals_come_per_appointing_body_as_late_as_the_earliest_deadline_allows():
    newcomers = [newcomer(1, 0, 13, CS), newcomer(2, 0, 20, CS), newcomer(3, 0, 13, G)]

    proposals = propose(newcomers, today=TODAY, slots=SLOTS)

    assert [(p.starts_at.date(), p.body, p.newcomer_ids) for p in proposals] == [
        (day(10), CS, (1, 2)),
        (day(10), G, (3,)),
    ]


def test_nobody_is_proposed_for_a_window_without_a_usual_slot():
    # Starts Friday, deadline Monday: no Tuesday or Thursday in between.
    assert propose([newcomer(1, 4, 7)], today=TODAY, slots=SLOTS) == []


def _coverable(newcomers, days, capacity) -> bool:
    graph = nx.DiGraph()
    for n in newcomers:
        graph.add_edge("source", ("n", n.id), capacity=1)
        for k, d in enumerate(days):
            if n.start <= d <= n.deadline:
                graph.add_edge(("n", n.id), ("d", k), capacity=1)
    for k in range(len(days)):
        graph.add_edge(("d", k), "sink", capacity=capacity)
    return bool(newcomers) and nx.maximum_flow_value(graph, "source", "sink") == len(newcomers)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.builds(lambda start, length: (start, length), st.integers(-3, 14), st.integers(0, 10)),
        min_size=1,
        max_size=7,
    ),
    st.integers(1, 3),
)
def test_proposals_are_feasible_complete_and_fewest(windows, capacity):
    slots = ProposalSlots(weekdays=frozenset({1, 3}), at=datetime.time(10), capacity=capacity)
    newcomers = [newcomer(i, s, s + length) for i, (s, length) in enumerate(windows)]

    proposals = propose(newcomers, today=TODAY, slots=slots)

    first = TODAY + datetime.timedelta(days=1)
    slot_days = [d for d in (day(k) for k in range(1, 30)) if d.weekday() in slots.weekdays]
    placeable = [n for n in newcomers if any(max(n.start, first) <= d <= n.deadline for d in slot_days)]
    proposed = [i for p in proposals for i in p.newcomer_ids]
    assert sorted(proposed) == sorted(n.id for n in placeable)
    by_id = {n.id: n for n in newcomers}
    for p in proposals:
        d = p.starts_at.date()
        assert d.weekday() in slots.weekdays and d >= first and len(p.newcomer_ids) <= capacity
        assert all(by_id[i].start <= d <= by_id[i].deadline for i in p.newcomer_ids)
    fewer = len(proposals) - 1
    if fewer >= 1:
        usable_days = [d for d in slot_days if d <= max(n.deadline for n in newcomers)]
        assert not any(
            _coverable(placeable, chosen, capacity) for chosen in combinations_with_replacement(usable_days, fewer)
        )
