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

from bisect import bisect_left
from itertools import compress, islice, repeat
from operator import ge, le, sub

from eed.planner.matching import Matching


def consolidate_managers(st: Matching) -> None:
    """Gather managers' groups, one pass over the ceremonies in date order (see the module docstring).

    ``teams[c]``: manager -> their newcomers at ceremony c, in c's occupant
    order. A ceremony's occupants only change once its turn has come (moves
    go between the current ceremony and an earlier one), so its teams are
    built when it comes up. One function with its helpers nested: they run
    some 10^5 times for 100,000 newcomers, and local names are the cheapest.
    """
    start, deadline, body, manager = st.columns
    days, served_by, free, occupants, assign = st.day, st.cmask, st.free, st.occupants, st.assign
    teams = [None] * len(days)
    latest = {}  # manager -> ceremony of their latest group so far
    # Per ceremony: how many of its first occupants are in deadline order (as
    # the sweep leaves them; -1: not counted yet). Removals keep that order,
    # newcomers join at the end.
    in_order = [-1] * len(days)
    start_of, deadline_of = start.__getitem__, deadline.__getitem__

    def gather(m, previous, current, earlier, later) -> None:
        """Bring m's groups in two ceremonies together, the smaller into the larger, if anyone can move."""
        if len(later) <= len(earlier):  # the later group moves first on a tie: earlier dates
            moves = ((later, current, previous), (earlier, previous, current))
        else:
            moves = ((earlier, previous, current), (later, current, previous))
        for movers, source, target in moves:
            day, served = days[target], served_by[target]
            for i in movers:
                if not (start[i] <= day <= deadline[i] and served >> body[i] & 1):
                    break
            else:  # they all fit there
                needed = len(movers) - free[target]
                partners = swap_partners(m, source, target, needed) if needed > 0 else []
                if partners is not None:
                    move_group(movers, partners, source, target)
                    latest[m] = target
                    return

    def swap_partners(m, source, target, needed) -> list[int] | None:
        """``needed`` occupants of target who can go to source without their manager gaining a ceremony."""
        day, served, here = days[source], served_by[source], occupants[target]
        # Only those whose window holds the source's day can go. Most who cannot
        # are passed over in C (the loop below still checks the whole rule): for
        # a later day, those whose deadline is before it, who lead the part of
        # the occupants still in deadline order; for an earlier day, those who
        # start after it.
        if day > days[target]:
            if here and deadline[here[0]] < day:
                counted = in_order[target]
                if counted < 0:
                    counted = counted_in_order(target)
                here = islice(here, bisect_left(here, day, 1, counted, key=deadline_of), None)
        elif day < days[target]:
            here = compress(here, map(ge, repeat(day), map(start_of, here)))
        at_target, at_source = teams[target], teams[source]
        chosen, used = [], {}
        for y in here:
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

    def counted_in_order(c) -> int:
        """How many of c's first occupants are in deadline order (remembered in ``in_order``)."""
        deadlines = list(map(deadline_of, occupants[c]))
        steps = list(map(le, deadlines, islice(deadlines, 1, None)))
        counted = in_order[c] = steps.index(False) + 1 if False in steps else len(deadlines)
        return counted

    def move_group(movers, partners, source, target) -> None:
        for y in partners:
            relocate(y, source)
            other = manager[y]
            if other is not None:
                left_target = latest.get(other) == target and not teams[target].get(other)
                if left_target or latest.get(other, -1) < source:
                    latest[other] = source
        into_free = len(movers) - len(partners)
        free[target] -= into_free
        free[source] += into_free
        for x in movers:
            relocate(x, target)

    def relocate(i, destination) -> None:
        """Move newcomer i to another ceremony, keeping the teams in step (capacity: the caller's).

        What Matching.move does, but leaving its augmenting-path cache to be
        cleared once at the end.
        """
        origin, m = assign[i], manager[i]
        leaving, counted = occupants[origin], in_order[origin]
        if counted > 0:
            k = leaving.index(i)
            del leaving[k]
            if k < counted:
                in_order[origin] = counted - 1
        else:
            leaving.remove(i)
        occupants[destination].append(i)
        assign[i] = destination
        if m is not None:
            team = teams[origin][m]
            teams[origin][m] = () if len(team) == 1 else _without(team, i)
            arriving = teams[destination]
            arriving[m] = (*arriving.get(m, ()), i)

    manager_of, latest_of = manager.__getitem__, latest.get
    span = max(map(sub, deadline, start), default=0)  # no window is longer than this
    for c, here in enumerate(occupants):
        teams[c] = team_of = _teams(here, list(map(manager_of, here)))
        reachable = days[c] - span
        for m in list(team_of):
            previous = latest_of(m)
            latest[m] = c
            if previous is not None and days[previous] >= reachable:
                earlier, later = teams[previous].get(m), team_of[m]
                if earlier and later:
                    gather(m, previous, c, earlier, later)
    st._reach_cache[:] = [None] * len(days)  # occupants moved behind its back


def _teams(occupants, managers) -> dict:
    """Manager -> a tuple of their newcomers among occupants (both in occupant order); no entry for None."""
    team_of = dict(zip(managers, zip(occupants), strict=True))
    unmanaged = managers.count(None)
    if unmanaged:
        del team_of[None]
    if len(team_of) + unmanaged == len(managers):
        return team_of  # nobody shares a manager here: one newcomer each
    team_of = {}
    for m, i in zip(managers, occupants, strict=True):
        if m is not None:
            team_of[m] = (*team_of.get(m, ()), i)
    return team_of


def _without(team: tuple, i) -> tuple:
    k = team.index(i)
    return team[:k] + team[k + 1 :]
