from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """No public sign-up: HR or an administrator creates every account."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        context = {**context, "organisation": settings.ORGANISATION_NAME, "site_url": settings.SITE_URL}
        return super().send_mail(template_prefix, email, context)
