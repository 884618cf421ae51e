"""Integrity declarations of externals: the link sent, and the signature given or withdrawn."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models.newcomers import Newcomer
from onboarding.models.organisation import Text


class DeclarationRequest(models.Model):
    """A personal link that asks an external to sign the integrity declaration.

    Only the SHA-256 of the link's token is stored. A resend (or a withdrawal)
    sets ``invalidated_at``; at most one request per newcomer is active
    (not invalidated) at a time. A reminder replaces the token on the same
    request, so only the newest mail's link works.
    """

    newcomer = models.ForeignKey(
        Newcomer, verbose_name=_("newcomer"), on_delete=models.PROTECT, related_name="declaration_requests"
    )
    token_digest = models.CharField(_("link digest"), max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    expires_at = models.DateTimeField(_("expires at"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    invalidated_at = models.DateTimeField(_("invalidated at"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("declaration request")
        verbose_name_plural = _("declaration requests")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["newcomer"],
                condition=models.Q(invalidated_at__isnull=True),
                name="declarationrequest_one_active_per_newcomer",
            ),
        ]

    def __str__(self):
        return f"{self.newcomer} {self.sent_at:%Y-%m-%d}"


class DeclarationSignatureQuerySet(models.QuerySet):
    """Bulk updates may only touch the withdrawal fields: the signed evidence stays as it was."""

    WITHDRAWAL_FIELDS = frozenset({"withdrawn_at", "withdrawn_by", "withdrawal_reason"})

    def update(self, **kwargs):
        refused = set(kwargs) - self.WITHDRAWAL_FIELDS
        if refused:
            raise ValueError(f"A declaration signature is immutable; refused: {', '.join(sorted(refused))}.")
        return super().update(**kwargs)

    def anonymise(self):
        """The one exception to immutability: retention blanks who signed and from where."""
        return super().update(signed_name="", ip_address=None, user_agent="", withdrawal_reason="")


class DeclarationSignature(models.Model):
    """The evidence of a signed integrity declaration. Never edited.

    Written once by ``declaration_services.declaration_sign``; afterwards only
    the withdrawal fields change (``declaration_withdraw``). The admin shows it
    read-only, and ``DeclarationSignatureQuerySet.update`` refuses any other
    field.
    """

    newcomer = models.ForeignKey(
        Newcomer, verbose_name=_("newcomer"), on_delete=models.PROTECT, related_name="declaration_signatures"
    )
    request = models.OneToOneField(
        DeclarationRequest, verbose_name=_("link"), on_delete=models.PROTECT, related_name="signature"
    )
    token_digest = models.CharField(_("digest of the link used"), max_length=64)
    text = models.ForeignKey(Text, verbose_name=_("text"), on_delete=models.PROTECT, related_name="+")
    text_sha256 = models.CharField(_("SHA-256 of the text shown"), max_length=64)
    signed_name = models.CharField(_("signed name"), max_length=400)
    signed_at = models.DateTimeField(_("signed at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.TextField(_("user agent"), blank=True)
    verification_code = models.CharField(_("verification code"), max_length=32, unique=True)
    # Of the PDF/A copy mailed at signing: an uploaded copy is recognised by it on the verification page.
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF copy"), max_length=64, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    objects = DeclarationSignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("declaration signature")
        verbose_name_plural = _("declaration signatures")
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["newcomer"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="declarationsignature_one_valid_per_newcomer",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True, withdrawal_reason="")
                | (models.Q(withdrawn_at__isnull=False) & ~models.Q(withdrawal_reason="")),
                name="declarationsignature_withdrawal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.signed_name} {self.signed_at:%Y-%m-%d %H:%M}"

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None
