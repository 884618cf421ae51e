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

from operator import sub

from eed.planner_matching import NEVER, Matching


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
