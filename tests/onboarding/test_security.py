"""Web hardening: CSP without inline code, secure cookies and HSTS in production, a shared cache, SSO settings."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.onboarding.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style|\sstyle=", re.IGNORECASE)


def csp_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_pages_carry_a_policy_without_unsafe_inline(client, hr_client):
    for response in (client.get(reverse("account_login")), hr_client.get(reverse("dashboard"))):
        policy = csp_of(response)
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "unsafe-eval" not in response["Content-Security-Policy"]
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["img-src"] == ["'self'", "data:"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["form-action"] == ["'self'"]


def test_responses_say_nosniff_and_limit_the_referrer(client):
    response = client.get(reverse("account_login"))

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_page_template_has_inline_scripts_or_styles():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if "email" in path.parts:  # mail is not a web page: CSP does not apply, mail clients need inline styles
            continue
        text = path.read_text()
        if INLINE_SCRIPT.search(text) or INLINE_STYLE.search(text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


@pytest.mark.parametrize(
    "name", ["account_login", "mfa_index", "mfa_activate_totp", "mfa_add_webauthn", "account_change_password"]
)
def test_the_account_and_mfa_pages_we_use_render_without_inline_code(hr_client, name):
    html = hr_client.get(reverse(name), follow=True).content.decode()

    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)


def test_the_passkey_button_and_its_scripts_come_from_our_own_static_files(client):
    html = client.get(reverse("account_login")).content.decode()

    assert 'id="passkey_login"' in html
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources and all(source.startswith("/static/") for source in sources)


# --- production settings (in a subprocess, as the server would read them) ----------------------

PRINT_SETTINGS = """
import json
from django.conf import settings as s
print(json.dumps({
    "hsts": s.SECURE_HSTS_SECONDS, "hsts_sub": s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "ssl": s.SECURE_SSL_REDIRECT,
    "session_secure": s.SESSION_COOKIE_SECURE, "csrf_secure": s.CSRF_COOKIE_SECURE,
    "session_httponly": s.SESSION_COOKIE_HTTPONLY, "nosniff": s.SECURE_CONTENT_TYPE_NOSNIFF,
    "referrer": s.SECURE_REFERRER_POLICY, "cache": s.CACHES["default"],
    "apps": [app for app in s.INSTALLED_APPS if "socialaccount" in app],
    "providers": getattr(s, "SOCIALACCOUNT_PROVIDERS", None),
    "form_action": s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"],
    "middleware": s.MIDDLEWARE,
}))
"""


def production_settings(**variables) -> dict:
    result = manage("shell", "-c", PRINT_SETTINGS, **{**PRODUCTION, **variables})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_turns_on_hsts_secure_cookies_and_the_shared_database_cache():
    values = production_settings()

    assert values["hsts"] == 31536000 and values["hsts_sub"] is True and values["ssl"] is True
    assert values["session_secure"] and values["csrf_secure"] and values["session_httponly"]
    assert values["nosniff"] is True and values["referrer"] == "same-origin"
    assert values["cache"]["BACKEND"] == "config.cache.DatabaseCache"
    assert values["cache"]["LOCATION"] == "cache_table"
    assert "csp.middleware.CSPMiddleware" in values["middleware"]
    assert values["middleware"].index("onboarding.accounts.middleware.SecondFactorRequiredMiddleware") > values[
        "middleware"
    ].index("allauth.account.middleware.AccountMiddleware")


def test_cache_url_chooses_redis():
    values = production_settings(CACHE_URL="redis://127.0.0.1:6379/1")

    assert values["cache"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }


def test_an_unknown_cache_url_stops_the_application():
    result = manage("check", CACHE_URL="memcached://x", **PRODUCTION)
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr


def test_without_oidc_variables_nothing_of_socialaccount_is_enabled():
    values = production_settings()

    assert values["apps"] == []
    assert values["providers"] is None
    assert values["form_action"] == ["'self'"]


def test_oidc_variables_configure_the_provider_for_entra_id():
    values = production_settings(
        OIDC_SERVER_URL="https://login.microsoftonline.com/0000-tenant/v2.0",
        OIDC_CLIENT_ID="client-id",
        OIDC_CLIENT_SECRET="client-secret",
        OIDC_VERIFIED_EMAIL_DOMAINS="zuid-holland.nl",
    )

    assert values["apps"] == ["allauth.socialaccount", "allauth.socialaccount.providers.openid_connect"]
    app = values["providers"]["openid_connect"]["APPS"][0]
    assert app["provider_id"] == "entra" and app["name"] == "Microsoft Entra ID"
    assert (app["client_id"], app["secret"]) == ("client-id", "client-secret")
    assert app["settings"] == {
        "server_url": "https://login.microsoftonline.com/0000-tenant/v2.0",
        "verified_email": ["zuid-holland.nl"],
    }
    assert values["form_action"] == ["'self'", "https://login.microsoftonline.com"]


def test_half_an_oidc_configuration_stops_the_application():
    result = manage("check", OIDC_SERVER_URL="https://login.microsoftonline.com/x/v2.0", **PRODUCTION)
    assert result.returncode != 0
    assert "OIDC_CLIENT_ID" in result.stderr


def test_with_oidc_the_deploy_check_stays_clean():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        OIDC_SERVER_URL="https://login.microsoftonline.com/x/v2.0",
        OIDC_CLIENT_ID="id",
        OIDC_CLIENT_SECRET="secret",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr


SSO_SCRIPT = """
import json
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.management import call_command
from django.test import RequestFactory
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount, SocialLogin
from onboarding.models import User

call_command("migrate", verbosity=0)
hr = User.objects.create_user(email="hanna@zuid-holland.nl")
request = RequestFactory().get("/accounts/oidc/entra/login/callback/")
SessionMiddleware(lambda r: None).process_request(request)
request.session.save()
request._messages = FallbackStorage(request)
request.user = AnonymousUser()

def sso_login(email, verified):
    account = SocialAccount(provider="entra", uid="uid-" + email, extra_data={"email": email})
    return SocialLogin(account=account, email_addresses=[EmailAddress(email=email, verified=verified, primary=True)])

with context.request_context(request):
    adapter = get_adapter(request)
    provider = adapter.get_provider(request, "entra")
    stranger = sso_login("stranger@zuid-holland.nl", True)
    adapter.pre_social_login(request, stranger)
    unvouched = sso_login("hanna@zuid-holland.nl", False)
    adapter.pre_social_login(request, unvouched)
    known = sso_login("Hanna@Zuid-Holland.nl", True)
    adapter.pre_social_login(request, known)
    print(json.dumps({
        "open_for_signup": adapter.is_open_for_signup(request, stranger),
        "stranger_linked": stranger.is_existing,
        "unvouched_linked": unvouched.is_existing,
        "known_linked_to": known.account.user_id if known.is_existing else None,
        "hr": hr.pk,
        "own_domain_vouched": adapter.is_email_verified(provider, "x@zuid-holland.nl"),
        "other_domain_vouched": adapter.is_email_verified(provider, "x@example.org"),
        "accounts": SocialAccount.objects.count(),
    }))
"""


def test_sso_only_links_existing_accounts_by_an_address_the_provider_vouches_for(tmp_path):
    result = manage(
        "shell",
        "-c",
        SSO_SCRIPT,
        DATABASE_URL=f"sqlite:///{tmp_path}/sso.sqlite3",
        OIDC_SERVER_URL="https://login.microsoftonline.com/0000-tenant/v2.0",
        OIDC_CLIENT_ID="client-id",
        OIDC_CLIENT_SECRET="client-secret",
        OIDC_VERIFIED_EMAIL_DOMAINS="zuid-holland.nl",
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])

    assert outcome["open_for_signup"] is False
    assert outcome["stranger_linked"] is False
    assert outcome["unvouched_linked"] is False
    assert outcome["known_linked_to"] == outcome["hr"]
    assert outcome["own_domain_vouched"] is True and outcome["other_domain_vouched"] is False
    assert outcome["accounts"] == 1


def test_with_oidc_the_login_page_offers_single_sign_on(tmp_path):
    script = (
        "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"
        "from django.test import Client\n"
        "html = Client().get('/accounts/login/').content.decode()\n"
        "print('SSO' if '/accounts/oidc/entra/login/' in html and 'Microsoft Entra ID' in html else 'NONE')\n"
    )
    result = manage(
        "shell",
        "-c",
        script,
        DATABASE_URL=f"sqlite:///{tmp_path}/sso.sqlite3",
        OIDC_SERVER_URL="https://login.microsoftonline.com/0000-tenant/v2.0",
        OIDC_CLIENT_ID="client-id",
        OIDC_CLIENT_SECRET="client-secret",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "SSO"


def test_without_oidc_the_login_page_has_no_sso_button(client):
    assert "/accounts/oidc/" not in client.get(reverse("account_login")).content.decode()
