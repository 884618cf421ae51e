"""Keeping a manager's newcomers in one ceremony, without placing anyone fewer (pure Python).

A manager is usually the witness of each of their newcomers, so every
ceremony they have newcomers in is one more trip. ``consolidate_managers``
walks the ceremonies in date order and, whenever a manager has newcomers both
here and in the ceremony of their previous group, tries to gather the two
groups in one of the two ceremonies: the smaller group moves (the later one on
a tie, so dates get earlier), into free places or by swapping with occupants
who can take the vacated places in their own window. A swapped occupant's own
manager never gains a ceremony by it. Every gathering lowers the number of
(manager, ceremony) pairs by one, and the set of placed newcomers never
changes, only where they sit: the count stays maximal. One pass, so the cost
stays linear; groups further apart than one window never meet anyway.
"""

import math
from operator import sub

from eed.planner.matching import Matching

NONE_YET = -1  # before any ceremony


def consolidate_managers(matching: Matching) -> None:
    """Gather managers' groups, one pass over the ceremonies in date order (see the module docstring)."""
    _Gathering(matching).run()


class _Gathering:
    """The state of one pass.

    ``teams[ceremony]``: manager -> their newcomers there, in occupant order
    (a tuple, replaced when it changes; a manager who has left keeps an empty one).
    A ceremony's occupants only change once its turn has come (groups move
    between the current ceremony and an earlier one), so its teams are made
    when it comes up.
    """

    def __init__(self, matching: Matching):
        self.matching = matching
        self.teams = [{} for _ in matching.day]
        self.longest_window = max(map(sub, matching.deadline, matching.start), default=0)  # in days
        self.latest = [NONE_YET] * matching.manager_count  # per manager: the ceremony of their latest group so far
        # Per ceremony, the latest deadline among its occupants: exact at first,
        # then only raised as newcomers arrive, so it may let a hopeless swap
        # search run but never stops a useful one.
        self.latest_deadline = [
            max(map(matching.deadline.__getitem__, here), default=-math.inf) for here in matching.occupants
        ]

    def run(self) -> None:
        teams, latest, days = self.teams, self.latest, self.matching.day
        for ceremony, occupants in enumerate(self.matching.occupants):
            here = teams[ceremony] = _teams(occupants, self.matching.manager)
            # Before this day, no newcomer's window holds both days: no group there could join one here.
            reachable_from = days[ceremony] - self.longest_window
            for manager in list(here):  # a copy: swaps can bring new managers here, who are not due now
                previous = latest[manager]
                latest[manager] = ceremony
                if previous == NONE_YET or days[previous] < reachable_from:
                    continue
                if teams[previous].get(manager) and here[manager]:
                    self._gather(manager, previous, ceremony)

    def _gather(self, manager, previous, current) -> None:
        """Bring the manager's groups at two ceremonies together, the smaller into the larger's, if they can move."""
        earlier, later = self.teams[previous][manager], self.teams[current][manager]
        forward, backward = (earlier, previous, current), (later, current, previous)
        # The smaller group moves; on a tie the later one, so dates get earlier.
        for movers, source, target in (backward, forward) if len(later) <= len(earlier) else (forward, backward):
            if not self.matching.all_fit(movers, target):
                continue
            partners = self._swap_partners(manager, source, target, len(movers) - self.matching.free[target])
            if partners is not None:
                self._move_group(movers, partners, source, target)
                self.latest[manager] = target
                return

    def _swap_partners(self, manager, source, target, needed) -> list[int] | None:
        """``needed`` occupants of target who could go to source instead, none of them costing their manager a trip.

        Chosen in occupant order; None if there are not that many.
        """
        if needed <= 0:
            return []
        matching = self.matching
        day, served = matching.day[source], matching.ceremony_bodies[source]
        if day > self.latest_deadline[target]:
            return None  # everyone at target has a deadline before the source's day
        at_target, at_source = self.teams[target], self.teams[source]
        start, deadline, body, manager_of = matching.start, matching.deadline, matching.body, matching.manager
        chosen, chosen_of = [], {}  # chosen_of: manager -> how many of theirs are chosen so far
        for occupant in matching.occupants[target]:
            if not (deadline[occupant] >= day >= start[occupant] and body[occupant] in served):
                continue
            other = manager_of[occupant]
            if other == manager:
                continue
            if other is not None:
                # No new trip for the other manager: either they are at source
                # already, or this was their last newcomer at target.
                so_far = chosen_of.get(other, 0)
                already_at_source = len(at_source.get(other, ())) + so_far > 0
                last_at_target = len(at_target[other]) - so_far == 1
                if not (already_at_source or last_at_target):
                    continue
                chosen_of[other] = so_far + 1
            chosen.append(occupant)
            if len(chosen) == needed:
                return chosen
        return None

    def _move_group(self, movers, partners, source, target) -> None:
        """Partners from target to source, then movers from source to target (into their places and any free ones)."""
        matching = self.matching
        for partner in partners:
            self._relocate(partner, source)
            other = matching.manager[partner]
            if other is not None:
                # Source holds their latest group now if it is later than the latest one,
                # or if that one was at target and they have nobody left there.
                left_target = self.latest[other] == target and not self.teams[target].get(other)
                if left_target or self.latest[other] < source:
                    self.latest[other] = source
        into_free_places = len(movers) - len(partners)
        matching.free[target] -= into_free_places
        matching.free[source] += into_free_places
        for mover in movers:
            self._relocate(mover, target)

    def _relocate(self, newcomer, destination) -> None:
        """Move a newcomer to another ceremony, keeping the teams and the latest deadlines in step."""
        matching = self.matching
        origin, manager = matching.ceremony_of[newcomer], matching.manager[newcomer]
        matching.move(newcomer, destination)
        self.latest_deadline[destination] = max(self.latest_deadline[destination], matching.deadline[newcomer])
        if manager is not None:
            leaving, arriving = self.teams[origin], self.teams[destination]
            leaving[manager] = tuple(member for member in leaving[manager] if member != newcomer)
            arriving[manager] = (*arriving.get(manager, ()), newcomer)


def _teams(occupants, manager_of) -> dict:
    """Manager -> their newcomers among the occupants (both in occupant order); nobody for no manager."""
    teams = {}
    for newcomer in occupants:
        manager = manager_of[newcomer]
        if manager is not None:
            teams[manager] = (*teams.get(manager, ()), newcomer)
    return teams
