"""Settings come from the environment, fail loudly on bad values, and pass the deploy check."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_database,
    env_email,
    env_int,
    env_int_list,
    env_list,
    env_site_url,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parents[2]

# Every variable config/settings.py reads; cleared so a subprocess sees
# only what the test sets, whatever the developer's or CI's shell exports.
SETTINGS_VARIABLES = (
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "HOST",
    "PORT",
    "DATABASE_URL",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "TIME_ZONE",
    "SHARED_CACHE",
    "ORGANISATION_NAME",
    "ORGANISATION_NAME_IN_TEXT",
    "OATH_DEADLINE_MONTHS",
    "DUE_SOON_DAYS",
    "IMPORT_MAX_BYTES",
    "DECLARATION_LINK_DAYS",
    "DECLARATION_SEND_AUTOMATICALLY",
    "DECLARATION_REMINDER_DAYS",
    "DECLARATION_GETS_PER_MINUTE",
    "DECLARATION_POSTS_PER_MINUTE",
    "CODE_OF_CONDUCT_URL",
    "HR_MAILBOX",
    "HR_CONTACT_NAME",
    "HR_CONTACT_EMAIL",
    "HR_CONTACT_PHONE",
    "TRUST_X_FORWARDED_FOR",
    "LOG_LEVEL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CACHE_URL",
    "SESSION_IDLE_SECONDS",
    "SESSION_MAX_SECONDS",
    "MFA_TOTP_ISSUER",
    "OIDC_SERVER_URL",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "OIDC_PROVIDER_ID",
    "OIDC_NAME",
    "OIDC_VERIFIED_EMAIL_DOMAINS",
)

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "eed.example.org",
    "SITE_URL": "https://eed.example.org",
}


def manage(*args, keep_database=False, **variables):
    """Run manage.py in a fresh interpreter with only the given settings variables set."""
    environment = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    if keep_database and "DATABASE_URL" in os.environ:
        environment["DATABASE_URL"] = os.environ["DATABASE_URL"]
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings"
    environment.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- whole settings, in a subprocess -------------------------------------------


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output, output
    assert "System check identified no issues" in result.stdout, output


def test_production_without_secret_key_refuses_to_start():
    variables = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}
    result = manage("check", **variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_unreadable_debug_value_stops_the_whole_application():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG" in result.stderr


def test_a_development_server_on_another_port_links_to_that_port():
    """``make run PORT=8101`` passes HOST and PORT: with no SITE_URL, every link follows the served address."""
    show = "from django.conf import settings; print(settings.SITE_URL, settings.CSRF_TRUSTED_ORIGINS)"
    served = manage("shell", "--no-imports", "-c", show, HOST="127.0.0.1", PORT="8101")
    chosen = manage("shell", "--no-imports", "-c", show, PORT="8101", SITE_URL="https://eed.example.org/")
    assert served.stdout.strip() == "http://127.0.0.1:8101 ['http://127.0.0.1:8101']", served.stderr
    assert chosen.stdout.strip() == "https://eed.example.org ['https://eed.example.org']", chosen.stderr


def test_models_and_migrations_agree():
    result = manage("makemigrations", "--check", "--dry-run", keep_database=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_wsgi_and_asgi_entry_points_serve_the_project():
    from django.core.handlers.asgi import ASGIHandler
    from django.core.handlers.wsgi import WSGIHandler

    from config import asgi, wsgi

    assert isinstance(wsgi.application, WSGIHandler)
    assert isinstance(asgi.application, ASGIHandler)


# --- the helpers in config/env.py --------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), (" Yes ", True), ("on", True), ("0", False), ("False", False), ("no", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("DEBUG", raw)
    assert env_bool("DEBUG", default=not expected) is expected


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    assert env_bool("DEBUG", default=True) is True
    assert env_bool("DEBUG", default=False) is False


def test_env_bool_refuses_a_value_it_cannot_read(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG") as error:
        env_bool("DEBUG", default=True)
    assert "maybe" in str(error.value)


def test_env_int_refuses_a_value_it_cannot_read(monkeypatch):
    monkeypatch.setenv("OATH_DEADLINE_MONTHS", "two")
    with pytest.raises(ImproperlyConfigured, match="OATH_DEADLINE_MONTHS"):
        env_int("OATH_DEADLINE_MONTHS", default=2)
    monkeypatch.setenv("OATH_DEADLINE_MONTHS", "3")
    assert env_int("OATH_DEADLINE_MONTHS", default=2) == 3


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " eed.example.org, ,www.eed.example.org ")
    assert env_list("ALLOWED_HOSTS", default=[]) == ["eed.example.org", "www.eed.example.org"]


def test_env_int_list_reads_reminder_days_and_refuses_words(monkeypatch):
    monkeypatch.delenv("DECLARATION_REMINDER_DAYS", raising=False)
    assert env_int_list("DECLARATION_REMINDER_DAYS", default=[7, 14]) == [7, 14]
    monkeypatch.setenv("DECLARATION_REMINDER_DAYS", " 3, 10 ,")
    assert env_int_list("DECLARATION_REMINDER_DAYS", default=[7, 14]) == [3, 10]
    monkeypatch.setenv("DECLARATION_REMINDER_DAYS", "7,fourteen")
    with pytest.raises(ImproperlyConfigured, match="DECLARATION_REMINDER_DAYS"):
        env_int_list("DECLARATION_REMINDER_DAYS", default=[7, 14])


def test_env_str_without_default_requires_the_variable(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env_str("SECRET_KEY", default=None)
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    assert env_str("SECRET_KEY", default=None) == "s3cret"


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        (None, None, "http://127.0.0.1:8000"),
        ("localhost", "8101", "http://localhost:8101"),
        ("0.0.0.0", "8102", "http://127.0.0.1:8102"),  # noqa: S104 - what `make run HOST=0.0.0.0` passes
        ("::1", "8103", "http://[::1]:8103"),
    ],
)
def test_site_url_in_development_follows_the_served_host_and_port(monkeypatch, host, port, expected):
    monkeypatch.delenv("SITE_URL", raising=False)
    for name, value in (("HOST", host), ("PORT", port)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert env_site_url("SITE_URL", development=True) == expected


def test_site_url_in_production_ignores_host_and_port_and_refuses_what_is_no_address(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.setenv("PORT", "5000")
    assert env_site_url("SITE_URL", development=False) == "http://127.0.0.1:8000"
    monkeypatch.setenv("SITE_URL", "https://eed.example.org/")
    assert env_site_url("SITE_URL", development=False) == "https://eed.example.org"
    for bad in ("eed.example.org", "ftp://eed.example.org", "https://eed.example.org/?x=1"):
        monkeypatch.setenv("SITE_URL", bad)
        with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
            env_site_url("SITE_URL", development=True)
    monkeypatch.delenv("SITE_URL")
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(ImproperlyConfigured, match="PORT"):
        env_site_url("SITE_URL", development=True)


def test_email_url_unset_prints_mail_on_the_console(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    assert env_email("EMAIL_URL") == ("django.core.mail.backends.console.EmailBackend", {})


def test_email_url_smtp_with_starttls_and_encoded_password(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp+tls://user:p%40ss@mail.example.org:587")
    backend, options = env_email("EMAIL_URL")
    assert backend == "django.core.mail.backends.smtp.EmailBackend"
    assert options["EMAIL_HOST"] == "mail.example.org"
    assert options["EMAIL_PORT"] == 587
    assert options["EMAIL_HOST_USER"] == "user"
    assert options["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert options["EMAIL_USE_TLS"] is True
    assert "EMAIL_USE_SSL" not in options


def test_email_url_smtp_with_implicit_tls_defaults_to_port_465(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp+ssl://mail.example.org")
    _, options = env_email("EMAIL_URL")
    assert options["EMAIL_PORT"] == 465
    assert options["EMAIL_USE_SSL"] is True
    assert "EMAIL_USE_TLS" not in options


@pytest.mark.parametrize("url", ["ftp://x", "smtp://", "smtp://mail.example.org:twenty-five"])
def test_email_url_refuses_what_it_cannot_use(monkeypatch, url):
    monkeypatch.setenv("EMAIL_URL", url)
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env_email("EMAIL_URL")


def test_database_url_unset_is_sqlite_in_immediate_mode(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env_database("DATABASE_URL", sqlite_path=tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == tmp_path / "db.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_for_postgresql(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://eed:p%40ss@db.example.org:5432/eed")
    config = env_database("DATABASE_URL", sqlite_path=tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example.org", 5432, "eed")
    assert (config["USER"], config["PASSWORD"]) == ("eed", "p@ss")


def test_postgresql_connections_start_without_jit(monkeypatch, tmp_path):
    """JIT compiling cost more than the page queries themselves (issue #19): every connection turns it off."""
    monkeypatch.setenv("DATABASE_URL", "postgres://eed@db.example.org:5432/eed")
    config = env_database("DATABASE_URL", sqlite_path=tmp_path / "db.sqlite3")
    assert config["OPTIONS"]["options"] == "-c jit=off"


def test_database_url_for_sqlite_also_uses_immediate_mode(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/other.sqlite3")
    config = env_database("DATABASE_URL", sqlite_path=tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_refuses_an_unknown_scheme(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "nosuchdb://x/y")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", sqlite_path=tmp_path / "db.sqlite3")
