from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from core.ratelimit import client_ip
from core.text_rules import one_line
from onboarding.mail.text import render_subject, render_text


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

    def format_email_subject(self, subject):
        return one_line(super().format_email_subject(subject))

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's mails as ours: the subject and text part are plain text (not HTML-escaped), an HTML part escapes.

        The same message allauth builds (``DefaultAccountAdapter.render_mail``), rendered through
        ``onboarding.mail.text`` instead of the page engine.
        """
        request = allauth_context.request
        subject = self.format_email_subject(render_subject(f"{template_prefix}_subject.txt", context))
        body = render_text(f"{template_prefix}_message.txt", context, request).strip()
        message = EmailMultiAlternatives(
            subject, body, self.get_from_email(), [email] if isinstance(email, str) else email, headers=headers
        )
        try:
            html = render_to_string(f"{template_prefix}_message.{app_settings.TEMPLATE_EXTENSION}", context, request)
        except TemplateDoesNotExist:
            return message
        message.attach_alternative(html.strip(), "text/html")
        return message
