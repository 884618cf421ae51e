from django.db import transaction

from core.tokens import token_new
from eed.models import CalendarFeed
from onboarding.audit.trail import audit_record


@transaction.atomic
def calendar_feed_rotate(*, user) -> str:
    """A new secret for the user's feed; returns the raw token (shown once, stored hashed)."""
    raw, digest = token_new()
    feed, _created = CalendarFeed.objects.update_or_create(user=user, defaults={"token_digest": digest})
    audit_record(actor=user, action="calendar_feed.rotate", target=feed)
    return raw
