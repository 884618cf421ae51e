"""Errors as ``application/problem+json`` (RFC 9457), and the ``API-Version`` header on every answer.

Field errors go in ``invalidParams`` (``name``, ``code``, ``reason``), as the NL GOV API Design Rules'
problem details do. ``ApiAnswersMiddleware`` puts the header on everything under /api/ and turns any
answer there that is not JSON (Django's 404 and 405 pages, a 500) into a problem, so a client never
gets an HTML page. The token URL answers errors as RFC 6749 says (JSON with ``error``).
"""

from http import HTTPStatus

from django.http import JsonResponse

API_PREFIX = "/api/"
API_VERSION = "1.0.0"
PROBLEM = "application/problem+json"


def problem(status: int, *, title: str = "", detail: str = "", invalid_params=None, **extra) -> JsonResponse:
    body = {"type": "about:blank", "title": title or HTTPStatus(status).phrase, "status": status}
    if detail:
        body["detail"] = detail
    if invalid_params:
        body["invalidParams"] = invalid_params
    body.update(extra)
    return JsonResponse(body, status=status, content_type=PROBLEM, json_dumps_params={"ensure_ascii": False})


def invalid_param(name: str, reason: str, code: str = "invalid") -> dict:
    return {"name": name, "code": code, "reason": reason}


def _is_json(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip().endswith("json")


class ApiAnswersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith(API_PREFIX):
            return response
        if response.status_code >= 400 and not _is_json(response):
            replaced = problem(response.status_code)
            for name, value in response.items():  # the edge's security headers, Allow, Retry-After ...
                if name.lower() not in ("content-type", "content-length"):
                    replaced[name] = value
            response = replaced
        response["API-Version"] = API_VERSION
        return response
