"""Calendars: a ceremony as .ics, and each staff user's private feed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotModified
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from core.links import absolute_reverse
from core.ratelimit import limit_reached, rate_limited, too_many_requests
from core.responses import file_response
from core.tokens import token_digest, token_looks_valid
from eed.calendar import feeds, ical, services
from eed.calendar.invites import ceremony_event, programme_prefetch
from eed.ceremonies.access import get_ceremony_for_user
from eed.ceremonies.selectors import calendar_ceremonies_for
from eed.models import CalendarFeed, InviteCopy

CALENDAR = "text/calendar; charset=utf-8"
# The feed is fetched again and again by calendar services: revalidated through its ETag, not stored.
FEED_CACHE_CONTROL = "private, max-age=0"


def _events_for(user, ceremonies) -> list[ical.CeremonyEvent]:
    """The user's events. A reminder only where they take part (``takes_part`` from the feed's query; a
    downloaded ceremony always has one): HR's feed holds every ceremony, and a VALARM on each of those
    they only organise would ring two or three times a day and make up a seventh of the feed."""
    sequences = dict(
        InviteCopy.objects.filter(email__iexact=user.email, ceremony__in=[c.pk for c in ceremonies]).values_list(
            "ceremony_id", "sequence"
        )
    )
    return [
        ceremony_event(
            ceremony,
            attendees=(),
            sequence=sequences.get(ceremony.pk, 0),
            language=user.language,
            dtstamp=ceremony.updated_at,
            reminder=getattr(ceremony, "takes_part", True),
        )
        for ceremony in ceremonies
    ]


@login_required
def ceremony_ics(request, pk):
    ceremony = get_ceremony_for_user(request.user, pk)
    calendar = ical.feed_calendar(_events_for(request.user, [ceremony]), name=_("Oath or affirmation ceremony"))
    return file_response(calendar, filename=f"ceremonie-{ceremony.starts_at:%Y%m%d}.ics", content_type=CALENDAR)


@gzip_page
@require_GET
def calendar_feed(request, token):
    """The private feed: same bytes while nothing changed, ETag and 304, never cached by proxies.

    Compressed for the clients that ask (calendar services do): HR's feed holds every ceremony of its
    window, ~0.55 KB each, and is fetched in full whenever one changed; gzip makes that a tenth. Safe here
    (unlike on the HTML pages, BREACH): the body holds no secret and nothing a requester can put in it.
    The ETag becomes weak on the compressed answer (W/"..."), which the If-None-Match test still finds.

    Calendar services fetch many people's feeds from few addresses, so a client
    is limited generously (CALENDAR_FEED_PER_MINUTE), and tightly on unknown
    links (CALENDAR_FEED_MISSES_PER_MINUTE): after those, everything it asks is refused.
    """
    misses = {"scope": "calendar-feed-miss", "per_minute": settings.CALENDAR_FEED_MISSES_PER_MINUTE}
    if limit_reached(request, **misses) or rate_limited(
        request, scope="calendar-feed", per_minute=settings.CALENDAR_FEED_PER_MINUTE
    ):
        return too_many_requests(request)
    feed = None
    if token_looks_valid(token):
        feed = CalendarFeed.objects.select_related("user").filter(token_digest=token_digest(token)).first()
    if feed is None or not feed.user.is_active:
        rate_limited(request, **misses)
        raise Http404
    ceremonies = list(calendar_ceremonies_for(feed.user, now=timezone.now()).prefetch_related(programme_prefetch()))
    name = f"{settings.ORGANISATION_NAME}: " + _("oath and affirmation")
    content, etag = feeds.feed_body(_events_for(feed.user, ceremonies), name=name)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = file_response(content, filename=None, content_type=CALENDAR, inline=True)
    response["ETag"] = etag
    response["Cache-Control"] = FEED_CACHE_CONTROL  # on the 304 too; in place of file_response's no-store
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
def calendar_settings(request):
    """Show whether a feed exists; POST makes a new secret URL (the old one stops working)."""
    feed_url = None
    if request.method == "POST":
        raw = services.calendar_feed_rotate(user=request.user)
        feed_url = absolute_reverse("calendar_feed", args=[raw])
        messages.success(request, _("Your new calendar link is shown below; an older link no longer works."))
    has_feed = CalendarFeed.objects.filter(user=request.user).exists()
    return render(request, "eed/calendar_settings.html", {"feed_url": feed_url, "has_feed": has_feed})
