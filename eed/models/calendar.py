"""Calendar records: the invite copy each attendee holds, personal feeds, the digests sent."""

from django.conf import settings
from django.db import models

from eed.models.ceremonies import Ceremony


class InviteCopy(models.Model):
    """What one person's calendar holds of a ceremony: its SEQUENCE and content.

    Each recipient gets their own copy (their attendee list holds only the
    people they need to see, AVG), with its own rising SEQUENCE; ``fingerprint``
    tells whether what they hold differs from what they should hold.
    """

    ceremony = models.ForeignKey(Ceremony, on_delete=models.CASCADE, related_name="invite_copies")
    email = models.EmailField()
    sequence = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(max_length=64)
    cancelled = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ceremony", "email"], name="one_invite_copy_per_person")]

    def __str__(self):
        return f"{self.ceremony.uid} → {self.email} #{self.sequence}"


class CalendarFeed(models.Model):
    """The secret of a staff user's private calendar feed (stored hashed, rotatable)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.user)


class DigestLog(models.Model):
    """Which weekly deadline digest went to whom, so a second run sends nothing twice."""

    recipient = models.EmailField()
    week = models.CharField(max_length=8, help_text="ISO week, e.g. 2026-W48")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "week"], name="one_digest_per_week")]

    def __str__(self):
        return f"{self.recipient} {self.week}"
