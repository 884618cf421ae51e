"""The API's clients (systems, not people) and the webhook deliveries queued for them.

A client is a django-oauth-toolkit Application (client credentials, its secret stored hashed) with the
scopes it may ask for, its organisation unit, its own rate limit and, when configured, a webhook URL and
the secret its deliveries are signed with.
"""

import secrets
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import Application


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


def validate_webhook_url(url: str) -> None:
    """HTTPS only; plain HTTP only to this machine (a receiver beside the application, or a test)."""
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")):
        return
    raise ValidationError(_("A webhook URL must start with https://."), code="insecure")


class WebhookEvent(models.TextChoices):
    NEWCOMER_SWORN = "newcomer.sworn", _("newcomer sworn")
    DECLARATION_SIGNED = "declaration.signed", _("declaration signed")
    CERTIFICATE_REVOKED = "certificate.revoked", _("certificate revoked")


class ApiClient(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="api_client")
    name = models.CharField(_("name"), max_length=100, unique=True)
    organisation_unit = models.CharField(_("organisation unit"), max_length=200, blank=True)
    scopes = models.CharField(_("scopes"), max_length=300, help_text=_("Separated by spaces."))
    requests_per_minute = models.PositiveIntegerField(_("requests per minute"), null=True, blank=True)
    webhook_url = models.URLField(_("webhook URL"), blank=True, validators=[validate_webhook_url])
    webhook_events = models.CharField(
        _("webhook events"), max_length=200, blank=True, help_text=_("Separated by spaces; empty: every event.")
    )
    webhook_secret = models.CharField(_("webhook signing secret"), max_length=64, default=new_webhook_secret)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def wants(self, event: str) -> bool:
        return bool(self.webhook_url) and (not self.webhook_events or event in self.webhook_events.split())


class WebhookDelivery(models.Model):
    """One event for one client, written in the transaction that caused it; delivered in order per newcomer."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(unique=True)
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    newcomer_id = models.BigIntegerField(_("newcomer"), db_index=True)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    given_up_at = models.DateTimeField(_("given up at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["id"]
        indexes = [models.Index(fields=["client", "newcomer_id", "id"], name="delivery_order")]

    def __str__(self):
        return f"{self.event} #{self.pk}"
