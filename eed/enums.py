from django.db import models
from django.utils.translation import gettext_lazy as _


class CeremonyState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class WitnessAnswer(models.TextChoices):
    PENDING = "pending", _("Not answered yet")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class OathForm(models.TextChoices):
    OATH = "oath", _("Oath")
    AFFIRMATION = "affirmation", _("Affirmation")


class Outcome(models.TextChoices):
    """What the attendance sheet records for a newcomer ("" until then)."""

    TAKEN = "taken", _("Taken")
    ABSENT = "absent", _("Absent")


class DilemmaSetting(models.TextChoices):
    CEREMONY = "ceremony", _("Ceremony programme")
    TEAM = "team", _("Team session")
