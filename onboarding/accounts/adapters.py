from urllib.parse import urlsplit

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.core.exceptions import PermissionDenied
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation

from core.links import rebased
from core.ratelimit import client_ip
from core.text_rules import one_line
from onboarding.mail.messages import MailTemplates, mail_message


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
        """allauth builds the links in its mails (password reset, sign-up) from the request's host; ours all
        start with SITE_URL (``core.links``), whichever host name the page was asked through."""
        context = {key: _rebased_link(key, value) for key, value in context.items()}
        super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject):
        return one_line(super().format_email_subject(subject))

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's mails as ours (``onboarding.mail.messages``): plain-text subject and text part, escaped HTML.

        The same message allauth builds (``DefaultAccountAdapter.render_mail``: parts stripped, an HTML part
        only where its template exists), in the language of the page the mail was asked from.
        """
        html = f"{template_prefix}_message.{app_settings.TEMPLATE_EXTENSION}"
        templates = MailTemplates(
            subject=f"{template_prefix}_subject.txt",
            text=f"{template_prefix}_message.txt",
            html=html if _template_exists(html) else None,
        )
        message = mail_message(
            template=templates,
            context=context,
            to=email,
            language=translation.get_language(),
            from_email=self.get_from_email(),
            headers=headers,
            request=allauth_context.request,
            strip=True,
        )
        message.subject = self.format_email_subject(message.subject)
        return message


def _rebased_link(key: str, value):
    if key.endswith("_url") and isinstance(value, str) and urlsplit(value).scheme in ("http", "https"):
        return rebased(value)
    return value


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True
