from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied

from onboarding.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """No public sign-up: HR or an administrator creates every account."""

    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request):
        """allauth's limits count the same client as ours (TRUST_X_FORWARDED_FOR), not the proxy in front."""
        address = client_ip(request)
        if address is None:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def send_mail(self, template_prefix, email, context):
        context = {**context, "organisation": settings.ORGANISATION_NAME, "site_url": settings.SITE_URL}
        return super().send_mail(template_prefix, email, context)
