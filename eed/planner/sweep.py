"""Stage 1 of the matching: earliest deadline first, ceremony by ceremony in date order.

Newcomers wait in a waiting room from their start day: one room for everyone
when all ceremonies serve the same bodies (plain earliest deadline first, which
is then a maximum), otherwise one room per appointing body. A ceremony lets in
whoever has started by its day, sends away whoever's deadline has passed, and
takes the earliest deadlines first, up to its free places. At a ceremony that
serves several bodies, a newcomer whose body has a ceremony of its own later,
before their deadline, goes after those who have none: they still have that
ceremony, the others may not.
"""

import heapq
from bisect import bisect_left
from collections import defaultdict

from eed.planner.matching import Matching

NEVER = 1 << 40  # a day ordinal after any real date
NO_BOUND = (NEVER, 0)  # comes after every (deadline, newcomer)


def sweep(matching: Matching) -> None:
    """Fill the ceremonies in date order, earliest deadline first (see the module docstring)."""
    if len(set(matching.ceremony_bodies)) == 1:
        _sweep_with_one_room(matching)
    else:
        _sweep_with_a_room_per_body(matching)


def _sweep_with_one_room(matching: Matching) -> None:
    """Every ceremony serves the same bodies: their newcomers all wait in one room."""
    served = matching.ceremony_bodies[0]
    served_newcomers = [newcomer for newcomer, body in enumerate(matching.body) if body in served]
    room = _WaitingRoom(matching, served_newcomers)
    for ceremony, day in enumerate(matching.day):
        if matching.free[ceremony] > 0:
            room.open(day)
            matching.place_in_free_places(room.take(matching.free[ceremony]), ceremony)


def _sweep_with_a_room_per_body(matching: Matching) -> None:
    by_body = [[] for _ in range(matching.body_count)]
    for newcomer, body in enumerate(matching.body):
        by_body[body].append(newcomer)
    rooms = [_WaitingRoom(matching, newcomers) for newcomers in by_body]  # room number = body number
    next_own_ceremony = _next_single_body_days(matching)
    for ceremony, day in enumerate(matching.day):
        places, bodies = matching.free[ceremony], matching.ceremony_bodies[ceremony]
        if places <= 0:
            continue
        for body in bodies:
            rooms[body].open(day)
        if len(bodies) == 1:
            taken = rooms[bodies[0]].take(places)
        else:
            later_own = [next_own_ceremony[body][ceremony] for body in bodies]
            taken = _take_from_several([rooms[body] for body in bodies], later_own, places)
        matching.place_in_free_places(taken, ceremony)


def _next_single_body_days(matching: Matching) -> list[list[int]]:
    """Per body, per ceremony: the day of the next ceremony after it that serves that body alone (NEVER if none)."""
    result = []
    for body in range(matching.body_count):
        following, upcoming = [NEVER] * len(matching.day), NEVER
        for ceremony in reversed(range(len(matching.day))):
            following[ceremony] = upcoming
            if matching.ceremony_bodies[ceremony] == (body,):
                upcoming = matching.day[ceremony]
        result.append(following)
    return result


class _WaitingRoom:
    """Newcomers waiting for a ceremony: earliest deadline first, and on equal deadlines the lower number.

    Newcomers come in on their start day and wait in one list per deadline day
    (kept in number order); a heap holds the deadline days someone waits with.
    """

    def __init__(self, matching: Matching, newcomers):
        arrivals = defaultdict(list)  # (start day, deadline day) -> who has that window, in number order
        for newcomer in newcomers:
            arrivals[matching.start[newcomer], matching.deadline[newcomer]].append(newcomer)
        self._arrivals = sorted(arrivals.items(), reverse=True)  # the next to arrive last
        self._waiting = {}  # deadline day -> who waits with it, in number order
        self._deadlines = []  # a heap of the deadline days in _waiting

    def open(self, day) -> None:
        """Let in everyone who has started by ``day``; send away whoever's deadline is before it."""
        while self._arrivals and self._arrivals[-1][0][0] <= day:
            (_start, deadline), newcomers = self._arrivals.pop()
            if deadline in self._waiting:
                self._waiting[deadline] += newcomers
                self._waiting[deadline].sort()
            else:
                self._waiting[deadline] = newcomers
                heapq.heappush(self._deadlines, deadline)
        while self._deadlines and self._deadlines[0] < day:
            del self._waiting[heapq.heappop(self._deadlines)]

    def first(self) -> tuple[int, int] | None:
        """(deadline, newcomer) of who is next, or None if nobody waits."""
        if not self._deadlines:
            return None
        deadline = self._deadlines[0]
        return deadline, self._waiting[deadline][0]

    def take(self, places, *, before=NO_BOUND) -> list[int]:
        """Up to ``places`` newcomers, next first, as long as their (deadline, newcomer) comes before ``before``."""
        taken = []
        while len(taken) < places and self._deadlines:
            deadline = self._deadlines[0]
            waiting = self._waiting[deadline]
            if deadline < before[0]:
                ahead = len(waiting)  # how many of them come before ``before``
            elif deadline == before[0]:
                ahead = bisect_left(waiting, before[1])
            else:
                ahead = 0
            count = min(places - len(taken), ahead)
            taken += waiting[:count]
            del waiting[:count]
            if waiting:
                break  # the places are filled, or the others come after ``before``
            heapq.heappop(self._deadlines)
            del self._waiting[deadline]
        return taken


def _take_from_several(rooms, later_own, places) -> list[int]:
    """Earliest deadline first across several rooms, except that whoever has a ceremony of their own later yields.

    ``later_own``: per room, the day of the next ceremony for its body alone.
    First those with a deadline before that day (they have no such ceremony),
    then everyone, each time in (deadline, newcomer) order across the rooms:
    a run at a time from the room whose first comes first, up to the first of
    the next room.
    """
    taken = []
    for urgent_only in (True, False):
        # (day, 0) comes after every (deadline, newcomer) with a deadline before that day.
        bounds = [(day, 0) for day in later_own] if urgent_only else [NO_BOUND] * len(rooms)
        while len(taken) < places:
            candidates = []  # (who is next, room number) in the rooms where that one may go now
            for number, room in enumerate(rooms):
                first = room.first()
                if first is not None and first < bounds[number]:
                    candidates.append((first, number))
            if not candidates:
                break
            candidates.sort()
            (_, best), others = candidates[0], candidates[1:]
            before = min(bounds[best], others[0][0]) if others else bounds[best]
            taken += rooms[best].take(places - len(taken), before=before)
    return taken
