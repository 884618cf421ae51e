"""Stage 2 of the matching: augmenting paths (Berge) for whoever the sweep left out.

An augmenting path for a newcomer without a ceremony: they go to a ceremony in
their window; if it is full, one of its occupants moves on to another ceremony
in *their* window, and so on, until a ceremony with a free place is reached.
Applying it places one more newcomer and keeps everyone else placed. A matching
is maximum iff no augmenting path exists (Berge's theorem).

One search per left-out newcomer suffices: when a search fails, the ceremonies
it reached are all full and nobody in them can move out of them, and that stays
so whatever later paths do (no path can enter that closed set). So it is marked
closed, and later searches skip it.

The search is breadth-first over *ceremonies*, not newcomers: the occupants of
one ceremony who share a body together reach one unbroken run of that body's
calendar (``Matching.reach``), and each ceremony is visited at most once per
search, so a search costs O(ceremonies).
"""

from collections import deque

from eed.planner.matching import UNPLACED, Matching


def augment_all(matching: Matching, candidates) -> None:
    """Search one augmenting path for each unplaced candidate; afterwards the matching is maximum."""
    closed = _Unvisited(matching)  # ceremonies no augmenting path can enter any more
    for newcomer in candidates:
        if matching.ceremony_of[newcomer] != UNPLACED:
            continue
        window = matching.window(newcomer)
        if closed.first(matching.body[newcomer], window.start) >= window.stop:
            continue  # nothing in the window, or only closed ceremonies
        search = _PathSearch(matching, unvisited=closed.copy())
        if not search.place(newcomer, window):
            closed = search.unvisited  # everything this search reached is closed as well


class _Unvisited:
    """Which ceremonies a search has not visited yet, by their positions in each body's calendar.

    ``next_open[body][position]`` is a position at or after ``position`` that
    may be unvisited; a position is unvisited iff it points at itself. Lookups
    shorten the chains they follow (union-find with path halving), so runs of
    visited ceremonies are skipped in nearly constant time. One position past
    each calendar's end stays unvisited, to stop every run.
    """

    def __init__(self, matching: Matching, next_open=None):
        self._matching = matching
        if next_open is None:
            next_open = [list(range(len(calendar) + 1)) for calendar in matching.calendar]
        self._next_open = next_open

    def copy(self) -> "_Unvisited":
        return _Unvisited(self._matching, [list(chain) for chain in self._next_open])

    def first(self, body, position) -> int:
        """The first unvisited position at or after ``position`` in the body's calendar."""
        chain = self._next_open[body]
        while chain[position] != position:
            chain[position] = chain[chain[position]]
            position = chain[position]
        return position

    def visit(self, ceremony) -> None:
        """Mark the ceremony visited, in the calendar of every body it serves."""
        for body in self._matching.ceremony_bodies[ceremony]:
            position = self._matching.calendar_position[body][ceremony]
            self._next_open[body][position] = position + 1


class _PathSearch:
    """One breadth-first search for an augmenting path."""

    def __init__(self, matching: Matching, *, unvisited: _Unvisited):
        self.matching = matching
        self.unvisited = unvisited
        self.came_from = {}  # ceremony -> (the ceremony its mover leaves, None for the newcomer; the mover)
        self.queue = deque()  # full ceremonies whose occupants may move on

    def place(self, newcomer, window: range) -> bool:
        """Place the newcomer, moving others along an augmenting path if need be; False if there is none."""
        found = self._visit(self.matching.body[newcomer], window, None, newcomer, newcomer)
        while found is None and self.queue:
            full = self.queue.popleft()
            for reach in self.matching.reach(full):
                found = self._visit(reach.body, reach.positions, full, reach.earliest_starter, reach.latest_finisher)
                if found is not None:
                    break
        if found is None:
            return False
        self._shift_along(found)
        return True

    def _visit(self, body, positions: range, origin, backward_mover, forward_mover):
        """Visit the unvisited ceremonies at ``positions`` in the body's calendar; the first with a free place, or None.

        A ceremony before ``origin`` (None: the newcomer has none yet) is reached
        by moving ``backward_mover`` there, one after it by moving ``forward_mover``.
        """
        calendar = self.matching.calendar[body]
        origin_position = -1 if origin is None else self.matching.calendar_position[body][origin]
        position = self.unvisited.first(body, positions.start)
        while position < positions.stop:
            ceremony = calendar[position]
            mover = backward_mover if position < origin_position else forward_mover
            self.came_from[ceremony] = (origin, mover)
            self.unvisited.visit(ceremony)
            if self.matching.free[ceremony] > 0:
                return ceremony
            self.queue.append(ceremony)
            position = self.unvisited.first(body, position + 1)
        return None

    def _shift_along(self, ceremony) -> None:
        """Apply the path ending at this ceremony, which has a free place: each mover steps on one ceremony."""
        self.matching.free[ceremony] -= 1
        origin, mover = self.came_from[ceremony]
        while origin is not None:
            self.matching.move(mover, ceremony)
            ceremony = origin
            origin, mover = self.came_from[ceremony]
        self.matching.place(mover, ceremony)
