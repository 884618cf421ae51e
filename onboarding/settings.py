"""Settings, read from environment variables only.

Every value has a safe default for local use (SQLite, console mail, DEBUG on);
production values come from the environment. The helpers in ``onboarding.env``
fail loudly on a value they cannot read, so a typo never silently falls back.
"""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from onboarding.env import env_bool, env_database, env_email, env_int, env_int_list, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
SITE_URL = env_str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = [SITE_URL]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_tables2",
    "django_filters",
    "onboarding",
    "eed",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "onboarding.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

if not DEBUG:
    # Static files served by the app itself in production (collectstatic first).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "onboarding.urls"
WSGI_APPLICATION = "onboarding.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onboarding.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", sqlite_path=BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "onboarding.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# django-allauth: e-mail login, login by e-mailed code, no public sign-up.
ACCOUNT_ADAPTER = "onboarding.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_PREVENT_ENUMERATION = True

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "onboarding" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Every mail goes through the queue in the database (onboarding/outbox.py);
# the queue delivers through the backend that EMAIL_URL names.
EMAIL_BACKEND = "onboarding.outbox.QueueBackend"
OUTBOX_DELIVERY_BACKEND, _email_options = env_email("EMAIL_URL")
globals().update(_email_options)
OUTBOX_SEND_AFTER_COMMIT = env_bool("OUTBOX_SEND_AFTER_COMMIT", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="HR Zuid-Holland <hr@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cache_table",
    }
    if env_bool("SHARED_CACHE", default=not DEBUG)
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Domain settings.
ORGANISATION_NAME = env_str("ORGANISATION_NAME", default="Provincie Zuid-Holland")
OATH_DEADLINE_MONTHS = env_int("OATH_DEADLINE_MONTHS", default=2)
DUE_SOON_DAYS = env_int("DUE_SOON_DAYS", default=14)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", default=15 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024
# Integrity declaration for externals (onboarding/declaration_services.py).
DECLARATION_LINK_DAYS = env_int("DECLARATION_LINK_DAYS", default=30)
DECLARATION_SEND_AUTOMATICALLY = env_bool("DECLARATION_SEND_AUTOMATICALLY", default=False)
DECLARATION_REMINDER_DAYS = sorted(set(env_int_list("DECLARATION_REMINDER_DAYS", default=[7, 14])))
DECLARATION_GETS_PER_MINUTE = env_int("DECLARATION_GETS_PER_MINUTE", default=30)
DECLARATION_POSTS_PER_MINUTE = env_int("DECLARATION_POSTS_PER_MINUTE", default=10)
CODE_OF_CONDUCT_URL = env_str("CODE_OF_CONDUCT_URL", default="https://www.zuid-holland.nl/gedragscode")
# The client's address is REMOTE_ADDR; behind a proxy, set this only when the
# proxy appends the real address to X-Forwarded-For (the last entry is used).
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", default=False)
# Ceremonies: the HR mailbox organises every invite; UIDs end in this domain.
HR_MAILBOX = env_str("HR_MAILBOX", default="hr@example.org")
CALENDAR_UID_DOMAIN = env_str("CALENDAR_UID_DOMAIN", default="eed.zuid-holland.nl")
WITNESS_REMINDER_WORKING_DAYS = env_int("WITNESS_REMINDER_WORKING_DAYS", default=3)

DJANGO_TABLES2_TEMPLATE = "onboarding/partials/table.html"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Personal links (/d/<token>/) are redacted from every log record that names
# a request path: on the loggers that do so (so every handler sees the
# redacted record) and on the console handler for anything else.
_REDACT = {"filters": ["redact_tokens"]}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "onboarding.logfilters.RedactTokens"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", **_REDACT},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", **_REDACT},
    },
    "loggers": {
        "django.request": _REDACT,
        "django.security.csrf": _REDACT,
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False, **_REDACT},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
}
