"""Settings for tests/onboarding/test_shared_cache.py: the project's own, served by gunicorn with DEBUG off.

Loaded with DEBUG=1 in the environment (plain static files, no SECRET_KEY
needed), then switched to DEBUG off so pages and errors render as in
production. Each response names the worker process that answered it.
"""

from config.settings import *  # noqa: F403

DEBUG = False
MIDDLEWARE = ["tests.gunicorn_settings.WorkerPidMiddleware", *MIDDLEWARE]  # noqa: F405
OUTBOX_SEND_AFTER_COMMIT = False


class WorkerPidMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import os

        response = self.get_response(request)
        response["X-Worker-Pid"] = str(os.getpid())
        return response
