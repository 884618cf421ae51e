"""One invite mail per recipient around a calendar from ``eed.calendar.ical``.

    message = invite_message(calendar=request_calendar(event), to=newcomer.email,
                             from_email="HR <hr@example.org>", subject=..., text=..., html=...)
    message.send()

The subject, text and HTML come from ``onboarding.mail.messages.mail_texts``
(``eed.calendar.invites``), like every other mail's; only the MIME tree is
built here.

The MIME tree (what Outlook, Gmail and Apple Mail recognise as an invite):

    multipart/mixed
      multipart/alternative
        text/plain; charset="utf-8"
        text/html; charset="utf-8"
        text/calendar; method=REQUEST; charset=UTF-8     (base64, CRLF kept; method = METHOD inside)
      application/ics; name="invite.ics"                  (attachment, the same bytes)

Django's ``attach_alternative(ics, "text/calendar; method=REQUEST; charset=UTF-8")``
is not used: Django 5.2 passes the parameters through as part of the subtype and
then adds its own charset, giving ``method="REQUEST"; charset="utf-8";
charset="utf-8"``. The calendar part is built with the standard library instead
and put into the tree Django builds, so Django still handles the headers.
"""

from collections.abc import Sequence
from email import encoders
from email.mime.base import MIMEBase
from email.utils import parseaddr

from django.core.mail import EmailMultiAlternatives

from eed.calendar.ical import PUBLISH, calendar_attendee_addresses, calendar_method

ATTACHMENT_NAME = "invite.ics"


class InviteEmail(EmailMultiAlternatives):
    """An EmailMultiAlternatives whose alternative part also holds the calendar (``text/calendar``).

    ``calendar`` and ``method`` stay available as attributes, e.g. for tests reading ``mail.outbox``.
    """

    def __init__(self, *, calendar: bytes, method: str, attach_file: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.calendar = calendar
        self.method = method
        if attach_file:
            self.attach(_ics_attachment(calendar))

    def message(self, *args, **kwargs):
        msg = super().message(*args, **kwargs)
        alternative = next(part for part in msg.walk() if part.get_content_type() == "multipart/alternative")
        alternative.attach(_calendar_part(self.calendar, self.method))
        return msg


def invite_message(
    *,
    calendar: bytes,
    to: str,
    from_email: str,
    subject: str,
    text: str,
    html: str,
    method: str | None = None,
    reply_to: Sequence[str] | None = None,
    attach_file: bool = True,
) -> InviteEmail:
    """The mail for one recipient. ``to`` (an address, or "Name <address>") must be an ATTENDEE of the calendar.

    ``method`` defaults to the calendar's METHOD; when given it must equal it (Outlook rejects a
    mismatch). Send the same calendar bytes to each recipient, one mail each.
    """
    inside = calendar_method(calendar)
    if method is not None and method.upper() != inside:
        raise ValueError(f"method={method!r} differs from METHOD:{inside} inside the calendar")
    address = parseaddr(to)[1].lower()
    if not address:
        raise ValueError(f"Not an e-mail address: {to!r}")
    if inside != PUBLISH and address not in calendar_attendee_addresses(calendar):
        raise ValueError(f"{address} is not an ATTENDEE of this calendar")
    message = InviteEmail(
        calendar=calendar,
        method=inside,
        attach_file=attach_file,
        subject=subject,
        body=text,
        from_email=from_email,
        to=[to],
        reply_to=list(reply_to or []),
    )
    message.attach_alternative(html, "text/html")
    return message


def _calendar_part(calendar: bytes, method: str) -> MIMEBase:
    """``text/calendar; method=...; charset=UTF-8`` in base64, so the CRLF line ends arrive intact."""
    part = MIMEBase("text", "calendar")
    part.replace_header("Content-Type", f"text/calendar; method={method}; charset=UTF-8")
    part.set_payload(calendar)
    encoders.encode_base64(part)
    return part


def _ics_attachment(calendar: bytes) -> MIMEBase:
    part = MIMEBase("application", "ics", name=ATTACHMENT_NAME)
    part.set_payload(calendar)
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=ATTACHMENT_NAME)
    return part
