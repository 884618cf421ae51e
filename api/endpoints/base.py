"""The API object: its routers, its OpenAPI document, its errors as problems, how operations declare a scope."""

import json

from django.conf import settings
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from api.clients import ClientRefused, ClientToken
from api.problems import API_VERSION, invalid_param, problem

ERRORS = {
    status: {"$ref": f"#/components/responses/{name}"}
    for status, name in (
        (400, "BadRequest"),
        (401, "Unauthorized"),
        (403, "Forbidden"),
        (404, "NotFound"),
        (409, "Conflict"),
        (413, "ContentTooLarge"),
        (429, "TooManyRequests"),
    )
}


def scoped(scope: str, *, operation_id: str, summary: str, errors=(400, 401, 403, 429), **extra) -> dict:
    """The arguments of an operation that needs ``scope``: its authentication, documented security and errors."""
    responses = {str(status): ERRORS[status] for status in errors}
    return {
        "auth": ClientToken(scope),
        "operation_id": operation_id,
        "summary": summary,
        "url_name": f"api_{operation_id}",
        "by_alias": True,
        "openapi_extra": {
            **extra,
            "security": [{"oauth2": [scope]}],
            "responses": {**extra.get("responses", {}), **responses},
        },
    }


def _problem_response(description: str) -> dict:
    return {
        "description": description,
        "headers": {"API-Version": {"$ref": "#/components/headers/API-Version"}},
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Problem details (RFC 9457).",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "Bad Request"},
        "status": {"type": "integer", "example": 400},
        "detail": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "code", "reason"],
                "properties": {
                    "name": {"type": "string", "example": "newcomers.3.email"},
                    "code": {"type": "string", "example": "invalid"},
                    "reason": {"type": "string"},
                },
            },
        },
    },
}


TAGS = {
    "newcomers": "Newcomers: in from the HR system, their status back.",
    "records": "Ceremonies, certificates and declarations, read-only.",
}


class Api(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {})
        components["securitySchemes"] = {"oauth2": ClientToken("").openapi_security_schema}
        components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        components["headers"] = {
            "API-Version": {"description": "The API's version.", "schema": {"type": "string", "example": API_VERSION}}
        }
        components["responses"] = {
            "BadRequest": _problem_response("The request is not valid; the field errors are in invalidParams."),
            "Unauthorized": _problem_response("No valid bearer token."),
            "Forbidden": _problem_response("The token lacks the operation's scope."),
            "NotFound": _problem_response("No such resource."),
            "Conflict": _problem_response(
                "Another request wrote the same newcomers at that moment; nothing was written."
            ),
            "ContentTooLarge": _problem_response("The request body is larger than this operation takes."),
            "TooManyRequests": _problem_response("The client's rate limit is reached; see Retry-After."),
        }
        schema["tags"] = [{"name": name, "description": text} for name, text in TAGS.items()]
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation.setdefault("description", operation.get("summary", "") + ".")
                operation["responses"] = {str(status): answer for status, answer in operation["responses"].items()}
                operation["security"] = [entry for entry in operation.get("security", []) if "oauth2" in entry]
                for response in operation["responses"].values():
                    if "$ref" not in response:
                        response.setdefault("headers", {})["API-Version"] = {"$ref": "#/components/headers/API-Version"}
        _drop_unused_schemas(schema)
        return schema


def _drop_unused_schemas(schema: dict) -> None:
    """The query models ninja lists as components are used inline only: leave them out of the document."""
    schemas = schema["components"]["schemas"]
    while True:
        text = json.dumps({key: value for key, value in schema.items() if key != "components"})
        text += json.dumps({key: value for key, value in schema["components"].items() if key != "schemas"})
        text += json.dumps(schemas)
        unused = [name for name in schemas if f'"#/components/schemas/{name}"' not in text]
        if not unused:
            return
        for name in unused:
            del schemas[name]


api = Api(
    title="Eed en onboarding API",
    version=API_VERSION,
    description=(
        "For HR systems: newcomers in, sworn and signed out. Follows the NL GOV API Design Rules: "
        "JSON with camelCase fields, no trailing slashes, errors as application/problem+json, pagination with "
        "links, an API-Version header on every answer. Access with OAuth 2.0 client credentials."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    servers=[{"url": settings.SITE_URL.rstrip("/"), "description": "This installation"}],
    openapi_extra={"info": {"contact": {"name": settings.ORGANISATION_NAME, "url": settings.SITE_URL}}},
)


def _name(location) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    params = [
        invalid_param(_name(error.get("loc", ())), error.get("msg", ""), error.get("type", "invalid"))
        for error in exc.errors
    ]
    return problem(400, detail="The request is not valid.", invalid_params=params)


@api.exception_handler(ClientRefused)
def _refused(request, exc):
    response = problem(exc.status, title=exc.title, detail=exc.detail)
    if exc.status == 429:
        response["Retry-After"] = "60"
    return response


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    response = problem(401, detail="A valid bearer token is needed (OAuth 2.0 client credentials).")
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return problem(exc.status_code, detail=str(exc))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem(404)
