"""The organisation's details and texts (oath, affirmation, declaration) in force on a day."""

import datetime
import re

from django.conf import settings
from django.utils import translation

from core.clock import local_today
from core.pdf_house import OrganisationData
from onboarding.models import OrganisationProfile, Text


def text_current(kind, *, language: str = "nl", today: datetime.date | None = None) -> Text | None:
    """The version in force today in that language, falling back to Dutch."""
    today = today or local_today()
    versions = Text.objects.filter(kind=kind, valid_from__lte=today).order_by("-valid_from", "-version")
    return versions.filter(language=language).first() or versions.filter(language="nl").first()


def organisation_current(*, today: datetime.date | None = None) -> OrganisationProfile | None:
    """The organisation's details in force on that day (name, certificate prefix, address, logo)."""
    today = today or local_today()
    return OrganisationProfile.objects.filter(valid_from__lte=today).order_by("-valid_from", "-id").first()


def organisation_data(profile: OrganisationProfile | None, *, logos: dict | None = None) -> OrganisationData:
    """The organisation as every PDF's header shows it (``logos`` keeps each logo file read once per document)."""
    if profile is None:
        return OrganisationData(name=str(settings.ORGANISATION_NAME))
    logo = None
    if profile.logo:
        logos = {} if logos is None else logos
        if profile.logo.name not in logos:
            with profile.logo.open("rb") as handle:
                logos[profile.logo.name] = handle.read()
        logo = logos[profile.logo.name]
    return OrganisationData(name=profile.name, address=profile.address, logo=logo)


def organisation_in_text() -> str:
    """The organisation as a sentence in the active language names it.

    Dutch puts the article before it and writes the common noun in lower case: "Welkom bij de provincie
    Zuid-Holland", while the name itself (headers, signatures, proofs) stays "Provincie Zuid-Holland".
    ``ORGANISATION_NAME_IN_TEXT`` says it for Dutch; unset, "Provincie X" becomes "de provincie X".
    """
    name = str(settings.ORGANISATION_NAME)
    if translation.get_language() != "nl":
        return name
    return settings.ORGANISATION_NAME_IN_TEXT or re.sub(r"^Provincie\b", "de provincie", name)
