"""Single sign-on end to end: allauth's OpenID Connect login against a provider served by the test.

``FakeProvider`` is a small OpenID Connect provider on 127.0.0.1 (a free
port, a thread), with Microsoft Entra ID's habits: discovery, ``/authorize``
(code flow; PKCE with S256 required), ``/token`` (client secret, PKCE
verifier, single-use codes, an RS256-signed ``id_token``), ``/jwks`` and
``/userinfo`` (bearer token). The browser is Django's test ``Client`` with
CSRF checks on; the test itself plays the browser's part at the provider.

allauth.socialaccount is installed only when OIDC_* is set
(config.settings), so this module installs it for its own tests: the
socialaccount settings come from running config/settings.py with OIDC_*
pointing at the fake provider, its tables are created for the module, and
its URLs are mounted as allauth.urls would have mounted them.
"""

import base64
import hashlib
import html
import json
import re
import runpy
import secrets
import threading
import time
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import import_module
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client, override_settings
from django.urls import include, path, reverse

from onboarding.models import User
from tests.factories import UserFactory
from tests.mfa_support import totp_code

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"
CLIENT_ID = "eed-onboarding-client"
CLIENT_SECRET = "client-secret-" + "x" * 16
PROVIDER_ID = "entra"  # the default of OIDC_PROVIDER_ID
KEY_ID = "test-signing-key"
# The redirect URI registered at the provider (README: <SITE_URL>/accounts/oidc/entra/login/callback/).
REGISTERED_REDIRECT_URI = f"http://testserver/accounts/oidc/{PROVIDER_ID}/login/callback/"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- the provider ------------------------------------------------------------------


class ProviderHandler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self._answer()

    def do_POST(self):
        self._answer()

    def _answer(self):
        provider = self.server.provider
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(length).decode())) if length else {}
        provider.seen.append((self.command, url.path))
        routes = {
            ("GET", "/.well-known/openid-configuration"): provider.discovery,
            ("GET", "/authorize"): provider.authorize,
            ("POST", "/token"): provider.token,
            ("GET", "/jwks"): provider.jwks,
            ("GET", "/userinfo"): provider.userinfo,
        }
        route = routes.get((self.command, url.path))
        try:
            status, headers, body = route(dict(parse_qsl(url.query)), form, self.headers) if route else (404, {}, {})
        except Exception as error:  # the test fails on it: see the provider fixture
            provider.failures.append(repr(error))
            status, headers, body = 500, {}, {"error": "server_error"}
        payload = json.dumps(body).encode()
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class FakeProvider:
    """An OpenID Connect provider that says no (HTTP 400/401) to anything a real one would refuse."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), ProviderHandler)
        self.server.daemon_threads = True
        self.server.provider = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.reset()

    def reset(self):
        self.user = None  # the claims of whoever signs in at /authorize next
        self.id_token_changes = {}  # claims to falsify in the next id_tokens
        self.codes = {}  # authorization code -> what /authorize granted
        self.access_tokens = {}  # access token -> the user's claims
        self.seen = []  # (method, path) of every request
        self.authorizations = []  # the query of every /authorize
        self.refusals = []  # why the provider said no
        self.failures = []  # exceptions in the provider itself

    def refuse(self, status, error, reason):
        self.refusals.append(reason)
        return status, {}, {"error": error, "error_description": reason}

    def discovery(self, query, form, headers):
        return (
            200,
            {},
            {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "userinfo_endpoint": f"{self.url}/userinfo",
                "jwks_uri": f"{self.url}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                "code_challenge_methods_supported": ["S256"],
                "scopes_supported": ["openid", "profile", "email"],
            },
        )

    def authorize(self, query, form, headers):
        self.authorizations.append(query)
        if query.get("client_id") != CLIENT_ID:
            return self.refuse(400, "unauthorized_client", "unknown client_id")
        if query.get("response_type") != "code":
            return self.refuse(400, "unsupported_response_type", "only the code flow")
        if "openid" not in query.get("scope", "").split():
            return self.refuse(400, "invalid_scope", "scope lacks openid")
        if query.get("redirect_uri") != REGISTERED_REDIRECT_URI:
            return self.refuse(400, "invalid_request", "redirect_uri is not the registered one")
        if not query.get("state"):
            return self.refuse(400, "invalid_request", "no state")
        if not query.get("code_challenge") or query.get("code_challenge_method") != "S256":
            return self.refuse(400, "invalid_request", "PKCE with S256 is required")
        if self.user is None:
            return self.refuse(400, "access_denied", "nobody signed in")
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "challenge": query["code_challenge"],
            "redirect_uri": query["redirect_uri"],
            "nonce": query.get("nonce"),
            "claims": dict(self.user),
        }
        callback = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return 302, {"Location": callback}, {}

    def token(self, query, form, headers):
        client_id, secret = form.get("client_id"), form.get("client_secret")
        authorization = headers.get("Authorization", "")
        if authorization.startswith("Basic "):
            client_id, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if (client_id, secret) != (CLIENT_ID, CLIENT_SECRET):
            return self.refuse(401, "invalid_client", "wrong client_id or client secret")
        if form.get("grant_type") != "authorization_code":
            return self.refuse(400, "unsupported_grant_type", "only authorization_code")
        grant = self.codes.pop(form.get("code"), None)
        if grant is None:
            return self.refuse(400, "invalid_grant", "unknown or used code")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self.refuse(400, "invalid_grant", "redirect_uri differs from the authorization's")
        if s256(form.get("code_verifier", "")) != grant["challenge"]:
            return self.refuse(400, "invalid_grant", "PKCE code_verifier does not match the code_challenge")
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = grant["claims"]
        return (
            200,
            {"Cache-Control": "no-store"},
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": "openid profile email",
                "id_token": self.id_token(grant["claims"], nonce=grant["nonce"]),
            },
        )

    def id_token(self, claims, *, nonce=None):
        """RS256 with the provider's key; the nonce echoed if /authorize had one (allauth sends none)."""
        now = int(time.time())
        payload = {"iss": self.url, "aud": CLIENT_ID, "iat": now, "nbf": now, "exp": now + 600, **claims}
        if nonce is not None:
            payload["nonce"] = nonce
        payload.update(self.id_token_changes)
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": KEY_ID})

    def jwks(self, query, form, headers):
        key = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return 200, {}, {"keys": [{**key, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]}

    def userinfo(self, query, form, headers):
        scheme, _, token = headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or token not in self.access_tokens:
            return self.refuse(401, "invalid_token", "userinfo without a valid access token")
        return 200, {}, self.access_tokens[token]


def signs_in(email, *, verified=True):
    """The claims of a directory user; ``verified=None`` leaves out email_verified (as Entra ID does)."""
    claims = {"sub": "sub-" + hashlib.sha256(email.lower().encode()).hexdigest()[:20], "email": email, "name": email}
    if verified is not None:
        claims["email_verified"] = verified
    return claims


# --- Django with single sign-on switched on -------------------------------------------


def settings_with_oidc(**variables) -> dict:
    """Run config/settings.py with the given OIDC_* variables set, and return its names."""
    with pytest.MonkeyPatch.context() as environment:
        for name in ("OIDC_PROVIDER_ID", "OIDC_NAME", "OIDC_VERIFIED_EMAIL_DOMAINS"):
            environment.delenv(name, raising=False)
        for name, value in variables.items():
            environment.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))


@pytest.fixture(scope="module")
def provider():
    server = FakeProvider()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture(scope="module")
def sso_installed(django_db_setup, django_db_blocker):
    """allauth.socialaccount installed as OIDC_* would install it, with its tables and URLs, for this module."""
    from allauth.socialaccount.providers import registry

    configured = settings_with_oidc(
        OIDC_SERVER_URL="https://login.example.org", OIDC_CLIENT_ID="id", OIDC_CLIENT_SECRET="secret"
    )
    extra_apps = [app for app in configured["INSTALLED_APPS"] if app not in django_settings.INSTALLED_APPS]
    assert extra_apps == ["allauth.socialaccount", "allauth.socialaccount.providers.openid_connect"]

    # allauth.urls picks its patterns when first imported: that must happen without socialaccount,
    # or every later test would see SSO URLs in the project's own URLconf.
    project_urls = import_module(django_settings.ROOT_URLCONF)
    registry_before = (registry.loaded, dict(registry.provider_map))
    admin_before = set(admin.site._registry)
    registry.loaded = False  # allauth registers the providers of the installed apps once
    installed = override_settings(INSTALLED_APPS=[*django_settings.INSTALLED_APPS, *extra_apps])
    installed.enable()
    models = list(apps.get_app_config("socialaccount").get_models())
    with django_db_blocker.unblock():
        existing = set(connection.introspection.table_names())
        with connection.schema_editor() as editor:
            for model in models:
                if model._meta.db_table not in existing:
                    editor.create_model(model)
    try:
        yield sso_urlconf(project_urls)
    finally:
        with django_db_blocker.unblock(), connection.schema_editor() as editor:
            for model in reversed(models):
                editor.delete_model(model)
        installed.disable()
        for model in set(admin.site._registry) - admin_before:
            admin.site.unregister(model)
        registry.loaded = registry_before[0]
        registry.provider_map.clear()
        registry.provider_map.update(registry_before[1])


def sso_urlconf(project_urls):
    """The project's URLs plus what allauth.urls adds when allauth.socialaccount is installed."""
    from allauth.urls import build_provider_urlpatterns

    urlconf = types.ModuleType("sso_urls")
    social = [path("3rdparty/", include("allauth.socialaccount.urls")), *build_provider_urlpatterns()]
    urlconf.urlpatterns = [path("accounts/", include(social)), *project_urls.urlpatterns]
    return urlconf


@pytest.fixture
def sso(settings, provider, sso_installed, monkeypatch):
    """Switch single sign-on on for one test, pointed at the fake provider; call again to change OIDC_*."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    provider.reset()
    settings.ROOT_URLCONF = sso_installed

    def configure(**variables):
        variables = {
            "OIDC_SERVER_URL": provider.url,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            **variables,
        }
        configured = settings_with_oidc(**variables)
        for name, value in configured.items():
            if name.startswith("SOCIALACCOUNT_"):
                setattr(settings, name, value)
        settings.CONTENT_SECURITY_POLICY = configured["CONTENT_SECURITY_POLICY"]
        app = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]
        assert app["settings"]["server_url"] == provider.url

    configure()
    yield configure
    assert provider.failures == []


# --- the browser's part --------------------------------------------------------------


def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def start_sso(client) -> str:
    """From the login page's SSO button to the provider: returns the URL the browser is sent to."""
    login_url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    page = client.get(reverse("account_login")).content.decode()
    button = re.search(rf'href="({re.escape(login_url)}[^"]*)"', page)
    assert button, "the login page has no single sign-on button"
    assert "Microsoft Entra ID" in page
    sso_url = html.unescape(button.group(1))

    return post_to_provider(client, sso_url)


def post_to_provider(client, sso_url) -> str:
    confirm = client.get(sso_url)  # allauth logs in by POST only: a GET shows a confirmation form
    assert confirm.status_code == 200
    response = client.post(sso_url, {"csrfmiddlewaretoken": csrf_token(confirm)})
    assert response.status_code == 302
    return response["Location"]


def csrf_token(response) -> str:
    return CSRF_FIELD.search(response.content.decode()).group(1)


def at_provider(authorize_url) -> str:
    """The user signs in at the provider, which sends the browser back: returns that callback URL."""
    with requests.Session() as session:
        session.trust_env = False  # never through a proxy
        response = session.get(authorize_url, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def back_at_app(client, callback_url):
    parts = urlsplit(callback_url)
    assert f"{parts.scheme}://{parts.netloc}" == "http://testserver"
    return client.get(f"{parts.path}?{parts.query}")


def sso_login(client, provider, claims):
    """The whole round trip as ``claims``' user; returns the app's answer to the callback."""
    provider.user = claims
    return back_at_app(client, at_provider(start_sso(client)))


def form_action_of_the_sso_page(client) -> str:
    """The browser applies CSP form-action to the redirect that follows the confirmation form."""
    sso_url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    policy = client.get(sso_url)["Content-Security-Policy"]
    return next(part for part in policy.split(";") if part.strip().startswith("form-action"))


def signed_in_user_id(client):
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def template_names(response) -> list[str]:
    return [template.name for template in response.templates]


def social_accounts():
    return apps.get_model("socialaccount", "SocialAccount").objects


def assert_nobody_signed_in(client):
    assert signed_in_user_id(client) is None
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- 1. an existing manager -----------------------------------------------------------


def test_a_manager_with_a_vouched_address_is_signed_in_and_linked_to_the_existing_account(sso, provider, manager):
    users = User.objects.count()
    client = browser()

    response = sso_login(client, provider, signs_in("manager@example.org"))

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert signed_in_user_id(client) == manager.pk
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200
    assert dashboard.context["user"] == manager

    link = social_accounts().get()
    assert (link.provider, link.uid, link.user) == (PROVIDER_ID, signs_in("manager@example.org")["sub"], manager)
    assert User.objects.count() == users


def test_the_flow_is_what_the_provider_expects(sso, provider, manager):
    """PKCE (S256), state, the registered redirect URI; the form may be redirected to the provider (CSP)."""
    client = browser()
    authorize_url = start_sso(client)

    assert authorize_url.startswith(f"{provider.url}/authorize?")
    query = dict(parse_qsl(urlsplit(authorize_url).query))
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["redirect_uri"] == REGISTERED_REDIRECT_URI
    assert set(query["scope"].split()) == {"openid", "profile", "email"}
    assert query["state"]
    assert provider.url in form_action_of_the_sso_page(client)

    provider.user = signs_in("manager@example.org")
    back_at_app(client, at_provider(authorize_url))

    assert signed_in_user_id(client) == manager.pk
    assert ("POST", "/token") in provider.seen and ("GET", "/userinfo") in provider.seen
    assert provider.refusals == [] and provider.codes == {}  # the code was redeemed, once


def test_a_second_sso_login_reuses_the_link(sso, provider, manager):
    sso_login(browser(), provider, signs_in("manager@example.org"))
    client = browser()

    sso_login(client, provider, signs_in("manager@example.org"))

    assert signed_in_user_id(client) == manager.pk
    assert social_accounts().filter(user=manager).count() == 1


def test_the_address_is_matched_regardless_of_case(sso, provider, manager):
    client = browser()

    sso_login(client, provider, signs_in("Manager@Example.ORG"))

    assert signed_in_user_id(client) == manager.pk


# --- 2. HR still gives a second factor ------------------------------------------------


def test_hr_is_sent_to_the_second_factor_after_sso_and_only_then_gets_in(sso, provider, hr):
    client = browser()

    response = sso_login(client, provider, signs_in("hr@example.org"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert_nobody_signed_in(client)
    assert social_accounts().get().user == hr

    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200
    code = totp_code(hr.totp_secret)
    response = client.post(reverse("mfa_authenticate"), {"code": code, "csrfmiddlewaretoken": csrf_token(page)})
    assert response.status_code == 302
    assert signed_in_user_id(client) == hr.pk
    assert client.get(reverse("dashboard")).status_code == 200


def test_hr_without_a_second_factor_is_sent_to_set_one_up_after_sso(sso, provider):
    new_hr = UserFactory(email="new.hr@example.org", roles=["HR"])
    client = browser()

    sso_login(client, provider, signs_in("new.hr@example.org"))

    assert signed_in_user_id(client) == new_hr.pk
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


# --- 3. no account, or an inactive one --------------------------------------------------


def test_an_address_without_an_account_is_refused_and_no_user_is_created(sso, provider, manager):
    users = User.objects.count()
    client = browser()

    response = sso_login(client, provider, signs_in("stranger@example.org"))

    assert response.status_code == 200
    assert "account/signup_closed.html" in template_names(response)
    assert "Accounts worden aangemaakt door HR" in response.content.decode()
    assert_nobody_signed_in(client)
    assert User.objects.count() == users
    assert not User.objects.filter(email="stranger@example.org").exists()
    assert not social_accounts().exists()


def test_an_inactive_account_is_refused(sso, provider):
    former = UserFactory(email="former@example.org", roles=["Manager"], is_active=False)
    client = browser()

    response = sso_login(client, provider, signs_in("former@example.org"))

    assert "account/signup_closed.html" in template_names(response)
    assert_nobody_signed_in(client)
    assert not social_accounts().filter(user=former).exists()


def test_an_account_deactivated_after_its_first_sso_login_is_refused(sso, provider, manager):
    sso_login(browser(), provider, signs_in("manager@example.org"))
    manager.is_active = False
    manager.save()
    client = browser()

    response = sso_login(client, provider, signs_in("manager@example.org"))

    assert response.status_code == 302
    assert response["Location"] == reverse("account_inactive")
    assert_nobody_signed_in(client)


# --- 4. the provider must vouch for the address ------------------------------------------


@pytest.mark.parametrize("verified", [False, "false", None], ids=["false", "string-false", "missing"])
def test_an_address_the_provider_does_not_vouch_for_is_refused(sso, provider, manager, verified):
    client = browser()

    response = sso_login(client, provider, signs_in("manager@example.org", verified=verified))

    assert "account/signup_closed.html" in template_names(response)
    assert_nobody_signed_in(client)
    assert not social_accounts().exists()


def test_without_email_verified_an_address_in_a_listed_domain_is_vouched_for(sso, provider):
    """The Entra ID case: no email_verified claim, but the tenant owns the domain."""
    sso(OIDC_VERIFIED_EMAIL_DOMAINS="zuid-holland.nl")
    employee = UserFactory(email="medewerker@zuid-holland.nl", roles=["Manager"])
    client = browser()

    sso_login(client, provider, signs_in("medewerker@Zuid-Holland.nl", verified=None))

    assert signed_in_user_id(client) == employee.pk
    assert social_accounts().get().user == employee


def test_a_listed_domain_does_not_vouch_for_other_domains(sso, provider, manager):
    sso(OIDC_VERIFIED_EMAIL_DOMAINS="zuid-holland.nl")
    client = browser()

    response = sso_login(client, provider, signs_in("manager@example.org", verified=None))

    assert "account/signup_closed.html" in template_names(response)
    assert_nobody_signed_in(client)


# --- 5. tampering ------------------------------------------------------------------------
# allauth checks the id_token's audience, issuer and expiry. It does not check its
# signature when it fetched the token from the token endpoint itself (OpenID Connect
# Core 3.1.3.7: TLS to that endpoint stands in for it; /jwks is never fetched), and it
# sends no nonce; state and PKCE protect the redirect instead, and are tested here.


@pytest.mark.parametrize(
    "falsified",
    [
        {"aud": "another-application"},
        {"iss": "http://127.0.0.1:9/evil"},
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200, "nbf": int(time.time()) - 7200},
    ],
    ids=["wrong-audience", "wrong-issuer", "expired"],
)
def test_a_falsified_id_token_signs_nobody_in(sso, provider, manager, falsified):
    provider.id_token_changes = falsified
    client = browser()

    response = sso_login(client, provider, signs_in("manager@example.org"))

    assert "socialaccount/authentication_error.html" in template_names(response)
    assert_nobody_signed_in(client)
    assert not social_accounts().exists()


def test_a_callback_from_another_browser_is_refused(sso, provider, manager, officiant):
    """Login CSRF: the attacker's own code and state, planted in the victim's browser."""
    attacker = browser()
    provider.user = signs_in("secretaris@example.org")
    planted = at_provider(start_sso(attacker))
    victim = browser()
    start_sso(victim)  # the victim's own flow is pending: its state is in the victim's session

    response = back_at_app(victim, planted)

    assert "socialaccount/authentication_error.html" in template_names(response)
    assert_nobody_signed_in(victim)
    assert ("POST", "/token") not in provider.seen  # refused before the code was redeemed


@pytest.mark.parametrize("state", ["forged", "missing"])
def test_a_callback_with_a_wrong_state_is_refused(sso, provider, manager, state):
    client = browser()
    provider.user = signs_in("manager@example.org")
    parts = urlsplit(at_provider(start_sso(client)))
    query = dict(parse_qsl(parts.query))
    if state == "missing":
        del query["state"]
    else:
        query["state"] = secrets.token_urlsafe(9)

    response = client.get(f"{parts.path}?{urlencode(query)}")

    assert "socialaccount/authentication_error.html" in template_names(response)
    assert_nobody_signed_in(client)


def test_a_code_issued_to_another_browser_fails_pkce(sso, provider, manager, officiant):
    """Code injection: a stolen code with the victim's own state; the victim's PKCE verifier does not match."""
    attacker = browser()
    provider.user = signs_in("secretaris@example.org")
    stolen_code = dict(parse_qsl(urlsplit(at_provider(start_sso(attacker))).query))["code"]
    victim = browser()
    victims_state = dict(parse_qsl(urlsplit(start_sso(victim)).query))["state"]
    injected = f"{REGISTERED_REDIRECT_URI}?{urlencode({'code': stolen_code, 'state': victims_state})}"

    response = back_at_app(victim, injected)

    assert "socialaccount/authentication_error.html" in template_names(response)
    assert provider.refusals == ["PKCE code_verifier does not match the code_challenge"]
    assert_nobody_signed_in(victim)
    assert not social_accounts().exists()


def test_a_wrong_client_secret_is_refused_by_the_provider(sso, provider, manager):
    sso(OIDC_CLIENT_SECRET="not-the-secret")
    client = browser()

    response = sso_login(client, provider, signs_in("manager@example.org"))

    assert "socialaccount/authentication_error.html" in template_names(response)
    assert provider.refusals == ["wrong client_id or client secret"]
    assert_nobody_signed_in(client)


# --- linking from the account pages follows the same rule ----------------------------------


def connect_as(client, provider, claims):
    """A signed-in user adds an SSO identity from the account pages (allauth's process=connect)."""
    provider.user = claims
    connect_url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID}) + "?process=connect"
    return back_at_app(client, at_provider(post_to_provider(client, connect_url)))


def signed_in_with_password(email) -> Client:
    client = browser()
    page = client.get(reverse("account_login"))
    form = {"login": email, "password": "correct horse battery staple", "csrfmiddlewaretoken": csrf_token(page)}
    assert client.post(reverse("account_login"), form).status_code == 302
    return client


def test_a_signed_in_user_cannot_link_another_sso_identity(sso, provider, manager):
    client = signed_in_with_password("manager@example.org")
    someone_else = signs_in("someone.else@elsewhere.example", verified=False)

    response = connect_as(client, provider, someone_else)

    assert "socialaccount/authentication_error.html" in template_names(response)
    assert not social_accounts().exists()
    stranger = browser()
    sso_login(stranger, provider, someone_else)
    assert_nobody_signed_in(stranger)


def test_a_signed_in_user_may_link_their_own_vouched_identity(sso, provider, manager):
    client = signed_in_with_password("manager@example.org")

    response = connect_as(client, provider, signs_in("manager@example.org"))

    assert response.status_code == 302
    assert social_accounts().get().user == manager
    assert signed_in_user_id(client) == manager.pk
