"""The maximum matching behind the planner (pure Python, no Django): the problem and its working state.

Newcomers are intervals of days (start .. deadline) with one appointing body;
ceremonies are days with free places and the set of bodies their officiant
serves. A newcomer may go to a ceremony iff the day lies in the interval and
the body is served. We want a largest matching. It is built in three stages,
each working on one ``Matching``:

1. ``eed.planner.sweep``: ceremonies in date order, each filled earliest
   deadline first from the newcomers who have started. At a ceremony that
   serves several bodies, a newcomer whose own body has a single-body ceremony
   later (before their deadline) yields to one who has none. When every
   ceremony serves every body this alone is a maximum (the classic exchange
   argument); with single-body ceremonies it can fall short, so it is only a
   good start.
2. ``eed.planner.augmenting``: for every newcomer the sweep left out, search an
   augmenting path (Berge): the newcomer goes to a ceremony in their window; if
   it is full, one of its occupants moves on to another ceremony in *their*
   window, and so on, until a ceremony with a free place is reached. A
   matching is maximum iff no augmenting path exists (Berge's theorem), so
   afterwards it is.
3. ``eed.planner.grouping``: whole groups of one manager's newcomers move
   together (into free places, or swapping with occupants who can take the
   places they leave), which never changes who is placed, only where.

Newcomers and ceremonies are numbers: positions in the per-newcomer and
per-ceremony lists of a ``Matching``, ceremonies in date order. Days are
ordinals (``date.toordinal()``); bodies and managers are numbers too.
"""

from bisect import bisect_left, bisect_right
from typing import NamedTuple

UNPLACED = -1  # the ceremony of a newcomer who has none


class Reach(NamedTuple):
    """Where the occupants of one ceremony who share an appointing body could move to.

    All those occupants' windows contain the ceremony's day, so together they
    cover one unbroken run of the body's calendar: from the earliest start to
    the latest deadline among them. Moving ``earliest_starter`` reaches every
    ceremony of that run before this one, moving ``latest_finisher`` every
    ceremony after it.
    """

    body: int
    positions: range  # in the body's calendar
    earliest_starter: int
    latest_finisher: int


class Matching:
    """Who goes to which ceremony, in one planning run.

    ``ceremony_of[newcomer]`` is their ceremony or ``UNPLACED``;
    ``occupants[ceremony]`` lists its newcomers in the order they came (later
    stages break ties by that order); ``free[ceremony]`` counts its places
    left. ``place`` and ``move`` keep the first two in step and leave the free
    places to the caller, since a shift along an augmenting path or a swap of
    groups leaves most of them as they were.

    A body's *calendar* is the list of ceremonies that serve it, in date order;
    ``window(newcomer)`` gives the positions in it that a newcomer may go to.
    """

    def __init__(self, *, starts, deadlines, bodies, managers, days, free, ceremony_bodies, body_count):
        # Per newcomer.
        self.start = starts
        self.deadline = deadlines
        self.body = bodies
        self.manager, self.manager_count = _numbered(managers)  # their manager's number; None: no manager
        self.ceremony_of = [UNPLACED] * len(starts)
        # Per ceremony.
        self.day = days
        self.free = list(free)
        self.ceremony_bodies = ceremony_bodies  # a tuple of body numbers, in increasing order
        self.occupants = [[] for _ in days]
        # Per body.
        self.body_count = body_count
        self.calendar = [
            [ceremony for ceremony, served in enumerate(ceremony_bodies) if body in served]
            for body in range(body_count)
        ]
        self.calendar_days = [[days[ceremony] for ceremony in calendar] for calendar in self.calendar]
        self.calendar_position = [
            {ceremony: position for position, ceremony in enumerate(calendar)} for calendar in self.calendar
        ]
        self._reach_of = {}  # ceremony -> its reach, until its occupants change

    def fits(self, newcomer, ceremony) -> bool:
        """Whether the ceremony is in the newcomer's window and serves their body."""
        return (
            self.start[newcomer] <= self.day[ceremony] <= self.deadline[newcomer]
            and self.body[newcomer] in self.ceremony_bodies[ceremony]
        )

    def all_fit(self, newcomers, ceremony) -> bool:
        """Whether ``fits`` holds for each of these newcomers."""
        day, served = self.day[ceremony], self.ceremony_bodies[ceremony]
        start, deadline, body = self.start, self.deadline, self.body
        for newcomer in newcomers:  # noqa: SIM110 (a loop: all() of a generator is some four times slower here)
            if not (start[newcomer] <= day <= deadline[newcomer] and body[newcomer] in served):
                return False
        return True

    def window(self, newcomer) -> range:
        """The positions in the newcomer's body's calendar of the ceremonies they may go to (empty if none)."""
        days = self.calendar_days[self.body[newcomer]]
        return range(bisect_left(days, self.start[newcomer]), bisect_right(days, self.deadline[newcomer]))

    def unplaced(self) -> list[int]:
        """The newcomers without a ceremony, in number order."""
        return [newcomer for newcomer, ceremony in enumerate(self.ceremony_of) if ceremony == UNPLACED]

    def place(self, newcomer, ceremony) -> None:
        self.ceremony_of[newcomer] = ceremony
        self.occupants[ceremony].append(newcomer)
        self._reach_of.pop(ceremony, None)

    def place_in_free_places(self, newcomers, ceremony) -> None:
        """Place these newcomers in as many of the ceremony's free places (these it does count)."""
        for newcomer in newcomers:
            self.ceremony_of[newcomer] = ceremony
        self.occupants[ceremony] += newcomers
        self.free[ceremony] -= len(newcomers)
        self._reach_of.pop(ceremony, None)

    def move(self, newcomer, ceremony) -> None:
        """From their ceremony to another."""
        origin = self.ceremony_of[newcomer]
        self.occupants[origin].remove(newcomer)
        self.occupants[ceremony].append(newcomer)
        self.ceremony_of[newcomer] = ceremony
        self._reach_of.pop(origin, None)
        self._reach_of.pop(ceremony, None)

    def reach(self, ceremony) -> list[Reach]:
        """Per appointing body among the ceremony's occupants, where they could move to (see ``Reach``).

        Remembered until the occupants change: every augmenting-path search
        asks it of each full ceremony it reaches, and a path found changes few.
        """
        if ceremony not in self._reach_of:
            self._reach_of[ceremony] = self._compute_reach(ceremony)
        return self._reach_of[ceremony]

    def _compute_reach(self, ceremony) -> list[Reach]:
        occupants, bodies, body_of = self.occupants[ceremony], self.ceremony_bodies[ceremony], self.body
        reach = []
        for body in bodies:
            members = (
                occupants if len(bodies) == 1 else [newcomer for newcomer in occupants if body_of[newcomer] == body]
            )
            if not members:
                continue  # nobody of this body here
            earliest_starter = min(members, key=self.start.__getitem__)
            latest_finisher = max(members, key=self.deadline.__getitem__)
            days = self.calendar_days[body]
            positions = range(
                bisect_left(days, self.start[earliest_starter]), bisect_right(days, self.deadline[latest_finisher])
            )
            reach.append(Reach(body, positions, earliest_starter, latest_finisher))
        return reach


def _numbered(managers) -> tuple[list, int]:
    """The managers (any ids) as numbers 0, 1, ... in order of appearance, None staying None; and how many there are.

    Per-manager state can then be a list, as per-body state is.
    """
    number_of = {}
    numbers = [None if manager is None else number_of.setdefault(manager, len(number_of)) for manager in managers]
    return numbers, len(number_of)
