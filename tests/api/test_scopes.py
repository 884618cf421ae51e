"""Every operation of the API, asked without a token and with a token of each scope: only its scope opens it.

The operations come from the OpenAPI document, and the document is checked to hold every API URL the
resolver knows, so an operation added tomorrow is walked too.
"""

import json
import re

import pytest

from api.clients import SCOPES
from tests.api.support import api_client_with
from tests.test_permissions import url_names

pytestmark = pytest.mark.django_db

NOT_OPERATIONS = {"api:openapi-json", "api:openapi-view", "api:api-root"}


def operations(client):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            (scope,) = operation["security"][0]["oauth2"]
            yield method, re.sub(r"\{[^}]+\}", "1", path), scope, operation["operationId"]


def ask(client, method, path, headers):
    body = {"content_type": "application/json", "data": "{}"} if method in ("put", "post") else {}
    return getattr(client, method)(path, **body, **headers).status_code


def test_the_document_holds_every_api_url(client):
    documented = {f"api:api_{operation_id}" for *_rest, operation_id in operations(client)}
    resolved = {name for name in url_names() if name.startswith("api:")} - NOT_OPERATIONS
    assert resolved == documented


def test_every_operation_answers_each_scope_and_no_token(client):
    tokens = {scope: api_client_with(client, scopes=[scope], name=scope) for scope in SCOPES}
    wrong = []
    for method, path, needed, _operation_id in operations(client):
        if (got := ask(client, method, path, {})) != 401:
            wrong.append(f"{method} {path} without a token: {got}")
        for scope, headers in tokens.items():
            got = ask(client, method, path, headers)
            if scope == needed and got in (401, 403):
                wrong.append(f"{method} {path} with its scope {scope}: {got}")
            if scope != needed and got != 403:
                wrong.append(f"{method} {path} with {scope} (needs {needed}): {got}")
    assert not wrong, "\n".join(wrong)
    assert len({path for _m, path, *_ in operations(client)}) >= 8
