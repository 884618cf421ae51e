"""The maximum matching behind the planner (pure Python, no Django).

Newcomers are intervals of days (start .. deadline) with one appointing body;
ceremonies are days with free places and the set of bodies their officiant
serves. A newcomer may go to a ceremony iff the day lies in the interval and
the body is served. We want a largest matching.

How, and why it is a maximum:

1. ``sweep``: ceremonies in date order, each filled earliest-deadline-first
   from the newcomers released so far (one queue per body; a single queue
   when every ceremony serves the same bodies). At a ceremony that
   serves several bodies, a newcomer whose own body has a single-body ceremony
   later (before their deadline) yields to one who has none. When every
   ceremony serves every body this sweep alone is optimal (the classic
   exchange argument); with single-body ceremonies it can fall short, so it is
   only a good start.
2. ``augment_all``: for every newcomer the sweep left out, search an
   augmenting path (Berge): u -> a ceremony in their window; if it is full, one
   of its occupants moves on to another ceremony in *their* window, and so on,
   until a ceremony with a free place is reached. Berge's theorem: a matching
   is maximum iff no augmenting path exists; a newcomer with no augmenting path
   never gets one after later augmentations (the ceremonies the failed search
   reached form a closed, full set that no augmenting path can enter), so one
   search per left-out newcomer suffices, and that closed set is marked dead
   and skipped by every later search.

   The search is a breadth-first search over *ceremonies*, not newcomers: the
   occupants of one ceremony all contain its day, so the union of their
   windows (per body) is one contiguous range of that body's ceremonies,
   reached through the occupant with the earliest start (ceremonies before)
   or the latest deadline (after). A union-find "next unvisited" array per
   body visits each ceremony once per search: O(ceremonies) per search.
3. ``consolidate_managers`` then moves whole same-manager groups together
   (places and swaps that keep every newcomer in their window), which never
   changes the number placed.

Indices: newcomers ``i`` and ceremonies ``c`` (in date order) are positions in
the arrays of a ``Matching``; days are ordinals.
"""

from bisect import bisect_left, bisect_right
from heapq import heappop, heappush

NEVER = 1 << 40  # a day ordinal after any real date
ANY_KEY = 1 << 200  # above every waiting-room key
HEAP_FROM = 1 << 14  # a waiting room with more newcomers than this becomes a heap


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
    """Earliest deadline first over the ceremonies in date order (see the module docstring).

    Each waiting room (one per body, or one for all) keeps its newcomers as
    keys (deadline, index) in a sorted list: a ceremony lets in everyone who
    has started by its day (one sort that mostly appends) and takes a slice
    from the front. Everyone is taken in the same order as from a heap, but
    the work per newcomer is done in C. A room where very many wait becomes
    a heap (``_WaitingRoom``).
    """
    shift = max(len(st.start), 1).bit_length()
    mask = (1 << shift) - 1
    base = min(st.deadline, default=0)  # keys count from the earliest deadline, so they stay small ints
    heap_of, served_heaps = _heap_layout(st)
    rooms = _waiting_rooms(st, heap_of, shift, base)
    later_single = [[(d - base) << shift for d in days] for days in _next_single_body_days(st)]
    free, assign, occupants = st.free, st.assign, st.occupants
    for c, day in enumerate(st.day):
        places = free[c]
        if places <= 0:
            continue
        floor, served = (day - base) << shift, served_heaps[c]
        if len(served) == 1:
            room = rooms[served[0]]
            room.open(day, floor)
            taken = room.take_below(ANY_KEY, places)
        else:
            for h in served:
                rooms[h].open(day, floor)
            taken = _take_from_several([rooms[h] for h in served], [later_single[h][c] for h in served], places)
        if taken:
            taken = [key & mask for key in taken]
            for i in taken:
                assign[i] = c
            occupants[c] += taken
            free[c] -= len(taken)


def _heap_layout(st: Matching):
    """Which waiting room each body's newcomers wait in, and which rooms each ceremony takes from.

    When every ceremony serves the same bodies, one room holds them all (plain
    EDF); otherwise each body has its own room.
    """
    kinds = set(st.cbodies)
    if len(kinds) == 1:
        (served,) = kinds
        return [0 if b in served else -1 for b in range(len(st.lists))], [(0,)] * len(st.day)
    return list(range(len(st.lists))), st.cbodies


class _WaitingRoom:
    """The newcomers of one room who have started, as keys; ``keys[head:]`` are still waiting.

    A sorted list while at most ``HEAP_FROM`` wait; beyond that a heap (head 0),
    so that each day's arrivals are pushed rather than sorted in among a long
    backlog. A sorted list is a heap already, so the switch costs nothing;
    either way the smallest key is ``keys[head]`` and keys leave in order.
    """

    __slots__ = ("arrivals", "arrived", "days", "head", "heap", "keys")

    def __init__(self, arrivals: dict[int, list[int]]):
        self.arrivals, self.days, self.arrived = arrivals, sorted(arrivals), 0
        self.keys, self.head, self.heap = [], 0, False

    def open(self, day, floor) -> None:
        """Let in everyone who has started by ``day``; skip whoever's deadline is before it (keys below floor)."""
        upto = bisect_right(self.days, day, self.arrived)
        keys = self.keys
        if self.heap:
            for arrival_day in self.days[self.arrived : upto]:
                for key in self.arrivals[arrival_day]:
                    heappush(keys, key)
            self.arrived = upto
            while keys and keys[0] < floor:
                heappop(keys)
            return
        if upto > self.arrived:
            del keys[: self.head]
            for arrival_day in self.days[self.arrived : upto]:
                keys += self.arrivals[arrival_day]
            keys.sort()
            self.head, self.arrived = 0, upto
        self.head = bisect_left(keys, floor, self.head)
        if len(keys) - self.head > HEAP_FROM:
            del keys[: self.head]
            self.head, self.heap = 0, True

    def take_below(self, bound, places) -> list[int]:
        """The smallest keys below ``bound``, at most ``places`` of them, in increasing order."""
        keys, head = self.keys, self.head
        if self.heap:
            taken = []
            while places and keys and keys[0] < bound:
                taken.append(heappop(keys))
                places -= 1
            return taken
        end = bisect_left(keys, bound, head, min(head + places, len(keys)))
        self.head = end
        return keys[head:end]


def _waiting_rooms(st: Matching, heap_of, shift, base) -> list[_WaitingRoom]:
    """Per room: its newcomers' keys (deadline, index) by start day, in a room not yet opened."""
    keys = [((deadline - base) << shift) | i for i, deadline in enumerate(st.deadline)]
    arrivals = [{} for _ in range(max(max(heap_of, default=-1) + 1, 1))]
    if all(h == 0 for h in heap_of):
        by_day = arrivals[0]
        for day, key in zip(st.start, keys, strict=True):
            waiting = by_day.get(day)
            if waiting is None:
                by_day[day] = [key]
            else:
                waiting.append(key)
    else:
        for day, key, h in zip(st.start, keys, map(heap_of.__getitem__, st.body), strict=True):
            if h < 0:
                continue  # a body no ceremony serves
            waiting = arrivals[h].get(day)
            if waiting is None:
                arrivals[h][day] = [key]
            else:
                waiting.append(key)
    return [_WaitingRoom(by_day) for by_day in arrivals]


def _take_from_several(rooms, thresholds, places) -> list[int]:
    """EDF over several rooms, but whoever has a single-body ceremony of their own later yields.

    ``thresholds[k]``: the key of the next single-body ceremony for room k's
    body; keys below it have no such alternative before their deadline. First
    those (urgent), then everyone. Keys are taken in increasing order across
    the competing rooms, a run at a time: from the room with the smallest key,
    up to the next room's smallest key or the room's own threshold.
    """
    taken = []
    for urgent in (True, False):
        while places:
            best_room, best, second = None, ANY_KEY, ANY_KEY  # the smallest competing key and the next room's
            for room, threshold in zip(rooms, thresholds, strict=True):
                keys, head = room.keys, room.head
                if head == len(keys):
                    continue
                top = keys[head]
                if urgent and top >= threshold:
                    continue
                if top < best:
                    second, best, best_room, limit = best, top, room, threshold if urgent else ANY_KEY
                elif top < second:
                    second = top
            if best_room is None:
                break
            run = best_room.take_below(min(limit, second), places)
            taken += run
            places -= len(run)
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
