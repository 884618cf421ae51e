"""Second factors for test users: HR and administrators must have one (onboarding.accounts.security)."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value


def give_totp(user) -> str:
    """Activate an authenticator app for ``user``; returns its secret (for totp_code)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code the authenticator app shows at ``at`` (now by default)."""
    counter = int((time.time() if at is None else at) // 30)
    return format_hotp_value(hotp_value(secret, counter))


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def sign_in(client, user) -> None:
    """Sign ``user`` in on ``client`` as a full login would: with their second factor, when they have one.

    force_login alone skips allauth's MFA stage, so the session would not count
    as having passed it; this writes the record that the stage writes.
    """
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    from onboarding.accounts.security import SESSION_HAS_SECOND_FACTOR

    client.force_login(user)
    if not Authenticator.objects.filter(user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]):
        return
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "mfa", "at": time.time(), "type": "totp"}]
    session["account_authentication_methods_user"] = str(user.pk)
    session[SESSION_HAS_SECOND_FACTOR] = True  # what the login hook stamps after the MFA stage
    session.save()
