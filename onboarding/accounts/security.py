"""Who must use a second factor, and the session stamps that the middleware reads.

HR and administrators (``is_staff``/``is_superuser``) must have an allauth
MFA authenticator (TOTP app or WebAuthn key) before they may use the app;
managers and officiants may add one. allauth offers MFA, it does not enforce
it: ``onboarding.accounts.middleware.SecondFactorRequiredMiddleware`` does, with the
helpers here.

Having a factor is not enough: the session must have *used* it. Every way
in (password, e-mailed code, passkey, SSO) is allauth's login, whose MFA stage
asks for the factor and records it in the session's authentication records
("mfa"); Django's own admin login is not a way in (onboarding.views
.admin_login sends people to the app's login). A session counts as having
passed the second factor only when such a record is there, or when the user
set up their first factor in it. To keep the check off the hot path, the
session then remembers it, so a compliant user's requests cost no query. The
login time and last activity, for the idle and absolute session limits, are
stamped here too.
"""

import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings

from onboarding.accounts.roles import is_hr

SESSION_HAS_SECOND_FACTOR = "onboarding.mfa_ok"
SESSION_LOGIN_AT = "onboarding.login_at"
SESSION_SEEN_AT = "onboarding.seen_at"
# Last activity is written at most this often, so a request rarely writes the session.
SEEN_RESOLUTION_SECONDS = 60
FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def requires_second_factor(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.is_superuser or is_hr(user))


def has_second_factor(user) -> bool:
    """A TOTP app or a security key (recovery codes alone do not count)."""
    return Authenticator.objects.filter(user_id=user.pk, type__in=FACTOR_TYPES).exists()


def second_factor_used(request, user) -> bool:
    """Did this session's sign-in (or a re-authentication in it) pass a second factor?"""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def session_stamp_login(request, user, *, now: float | None = None) -> None:
    now = int(now if now is not None else time.time())
    session = request.session
    session[SESSION_LOGIN_AT] = now
    session[SESSION_SEEN_AT] = now
    if requires_second_factor(user) and second_factor_used(request, user):
        session[SESSION_HAS_SECOND_FACTOR] = True
    else:
        session.pop(SESSION_HAS_SECOND_FACTOR, None)


def session_expired(session, *, now: float) -> bool:
    """True when the session has been idle or alive too long; otherwise note the activity (coarsely)."""
    now = int(now)
    login_at = session.get(SESSION_LOGIN_AT)
    if login_at is None:  # a session from before these stamps existed
        session[SESSION_LOGIN_AT] = session[SESSION_SEEN_AT] = login_at = now
    seen_at = session.get(SESSION_SEEN_AT, login_at)
    if now - seen_at > settings.SESSION_IDLE_SECONDS or now - login_at > settings.SESSION_MAX_SECONDS:
        return True
    if now - seen_at >= SEEN_RESOLUTION_SECONDS:
        session[SESSION_SEEN_AT] = now
    return False


# --- signal receivers (connected in onboarding.apps) -------------------------------


def on_user_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_stamp_login(request, user)


def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    if request is not None and authenticator.type in FACTOR_TYPES:
        request.session[SESSION_HAS_SECOND_FACTOR] = True


def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    if request is not None and not has_second_factor(user):
        request.session.pop(SESSION_HAS_SECOND_FACTOR, None)


class MFAAdapter(DefaultMFAAdapter):
    """Users who must have a second factor cannot remove their last one."""

    def can_delete_authenticator(self, authenticator) -> bool:
        if authenticator.type not in FACTOR_TYPES or not requires_second_factor(authenticator.user):
            return True
        return (
            Authenticator.objects.filter(user_id=authenticator.user_id, type__in=FACTOR_TYPES)
            .exclude(pk=authenticator.pk)
            .exists()
        )
