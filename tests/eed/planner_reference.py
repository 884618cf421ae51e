"""The planner as it was before the speed-up (commit b4ac4ac), kept as the reference for tests.

test_planner_same.py checks that eed.planner.plan.plan() makes exactly the same
decisions as this copy on seeded random instances, and that each stage
(sweep, augmenting paths, gathering) leaves the same state. Copied verbatim from
eed/planner.py (plan and its helpers), eed/planner_matching.py and
eed/planner_grouping.py (now eed/planner/); only the imports were merged. Do not optimise it.
"""

import datetime
import gc
from bisect import bisect_left, bisect_right
from contextlib import contextmanager
from heapq import heappop, heappush
from itertools import repeat
from operator import attrgetter, sub

from eed.planner.plan import CAPACITY, DEADLINE_PASSED, NO_CEREMONY_IN_WINDOW, Plan, ProposalSlots, propose

NEVER = 1 << 40  # a day ordinal after any real date
ANY_KEY = 1 << 200  # above every heap key


class Matching:
    """Working arrays for one planning run; ``assign[i]`` is a ceremony index or -1."""

    def __init__(self, *, starts, deadlines, bodies, managers, days, free, ceremony_bodies, body_count):
        self.start, self.deadline, self.body, self.manager = starts, deadlines, bodies, managers
        self.day, self.free = days, list(free)
        self.cbodies = ceremony_bodies
        self.cmask = [sum(1 << b for b in served) for served in ceremony_bodies]
        self.lists = [[c for c in range(len(days)) if b in ceremony_bodies[c]] for b in range(body_count)]
        self.list_days = [[days[c] for c in listed] for listed in self.lists]
        self.pos = [[-1] * len(days) for _ in range(body_count)]
        for b, listed in enumerate(self.lists):
            for j, c in enumerate(listed):
                self.pos[b][c] = j
        self.assign = [-1] * len(starts)
        self.occupants = [[] for _ in days]
        self._reach_cache = [None] * len(days)

    def window(self, i) -> tuple[int, int]:
        """Positions lo..hi in the newcomer's body list of the ceremonies in their window (lo > hi: none)."""
        listed = self.list_days[self.body[i]]
        return bisect_left(listed, self.start[i]), bisect_right(listed, self.deadline[i]) - 1

    @property
    def columns(self):
        """(start, deadline, body, manager): the per-newcomer lists, for tight loops."""
        return self.start, self.deadline, self.body, self.manager

    def eligible(self, i, c) -> bool:
        return bool(self.cmask[c] >> self.body[i] & 1) and self.start[i] <= self.day[c] <= self.deadline[i]

    def place(self, i, c) -> None:
        self.assign[i] = c
        self.occupants[c].append(i)
        self._reach_cache[c] = None

    def unplace(self, i) -> None:
        c = self.assign[i]
        self.occupants[c].remove(i)
        self.assign[i] = -1
        self._reach_cache[c] = None

    def move(self, i, c) -> None:
        """From their ceremony to c (capacity is the caller's business)."""
        origin = self.assign[i]
        self.occupants[origin].remove(i)
        self.occupants[c].append(i)
        self.assign[i] = c
        self._reach_cache[origin] = self._reach_cache[c] = None


def _next_single_body_days(st: Matching) -> list[list[int]]:
    """Per body, per ceremony: the day of the next later ceremony serving only that body (NEVER if none)."""
    result = []
    for b in range(len(st.lists)):
        following, upcoming = [NEVER] * len(st.day), NEVER
        for c in range(len(st.day) - 1, -1, -1):
            following[c] = upcoming
            if st.cbodies[c] == (b,):
                upcoming = st.day[c]
        result.append(following)
    return result


def sweep(st: Matching) -> None:
    """Earliest deadline first over the ceremonies in date order (see the module docstring)."""
    shift = max(len(st.start), 1).bit_length()
    mask = (1 << shift) - 1
    heap_of, served_heaps = _heap_layout(st)
    released = _release_queues(st, heap_of, shift)
    heaps = [[] for _ in released]
    later_single = [[d << shift for d in days] for days in _next_single_body_days(st)]
    cursor = [0] * len(released)
    for c, day in enumerate(st.day):
        for h, (starts, keys) in enumerate(released):
            upto = bisect_right(starts, day, cursor[h])
            heap = heaps[h]
            for key in keys[cursor[h] : upto]:
                heappush(heap, key)
            cursor[h] = upto
        if st.free[c] <= 0:
            continue
        floor, served = day << shift, served_heaps[c]
        if len(served) == 1:
            taken = _take_from_one(heaps[served[0]], st.free[c], floor, mask)
        else:
            thresholds = {h: later_single[h][c] for h in served}
            taken = _take_from_several(heaps, thresholds, st.free[c], floor, mask)
        for i in taken:
            st.assign[i] = c
        st.occupants[c].extend(taken)
        st.free[c] -= len(taken)


def _heap_layout(st: Matching):
    """Which heap each body's newcomers wait in, and which heaps each ceremony takes from.

    When every ceremony serves the same bodies, one heap holds them all (plain
    EDF); otherwise each body has its own heap.
    """
    kinds = set(st.cbodies)
    if len(kinds) == 1:
        (served,) = kinds
        return [0 if b in served else -1 for b in range(len(st.lists))], [(0,)] * len(st.day)
    return list(range(len(st.lists))), st.cbodies


def _release_queues(st: Matching, heap_of, shift):
    """Per heap: the newcomers' start days in order, and their heap keys (deadline, index) in that order."""
    order = sorted(range(len(st.start)), key=st.start.__getitem__)
    keys = [(deadline << shift) | i for i, deadline in enumerate(st.deadline)]
    heap_count = max(heap_of, default=-1) + 1
    if set(heap_of) == {0}:
        mine = [order]
    else:
        mine = [[] for _ in range(heap_count + 1)]  # the last one: bodies no ceremony serves
        for i, h in zip(order, map(heap_of.__getitem__, map(st.body.__getitem__, order)), strict=True):
            mine[h].append(i)
    return [(list(map(st.start.__getitem__, m)), list(map(keys.__getitem__, m))) for m in mine[:heap_count]]


def _take_from_one(heap, places, floor, mask) -> list[int]:
    taken = []
    while heap and places:
        key = heappop(heap)
        if key >= floor:  # keys below the floor expired before this day
            taken.append(key & mask)
            places -= 1
    return taken


def _take_from_several(heaps, thresholds, places, floor, mask) -> list[int]:
    """EDF over several heaps, but whoever has a single-body ceremony of their own later yields.

    ``thresholds[h]``: the key of the next single-body ceremony for heap h's
    body; keys below it have no such alternative before their deadline. First
    those (urgent), then everyone; when only one heap has candidates in a
    phase, its run is taken at once.
    """
    taken = []
    for urgent in (True, False):
        while places:
            best, best_heap, competing = None, None, 0
            for h, threshold in thresholds.items():
                heap = heaps[h]
                while heap and heap[0] < floor:
                    heappop(heap)
                if heap and (heap[0] < threshold or not urgent):
                    competing += 1
                    if best is None or heap[0] < best:
                        best, best_heap, limit = heap[0], heap, threshold if urgent else ANY_KEY
            if best_heap is None:
                break
            if competing > 1:
                taken.append(heappop(best_heap) & mask)
                places -= 1
                continue
            while places and best_heap and best_heap[0] < limit:
                taken.append(heappop(best_heap) & mask)
                places -= 1
    return taken


def _find(nxt, j) -> int:
    """The first unvisited position at or after j (union-find with path halving)."""
    while nxt[j] != j:
        nxt[j] = nxt[nxt[j]]
        j = nxt[j]
    return j


def _reach(st: Matching, c):
    """Per body of c's occupants: (body, lo, hi, earliest-start occupant, latest-deadline occupant)."""
    cached = st._reach_cache[c]
    if cached is not None:
        return cached
    occupants, body = st.occupants[c], st.body
    bodies = {body[i] for i in occupants}
    reach = []
    for b in bodies:
        members = occupants if len(bodies) == 1 else [i for i in occupants if body[i] == b]
        first = min(members, key=st.start.__getitem__)
        last = max(members, key=st.deadline.__getitem__)
        listed = st.list_days[b]
        reach.append(
            (b, bisect_left(listed, st.start[first]), bisect_right(listed, st.deadline[last]) - 1, first, last)
        )
    st._reach_cache[c] = reach
    return reach


def augment_all(st: Matching, candidates) -> None:
    """Search one augmenting path for each unplaced candidate; afterwards the matching is maximum."""
    dead = [list(range(len(listed) + 1)) for listed in st.lists]
    for u in candidates:
        if st.assign[u] >= 0:
            continue
        lo, hi = st.window(u)
        if _find(dead[st.body[u]], lo) > hi:
            continue  # nothing in the window, or only what earlier searches found closed
        visited = [nxt[:] for nxt in dead]
        if not _augment(st, u, lo, hi, visited):
            dead = visited  # everything this search reached is closed and full: skip it from now on


def _augment(st: Matching, u, lo, hi, visited) -> bool:
    parent = {}
    queue = []
    found = _visit(st, st.body[u], lo, hi, -1, u, u, -1, visited, parent, queue)
    head = 0
    while found < 0 and head < len(queue):
        c = queue[head]
        head += 1
        for b, r_lo, r_hi, first, last in _reach(st, c):
            found = _visit(st, b, r_lo, r_hi, c, first, last, st.pos[b][c], visited, parent, queue)
            if found >= 0:
                break
    if found < 0:
        return False
    _shift_along(st, found, parent)
    return True


def _visit(st, b, lo, hi, origin, before, after, origin_pos, visited, parent, queue) -> int:
    """Visit the unvisited ceremonies lo..hi of body b's list; return one with a free place, or -1.

    A ceremony before ``origin_pos`` is reached by moving ``before`` (the occupant
    of ``origin`` with the earliest start), one after it by moving ``after``.
    """
    nxt, listed = visited[b], st.lists[b]
    j = _find(nxt, lo)
    while j <= hi:
        c = listed[j]
        parent[c] = (origin, before if j < origin_pos else after)
        for other in st.cbodies[c]:
            position = st.pos[other][c]
            visited[other][position] = position + 1
        if st.free[c] > 0:
            return c
        queue.append(c)
        j = _find(nxt, j + 1)
    return -1


def _shift_along(st: Matching, c, parent) -> None:
    """Apply the augmenting path ending at ceremony c: each mover steps one ceremony on."""
    st.free[c] -= 1
    while True:
        origin, mover = parent[c]
        if origin >= 0:
            st.unplace(mover)
        st.place(mover, c)
        if origin < 0:
            return
        c = origin


def consolidate_managers(st: Matching) -> None:
    _Gathering(st).run()


class _Gathering:
    def __init__(self, st: Matching):
        self.st = st
        self.teams = [{} for _ in st.day]  # per ceremony: manager -> their newcomers there
        self.latest = {}  # manager -> ceremony of their latest group so far
        # Per ceremony, bounds on its occupants' starts and deadlines: exact at
        # first, then only widened, so they may let a hopeless search run but
        # never stop a useful one.
        self.earliest_start = [min(map(st.start.__getitem__, o), default=NEVER) for o in st.occupants]
        self.latest_deadline = [max(map(st.deadline.__getitem__, o), default=-1) for o in st.occupants]

    def run(self) -> None:
        st, teams, latest = self.st, self.teams, self.latest
        manager_of, days = st.manager.__getitem__, st.day
        span = max(map(sub, st.deadline, st.start), default=0)  # no window is longer than this
        for c, occupants in enumerate(st.occupants):
            here = teams[c]
            for m, i in zip(map(manager_of, occupants), occupants, strict=True):
                group = here.get(m)
                if group is None:
                    here[m] = [i]
                else:
                    group.append(i)
            here.pop(None, None)
            reachable = days[c] - span
            for m in list(here):
                previous = latest.get(m)
                latest[m] = c
                if previous is not None and days[previous] >= reachable and teams[previous].get(m) and here[m]:
                    self._gather(m, previous, c)

    def _gather(self, m, previous, current) -> None:
        """Bring m's groups in two ceremonies together, the smaller into the larger, if anyone can move."""
        later, earlier = self.teams[current][m], self.teams[previous][m]
        moves = ((later, current, previous), (earlier, previous, current))
        for movers, source, target in moves if len(later) <= len(earlier) else reversed(moves):
            if not self._all_fit(movers, target):
                continue
            partners = self._swap_partners(m, source, target, len(movers) - self.st.free[target])
            if partners is not None:
                self._move_group(movers, partners, source, target)
                self.latest[m] = target
                return

    def _all_fit(self, movers, target) -> bool:
        st = self.st
        start, deadline, body, _manager = st.columns
        day, served = st.day[target], st.cmask[target]
        return all(start[i] <= day <= deadline[i] and served >> body[i] & 1 for i in movers)

    def _swap_partners(self, m, source, target, needed) -> list[int] | None:
        """``needed`` occupants of target who can go to source without their manager gaining a ceremony."""
        if needed <= 0:
            return []
        st = self.st
        day, served, start, deadline, body, manager = st.day[source], st.cmask[source], *st.columns
        if not self.earliest_start[target] <= day <= self.latest_deadline[target]:
            return None  # nobody there could go to the source's day
        at_target, at_source = self.teams[target], self.teams[source]
        chosen, used = [], {}
        for y in st.occupants[target]:
            other = manager[y]
            if other == m or not (start[y] <= day <= deadline[y] and served >> body[y] & 1):
                continue
            if other is not None:
                moved = used.get(other, 0)
                leaves_target = len(at_target[other]) - moved == 1
                already_at_source = len(at_source.get(other, ())) + moved >= 1
                if not (leaves_target or already_at_source):
                    continue
                used[other] = moved + 1
            chosen.append(y)
            if len(chosen) == needed:
                return chosen
        return None

    def _move_group(self, movers, partners, source, target) -> None:
        latest = self.latest
        for y in partners:
            self._relocate(y, source)
            other = self.st.manager[y]
            left_target = latest.get(other) == target and not self.teams[target].get(other)
            if other is not None and (left_target or latest.get(other, -1) < source):
                latest[other] = source
        into_free = len(movers) - len(partners)
        self.st.free[target] -= into_free
        self.st.free[source] += into_free
        for x in list(movers):
            self._relocate(x, target)

    def _relocate(self, i, destination) -> None:
        """Move newcomer i to another ceremony, keeping the groups and bounds in step (capacity: the caller's)."""
        st = self.st
        origin, m = st.assign[i], st.manager[i]
        st.move(i, destination)
        if st.start[i] < self.earliest_start[destination]:
            self.earliest_start[destination] = st.start[i]
        if st.deadline[i] > self.latest_deadline[destination]:
            self.latest_deadline[destination] = st.deadline[i]
        if m is not None:
            self.teams[origin][m].remove(i)
            self.teams[destination].setdefault(m, []).append(i)


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
    passed = [n for n in newcomers if n.deadline < today]
    usable = sorted((c for c in ceremonies if c.day >= today and c.bodies), key=lambda c: (c.starts_at, c.id))
    # In id order, so that equal deadlines go first come, first served.
    live = sorted((n for n in newcomers if n.deadline >= today), key=attrgetter("id"))
    st = _matching(live, usable, today)
    sweep(st)
    augment_all(st, sorted((i for i, c in enumerate(st.assign) if c < 0), key=st.deadline.__getitem__))
    consolidate_managers(st)
    left_out = [(live[i], _reason(st, i)) for i, c in enumerate(st.assign) if c < 0]
    unplaced = sorted(
        [(n, DEADLINE_PASSED) for n in passed] + left_out, key=lambda pair: (pair[0].deadline, pair[0].id)
    )
    return Plan(
        assigned=_assigned(st, live, usable),
        unplaced=[(n.id, reason) for n, reason in unplaced],
        proposed=propose([n for n, _ in left_out], today=today, slots=slots) if slots else [],
    )


def _matching(live, usable, today) -> Matching:
    names = sorted({n.body for n in live} | {body for c in usable for body in c.bodies})
    index = {name: b for b, name in enumerate(names)}
    floor = today.toordinal()
    ordinal = datetime.date.toordinal
    return Matching(
        starts=[day if day > floor else floor for day in map(ordinal, map(attrgetter("start"), live))],
        deadlines=list(map(ordinal, map(attrgetter("deadline"), live))),
        bodies=list(map(index.__getitem__, map(attrgetter("body"), live))),
        managers=list(map(attrgetter("manager_id"), live)),
        days=[c.day.toordinal() for c in usable],
        free=[max(c.free, 0) for c in usable],
        ceremony_bodies=[tuple(sorted(index[body] for body in c.bodies)) for c in usable],
        body_count=len(names),
    )


def _assigned(st: Matching, live, usable) -> list[tuple[int, int]]:
    ids, by_deadline, assigned = list(map(attrgetter("id"), live)), st.deadline.__getitem__, []
    for c, ceremony in enumerate(usable):
        occupants = sorted(st.occupants[c], key=by_deadline)
        assigned += zip(map(ids.__getitem__, occupants), repeat(ceremony.id), strict=False)
    return assigned


def _reason(st: Matching, i) -> str:
    lo, hi = st.window(i)
    return NO_CEREMONY_IN_WINDOW if lo > hi else CAPACITY
