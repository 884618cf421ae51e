"""Every mail the application sends is rendered here, in its recipient's language.

    mail_message(
        template="eed/email/witness_request", context={"appointment": appointment, ...},
        to=witness.email, language=witness.language,
    ).send()  # EMAIL_BACKEND queues it (onboarding.mail.outbox)

A mail is the templates named after one prefix: ``<prefix>_subject.txt`` (put
on one line), ``<prefix>.txt`` (the text part) and, with ``html=True``,
``<prefix>.html`` (an HTML alternative); ``MailTemplates`` names them
otherwise (allauth's ``<prefix>_message.txt``). The subject and the text part
are plain text (the ``text`` engine of ``onboarding.mail.text``: no HTML
escaping); the HTML part goes through the page engine, which escapes. All of
them, and the file names of attachments (which may be lazy translations), are
rendered with the recipient's language active. Every context holds
``organisation`` (the name), ``organisation_in_text`` (as a sentence in the
recipient's language names it: "Welkom bij de provincie Zuid-Holland"),
``site_url`` (``core.links``) and ``hr_contact`` (``core.contact``, which the
footer of every mail shows: ``onboarding/email/_footer.txt`` and ``_footer.html``).

``mail_texts`` renders without building the message, for a mail with a MIME
structure of its own (the calendar invites, ``eed.calendar.invite_mail``).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from core.contact import hr_contact
from core.links import site_root
from core.text_rules import one_line
from onboarding.mail.text import render_text
from onboarding.organisation import organisation_in_text


@dataclass(frozen=True)
class MailTemplates:
    """The template names of one mail; ``html`` is None for a mail without an HTML part."""

    subject: str
    text: str
    html: str | None = None

    @classmethod
    def named(cls, prefix: str, *, html: bool = False) -> "MailTemplates":
        return cls(subject=f"{prefix}_subject.txt", text=f"{prefix}.txt", html=f"{prefix}.html" if html else None)


@dataclass(frozen=True)
class MailTexts:
    subject: str
    text: str
    html: str | None


def _language(language: str | None) -> str:
    """The recipient's language; the default language when none is known."""
    return language or settings.LANGUAGE_CODE


def mail_texts(
    templates: MailTemplates, context: dict, *, language: str | None, request=None, strip: bool = False
) -> MailTexts:
    """The subject (one line), text part and HTML part (or None) of a mail, in ``language``.

    ``strip`` takes the white space off the ends of both parts (allauth's own rendering does).
    """
    context = {
        "organisation": settings.ORGANISATION_NAME,
        "site_url": site_root(),
        "hr_contact": hr_contact(),
        **context,
    }
    with translation.override(_language(language)):
        context.setdefault("organisation_in_text", organisation_in_text())
        subject = one_line(render_text(templates.subject, context, request))
        text = render_text(templates.text, context, request)
        html = render_to_string(templates.html, context, request) if templates.html else None
    if strip:
        text, html = text.strip(), html.strip() if html is not None else None
    return MailTexts(subject=subject, text=text, html=html)


def mail_message(
    *,
    template: str | MailTemplates,
    context: dict,
    to: str | Sequence[str],
    language: str | None,
    html: bool = False,
    attachments: Sequence[tuple] = (),
    from_email: str | None = None,
    headers: dict | None = None,
    request=None,
    strip: bool = False,
) -> EmailMultiAlternatives:
    """One mail, rendered in the recipient's ``language``; ``send()`` it inside the transaction that causes it.

    ``template`` is a prefix (``MailTemplates.named(template, html=html)``) or the names themselves.
    ``attachments`` are ``(filename, content, mimetype)``; a lazy file name is translated as well.
    """
    if isinstance(template, str):
        template = MailTemplates.named(template, html=html)
    texts = mail_texts(template, context, language=language, request=request, strip=strip)
    message = EmailMultiAlternatives(
        subject=texts.subject,
        body=texts.text,
        from_email=from_email,
        to=[to] if isinstance(to, str) else list(to),
        headers=headers,
    )
    if texts.html is not None:
        message.attach_alternative(texts.html, "text/html")
    with translation.override(_language(language)):
        for filename, content, mimetype in attachments:
            message.attach(str(filename), content, mimetype)
    return message
