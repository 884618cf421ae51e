"""A feed's bytes and ETag, kept in Django's cache while nothing in the feed changed.

Why a cache at all: icalendar renders a 1,000-event feed in ~200 ms, and a repeated
feed request must take < 100 ms (shared/PERFORMANCE.md). Calendar apps poll the
same feed again and again, and it rarely changes.

Why this key: a digest of exactly what ``ical.feed_calendar`` is given (every field
of every event, the name), the icalendar version and our FEED_FORMAT. Any change gives a new key, so
nothing ever has to be invalidated; an entry no longer asked for expires. ``repr()``
of the frozen dataclasses is used because, unlike ``hash()``, it is the same in every
process: in production the cache is shared (database or Redis), so every worker,
and a restarted one, finds what another rendered.
"""

import hashlib
from collections.abc import Sequence

import icalendar
from django.core.cache import cache

from eed.calendar import ical

# A day: calendar apps refresh hourly to daily; an entry nobody asks for again goes after that.
TIMEOUT = 24 * 60 * 60
# Raise it with any change to how ical.py writes a feed, so subscribers get the new form at once.
FEED_FORMAT = 1


def feed_body(events: Sequence[ical.CeremonyEvent], *, name: str) -> tuple[bytes, str]:
    """``(ical.feed_calendar(events, name=name), etag)``, rendered once per change."""
    key = "calendar-feed:" + _digest(events, str(name))
    found = cache.get(key)
    if found is None:
        content = ical.feed_calendar(events, name=name)
        found = (content, '"' + hashlib.sha256(content).hexdigest()[:32] + '"')
        cache.set(key, found, TIMEOUT)
    return found


def _digest(events: Sequence[ical.CeremonyEvent], name: str) -> str:
    return hashlib.sha256(repr((FEED_FORMAT, icalendar.__version__, name, list(events))).encode()).hexdigest()
