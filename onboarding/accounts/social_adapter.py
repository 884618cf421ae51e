"""Single sign-on (OpenID Connect, e.g. Microsoft Entra ID) for existing accounts only.

Loaded only when OIDC_* is configured (config.settings), because it needs
``allauth.socialaccount`` installed. Nobody signs up through SSO: a first SSO
login is linked to the existing, active account with the same e-mail address,
provided the provider vouches for that address (an ``email_verified`` claim,
or a domain listed in OIDC_VERIFIED_EMAIL_DOMAINS). allauth's own "e-mail
authentication" is not used: it would wipe the password of accounts whose
address it has not seen verified, and here HR creates every account.
Connecting from the account pages ("process=connect") follows the same rule:
it may not link a signed-in account to any other SSO identity.
"""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.base import AuthError, AuthProcess

from onboarding.models import User


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        if sociallogin.is_existing:
            return
        verified = [address.email for address in sociallogin.email_addresses if address.verified]
        for email in verified:
            user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
            if user is not None:
                sociallogin.connect(request, user)
                return
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            raise ImmediateHttpResponse(render_authentication_error(request, sociallogin.provider, AuthError.DENIED))
