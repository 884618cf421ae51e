"""Settings for benchmarks/sign_page.py: the project's own, plus a hello-world URL to compare with.

Loaded by gunicorn with DEBUG=1 in the environment (plain static files, no
SECRET_KEY needed), then switched to DEBUG off so pages render as in
production. The signing page's rate limit is still checked on every request,
but set so high the benchmark never reaches it.
"""

from config.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "benchmarks.hello_urls"
DECLARATION_GETS_PER_MINUTE = 10**9
OUTBOX_SEND_AFTER_COMMIT = False
