"""The organisation's profile and its versioned texts (oath, affirmation, declaration)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.enums import TextKind


class Text(models.Model):
    """A version of an official text: the oath or affirmation formula, the declaration.

    Versions are never edited once saved (what someone swore or signed must
    stay readable as it was); a change is a new version. The text in force is
    the newest version whose ``valid_from`` has passed (selectors.text_current).
    """

    kind = models.CharField(_("kind"), max_length=20, choices=TextKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")
    version = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    closing_words = models.CharField(
        _("closing words"), max_length=200, blank=True, help_text=_("What the newcomer answers, for formulas.")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("text")
        verbose_name_plural = _("texts")
        ordering = ["kind", "language", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language", "version"], name="text_version_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=TextKind.values), name="text_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version} ({self.language})"


class OrganisationProfile(models.Model):
    """A version of the organisation's details as printed on proofs of oath.

    Like texts, versions are not edited once saved: a change (a new logo, a
    new address) is a new version from a date on, so a proof always prints
    the details in force on its ceremony's day.
    """

    name = models.CharField(_("name"), max_length=200)
    certificate_prefix = models.CharField(
        _("certificate prefix"),
        max_length=10,
        validators=[RegexValidator(r"^[A-Z0-9]{1,10}$", _("Use capital letters and digits only, e.g. ZH."))],
        help_text=_('Starts every certificate number, e.g. "ZH" in ZH-2022-0042.'),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True, help_text=_("Printed as the place of the oath."))
    logo = models.ImageField(_("logo"), upload_to="organisation/", blank=True)
    valid_from = models.DateField(_("valid from"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation details")
        verbose_name_plural = _("organisation details")
        ordering = ["-valid_from", "-id"]

    def __str__(self):
        return f"{self.name} ({self.valid_from:%Y-%m-%d})"
