"""Settings, read from environment variables only.

Every value has a safe default for local use (SQLite, console mail, DEBUG on);
production values come from the environment. The helpers in ``config.env``
fail loudly on a value they cannot read, so a typo never silently falls back.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    env_bool,
    env_cache,
    env_database,
    env_email,
    env_int,
    env_int_list,
    env_list,
    env_site_url,
    env_str,
    url_origin,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else None)
# Earlier keys, still accepted after a rotation (sessions, reset links, mail queued before it).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
# The base of every absolute link (core/links.py); in development, the address `make run` serves.
SITE_URL = env_site_url("SITE_URL", development=DEBUG)
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
    "allauth.mfa",
    "csp",
    "django_tables2",
    "django_filters",
    "oauth2_provider",
    "ninja",
    "onboarding",
    "eed",
    "api",
]

MIDDLEWARE = [
    "api.problems.ApiAnswersMiddleware",  # outermost: even the edge's 413 under /api/ becomes a problem
    "core.edge.EdgeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "onboarding.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
    "onboarding.accounts.middleware.SessionTimeoutMiddleware",
    "onboarding.accounts.middleware.SecondFactorRequiredMiddleware",
]

if not DEBUG:
    # Static files served by the app itself in production (collectstatic first).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.template.context_processors.i18n",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "onboarding.accounts.context_processors.navigation",
    "core.contact.contact",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": _CONTEXT_PROCESSORS},
    },
    {
        # Plain text (mail bodies and subjects, calendar descriptions) is not HTML: the same templates,
        # without escaping. Used only through onboarding.mail.text.render_text; pages use the engine above.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False, "context_processors": _CONTEXT_PROCESSORS},
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
ACCOUNT_ADAPTER = "onboarding.accounts.adapters.AccountAdapter"
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
# Counted in the cache (shared between processes in production: CACHES below).
# Rates are "amount/period/per" (ip, key = the e-mail address, user).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "request_login_code": "10/m/ip,3/5m/key",
    "confirm_login_code": "10/m/ip",
    "reset_password": "10/m/ip,3/5m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}

# Second factor (allauth.mfa): an authenticator app (TOTP) or a security
# key/passkey (WebAuthn), with recovery codes. HR and administrators must have
# one (onboarding.accounts.middleware.SecondFactorRequiredMiddleware); others may.
MFA_ADAPTER = "onboarding.accounts.security.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", default="Eed en onboarding")
MFA_RATE_LIMITS = {"webauthn_login": "10/m/ip"}
# WebAuthn needs HTTPS except on localhost; allow plain http only in development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Sessions: at most SESSION_MAX_SECONDS after login, and ended after
# SESSION_IDLE_SECONDS without a request (onboarding.accounts.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_MAX_SECONDS = env_int("SESSION_MAX_SECONDS", default=12 * 3600)
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS

# Optional single sign-on through OpenID Connect (e.g. Microsoft Entra ID),
# only for existing accounts (onboarding.accounts.social_adapter): all three set, or none.
OIDC_SERVER_URL = env_str("OIDC_SERVER_URL", default="")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", default="")
OIDC_ENABLED = bool(OIDC_SERVER_URL or OIDC_CLIENT_ID or OIDC_CLIENT_SECRET)
if OIDC_ENABLED:
    if not (OIDC_SERVER_URL and OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
        raise ImproperlyConfigured("Set all of OIDC_SERVER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or none.")
    INSTALLED_APPS += ["allauth.socialaccount", "allauth.socialaccount.providers.openid_connect"]
    SOCIALACCOUNT_ADAPTER = "onboarding.accounts.social_adapter.SocialAccountAdapter"
    SOCIALACCOUNT_ONLY = False
    SOCIALACCOUNT_AUTO_SIGNUP = False
    SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
    SOCIALACCOUNT_STORE_TOKENS = False
    SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": env_str("OIDC_PROVIDER_ID", default="entra"),
                    "name": env_str("OIDC_NAME", default="Microsoft Entra ID"),
                    "client_id": OIDC_CLIENT_ID,
                    "secret": OIDC_CLIENT_SECRET,
                    "settings": {
                        "server_url": OIDC_SERVER_URL,
                        "verified_email": env_list("OIDC_VERIFIED_EMAIL_DOMAINS", default=[]),
                    },
                }
            ],
        }
    }

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates the Dutch way, one format per kind of place (config/formats, README: Translations).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env_str("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (signed scans of proofs, organisation logos). Never served
# as public media: HR downloads scans through a view that checks the role.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Every mail goes through the queue in the database (onboarding/mail/outbox.py);
# the queue delivers through the backend that EMAIL_URL names.
EMAIL_BACKEND = "onboarding.mail.outbox.QueueBackend"
OUTBOX_DELIVERY_BACKEND, _email_options = env_email("EMAIL_URL")
globals().update(_email_options)
OUTBOX_SEND_AFTER_COMMIT = env_bool("OUTBOX_SEND_AFTER_COMMIT", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="HR Zuid-Holland <hr@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Rate limits, login codes and used TOTP codes live in the cache: production
# shares it between processes (the database table, or Redis via CACHE_URL).
CACHES = {"default": env_cache("CACHE_URL", shared=env_bool("SHARED_CACHE", default=not DEBUG))}

# Domain settings.
ORGANISATION_NAME = env_str("ORGANISATION_NAME", default="Provincie Zuid-Holland")
# The name inside a Dutch sentence ("Welkom bij de provincie Zuid-Holland"); empty: "Provincie X" -> "de provincie X".
ORGANISATION_NAME_IN_TEXT = env_str("ORGANISATION_NAME_IN_TEXT", default="")
OATH_DEADLINE_MONTHS = env_int("OATH_DEADLINE_MONTHS", default=2)
DUE_SOON_DAYS = env_int("DUE_SOON_DAYS", default=14)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", default=15 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024
# Every request body is refused above this (core.edge.EdgeMiddleware) before anything reads it;
# the import and scan uploads take their own limits.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", default=2 * 1024 * 1024)
# Integrity declaration for externals (onboarding/declarations/services.py).
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
# Whom every public page and every mail names for questions (core/contact.py): empty name = "the HR department",
# empty address = HR_MAILBOX, the phone number only when set.
HR_CONTACT_NAME = env_str("HR_CONTACT_NAME", default="")
HR_CONTACT_EMAIL = env_str("HR_CONTACT_EMAIL", default="")
HR_CONTACT_PHONE = env_str("HR_CONTACT_PHONE", default="")
CALENDAR_UID_DOMAIN = env_str("CALENDAR_UID_DOMAIN", default="eed.zuid-holland.nl")
WITNESS_REMINDER_WORKING_DAYS = env_int("WITNESS_REMINDER_WORKING_DAYS", default=3)
# Planner (eed/planner/plan.py): extra ceremonies are proposed on these weekdays
# (Monday 0, so "1,3" is Tuesday and Thursday), at this local time, this size.
CEREMONY_WEEKDAYS = sorted(set(env_int_list("CEREMONY_WEEKDAYS", default=[1, 3])))
CEREMONY_TIME = env_str("CEREMONY_TIME", default="10:00")
CEREMONY_DURATION_MINUTES = env_int("CEREMONY_DURATION_MINUTES", default=90)
CEREMONY_DEFAULT_CAPACITY = env_int("CEREMONY_DEFAULT_CAPACITY", default=20)
# Ceremony day: signed scans of proofs, and the public verification page's limit per client.
SCAN_MAX_BYTES = env_int("SCAN_MAX_BYTES", default=10 * 1024 * 1024)
VERIFY_PER_MINUTE = env_int("VERIFY_PER_MINUTE", default=30)
# Checking an uploaded PDF on the verification page (/verify/): its size, and posts per client a minute.
VERIFY_FILE_MAX_BYTES = env_int("VERIFY_FILE_MAX_BYTES", default=5 * 1024 * 1024)
VERIFY_FILE_POSTS_PER_MINUTE = env_int("VERIFY_FILE_POSTS_PER_MINUTE", default=10)
# The organisation seal (PAdES, core/pdf_seal.py) on proofs and declaration copies, optional: a PKCS#12
# file and its password; with an RFC 3161 timestamp server's URL the seal is PAdES B-T, else B-B.
PDF_SEAL_P12 = env_str("PDF_SEAL_P12", default="")
PDF_SEAL_PASSWORD = env_str("PDF_SEAL_PASSWORD", default="")
PDF_SEAL_TSA_URL = env_str("PDF_SEAL_TSA_URL", default="")
# The newcomer's personal link (/e/) and the private calendar feeds, per client address.
NEWCOMER_LINK_GETS_PER_MINUTE = env_int("NEWCOMER_LINK_GETS_PER_MINUTE", default=30)
NEWCOMER_LINK_POSTS_PER_MINUTE = env_int("NEWCOMER_LINK_POSTS_PER_MINUTE", default=10)
CALENDAR_FEED_PER_MINUTE = env_int("CALENDAR_FEED_PER_MINUTE", default=300)
CALENDAR_FEED_MISSES_PER_MINUTE = env_int("CALENDAR_FEED_MISSES_PER_MINUTE", default=10)
# The private feed holds the ceremonies that start from this many days ago to this many days ahead:
# calendar services poll it, so it must not grow with the years behind nor with ceremonies planned far
# ahead (issue #19); a ceremony further ahead enters the feed as its day comes nearer.
CALENDAR_FEED_DAYS_BACK = env_int("CALENDAR_FEED_DAYS_BACK", default=90)
CALENDAR_FEED_DAYS_AHEAD = env_int("CALENDAR_FEED_DAYS_AHEAD", default=365)

# Retention (manage.py apply_retention, daily): personal data goes this long after a person's last event
# (start, deadline, end of engagement, ceremony, declaration); working files sooner.
RETENTION_YEARS = env_int("RETENTION_YEARS", default=7)
RETENTION_MAIL_DAYS = env_int("RETENTION_MAIL_DAYS", default=90)
RETENTION_UPLOAD_DAYS = env_int("RETENTION_UPLOAD_DAYS", default=30)

# The HR systems' API (api/, /api/v1/): OAuth 2.0 client credentials (django-oauth-toolkit), short-lived
# bearer tokens, the scopes below; secrets of clients stored hashed. No CORS headers: systems, not browsers.
API_SCOPES = {
    "newcomers:read": "Read newcomers and their status",
    "newcomers:write": "Create and update newcomers",
    "ceremonies:read": "Read ceremonies, participants and witnesses' answers",
    "certificates:read": "Read certificates",
    "declarations:read": "Read the integrity declarations' status",
}
OAUTH2_PROVIDER = {
    "SCOPES": API_SCOPES,
    "DEFAULT_SCOPES": [],
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("API_TOKEN_SECONDS", default=600),
    "SCOPES_BACKEND_CLASS": "api.clients.ClientScopes",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,  # tokens kept only as their SHA-256
    # The OAuth 2.0 Security BCP (RFC 9700) throughout; only client credentials are used here anyway.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", default=600)
API_BATCH_MAX_ROWS = 5000
API_BATCH_MAX_BYTES = env_int("API_BATCH_MAX_BYTES", default=10 * 1024 * 1024)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", default=10)

DJANGO_TABLES2_TEMPLATE = "onboarding/partials/table.html"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp): nothing inline, nothing from elsewhere.
# allauth's WebAuthn pages load their scripts from our own static files and
# pass data in <script type="application/json"> blocks, which CSP allows.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
if OIDC_ENABLED:
    # The SSO button posts to us and is redirected to the provider; browsers apply form-action to that redirect.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(url_origin(OIDC_SERVER_URL))
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
    "filters": {"redact_tokens": {"()": "config.logfilters.RedactTokens"}},
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
        # pikepdf says at INFO that it started; pyHanko's validator tells every failed path as an error.
        "pikepdf": {"level": "WARNING"},
        "pyhanko_certvalidator": {"level": "CRITICAL"},
        "pyhanko.sign.validation": {"level": "CRITICAL"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
}
