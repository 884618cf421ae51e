"""API clients: registering one, the scopes it may be given, and recognising its bearer tokens.

A client authenticates with the OAuth 2.0 client-credentials grant at the token URL (django-oauth-toolkit's
token view) and gets a short-lived bearer token for at most the scopes it was registered with. Only
``ClientToken`` (the API's operations) accepts those tokens: no middleware or authentication backend
does, so a token never opens a person's pages, and a signed-in person's session never opens the API.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import AccessToken, Application
from oauth2_provider.scopes import SettingsScopes

from api.models import ApiClient
from core.links import absolute_url
from core.ratelimit import key_rate_limited

SCOPES = tuple(settings.API_SCOPES)


class ClientRefused(Exception):
    """A request the API refuses: ``status`` and ``title`` make its problem answer."""

    def __init__(self, status: int, title: str, detail: str = ""):
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail


class ClientScopes(SettingsScopes):
    """A client is given at most the scopes it was registered with (by default: all of those)."""

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        client = ApiClient.objects.filter(application=application).first() if application else None
        return client.scope_list if client else []

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self.get_available_scopes(application, request)


def token_url() -> str:
    return absolute_url(reverse("api_token"))


def unknown_scopes(scopes) -> list[str]:
    return [scope for scope in scopes if scope not in SCOPES]


@transaction.atomic
def api_client_create(*, name: str, scopes: list[str], organisation_unit: str = "", webhook_url: str = ""):
    """A new client and its secret (shown this once: the application stores only its hash)."""
    if unknown := unknown_scopes(scopes):
        raise ValueError(_("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)})
    if ApiClient.objects.filter(name=name).exists():
        raise ValueError(_("An API client named %(name)s already exists.") % {"name": name})
    secret = secrets.token_urlsafe(40)
    application = Application(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    application.full_clean()
    application.save()
    client = ApiClient(
        application=application,
        name=name,
        scopes=" ".join(scopes),
        organisation_unit=organisation_unit,
        webhook_url=webhook_url,
    )
    client.full_clean()
    client.save()
    return client, secret


class ClientToken:
    """Authentication of one operation: a valid bearer token of a client, holding ``scope``.

    No token, or an unknown or expired one: 401. A token without the scope: 403. Over the client's rate: 429.
    """

    openapi_type = "oauth2"

    def __init__(self, scope: str):
        self.scope = scope
        self.is_async = False
        self.openapi_security_schema = {
            "type": "oauth2",
            "description": "OAuth 2.0 client credentials; tokens are short-lived.",
            "flows": {"clientCredentials": {"tokenUrl": "/api/v1/oauth/token", "scopes": dict(settings.API_SCOPES)}},
        }

    def __call__(self, request):
        kind, _space, token = request.headers.get("Authorization", "").partition(" ")
        if kind.lower() != "bearer" or not token:
            return None
        checksum = hashlib.sha256(token.strip().encode()).hexdigest()
        access = AccessToken.objects.select_related("application__api_client").filter(token_checksum=checksum).first()
        if access is None or access.expires <= timezone.now() or access.application is None:
            return None
        client = getattr(access.application, "api_client", None)
        if client is None:
            return None
        if not access.allow_scopes([self.scope]) or self.scope not in client.scope_list:
            raise ClientRefused(403, "Forbidden", f"This operation needs the scope {self.scope}.")
        per_minute = client.requests_per_minute or settings.API_REQUESTS_PER_MINUTE
        if key_rate_limited(f"api-client:{client.pk}", per_minute=per_minute):
            raise ClientRefused(429, "Too Many Requests", "This client made too many requests; try again in a minute.")
        request.api_client = client
        return client


def client_via(client: ApiClient) -> str:
    """How the audit trail records a change the client made."""
    return f"api:{client.name}"
