"""Dilemma sessions: the integrity conversation held with a group of newcomers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eed.enums import DilemmaSetting
from eed.models.ceremonies import Ceremony


class DilemmaSession(models.Model):
    """One playing of the integrity dilemma game: in a ceremony's programme or for a team."""

    date = models.DateField(_("date"))
    setting = models.CharField(_("setting"), max_length=20, choices=DilemmaSetting.choices)
    ceremony = models.ForeignKey(
        Ceremony,
        verbose_name=_("ceremony"),
        on_delete=models.PROTECT,
        related_name="dilemma_sessions",
        null=True,
        blank=True,
    )
    team_name = models.CharField(_("team"), max_length=200, blank=True)
    facilitator = models.CharField(_("facilitator"), max_length=200)
    participants = models.PositiveIntegerField(_("participants"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("dilemma game session")
        verbose_name_plural = _("dilemma game sessions")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(participants__gte=0), name="dilemma_participants_not_negative"),
            models.CheckConstraint(
                condition=models.Q(setting=DilemmaSetting.CEREMONY, ceremony__isnull=False, team_name="")
                | (models.Q(setting=DilemmaSetting.TEAM, ceremony__isnull=True) & ~models.Q(team_name="")),
                name="dilemma_setting_matches",
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.team_name or self.get_setting_display()}"
