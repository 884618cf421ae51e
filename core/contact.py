"""Whom people ask when something is unclear: the HR contact every public page and every mail names.

``HR_CONTACT_NAME`` (empty: "the HR department" in the reader's language),
``HR_CONTACT_EMAIL`` (empty: ``HR_MAILBOX``) and ``HR_CONTACT_PHONE``
(optional). Pages get it from the context processor ``core.contact.contact``
and show it through ``onboarding/partials/hr_contact.html``; mails through
``onboarding.mail.messages`` and the mail footers.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class HRContact:
    name: str
    email: str
    phone: str = ""

    @property
    def phone_uri(self) -> str:
        """``tel:`` plus the digits (and a leading +) of the phone number, for a link a phone can dial."""
        digits = re.sub(r"[^\d+]", "", self.phone)
        return f"tel:{digits}" if digits else ""


def hr_contact() -> HRContact:
    return HRContact(
        name=settings.HR_CONTACT_NAME or _("the HR department"),
        email=settings.HR_CONTACT_EMAIL or settings.HR_MAILBOX,
        phone=settings.HR_CONTACT_PHONE,
    )


def contact(request) -> dict:
    """Context processor: ``hr_contact`` on every page, signed in or not."""
    return {"hr_contact": hr_contact()}
