"""Per-request account rules: the user's language, idle and maximum session times, the second factor."""

import posixpath
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from core.languages import requested_language
from onboarding.accounts.security import (
    SESSION_HAS_SECOND_FACTOR,
    has_second_factor,
    requires_second_factor,
    second_factor_used,
    session_expired,
)


class UserLanguageMiddleware:
    """Activates the requested language for the whole request (replaces LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = requested_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class SessionTimeoutMiddleware:
    """Signed-in sessions end after SESSION_IDLE_SECONDS without a request, and SESSION_MAX_SECONDS after login.

    Django has no idle timeout; the times live in the session
    (onboarding.accounts.security), written at most once a minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and session_expired(request.session, now=time.time()):
            logout(request)
            messages.info(request, _("Your session has ended. Please log in again."))
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


def _second_factor_exempt_prefixes() -> tuple[str, ...]:
    """allauth's pages (login, logout, MFA set-up), static files and the language switch."""
    accounts = posixpath.commonpath([reverse("account_logout"), reverse("mfa_index")]).rstrip("/") + "/"
    static = "/" + settings.STATIC_URL.lstrip("/") if "://" not in settings.STATIC_URL else None
    return tuple(prefix for prefix in (accounts, static, reverse("language_set")) if prefix and prefix != "/")


class SecondFactorRequiredMiddleware:
    """HR and administrators get in only with a second factor used in this session.

    Without a TOTP app or security key they may only set one up (or log out);
    with one, a session that did not pass it (a role granted after login, a
    session from before this rule) is ended and they log in again, through the
    MFA stage. At most one query per request: the session remembers that it
    passed, and the role check shares the per-request cache of onboarding.accounts.roles.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.session.get(SESSION_HAS_SECOND_FACTOR)
            and not request.path_info.startswith(_second_factor_exempt_prefixes())
            and requires_second_factor(user)
        ):
            if not has_second_factor(user):
                messages.warning(
                    request,
                    _("Your role requires two-factor authentication. Set up an authenticator app or a security key."),
                )
                return redirect("mfa_index")
            if not second_factor_used(request, user):
                logout(request)
                messages.info(request, _("Your role requires your second factor. Please log in again."))
                return redirect_to_login(request.get_full_path())
            request.session[SESSION_HAS_SECOND_FACTOR] = True
        return self.get_response(request)
