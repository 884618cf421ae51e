"""Helpers of the API tests: a registered client and its bearer token, asked for as an HR system would."""

import base64
import io
import json

from django.core.cache import cache
from django.core.management import call_command

from api.clients import SCOPES

TOKEN_URL = "/api/v1/oauth/token"


def register(name="Youforce", scopes=SCOPES, **options) -> dict:
    out = io.StringIO()
    call_command("api_client_create", name=name, scopes=",".join(scopes), format="json", stdout=out, **options)
    return json.loads(out.getvalue())


def token_for(client, credentials: dict) -> str:
    basic = base64.b64encode(f"{credentials['client_id']}:{credentials['client_secret']}".encode()).decode()
    response = client.post(TOKEN_URL, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def api_client_with(client, scopes=SCOPES, name="Youforce") -> dict:
    """Headers for requests as a client holding ``scopes``."""
    cache.clear()
    return bearer(token_for(client, register(name=name, scopes=scopes)))
