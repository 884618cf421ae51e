"""onboarding's records, one module per entity; imported from here (``from onboarding.models import Newcomer``)."""

from onboarding.models.accounts import EmailUserManager, User
from onboarding.models.declarations import DeclarationRequest, DeclarationSignature, DeclarationSignatureQuerySet
from onboarding.models.newcomers import ImportBatch, Newcomer, NewcomerQuerySet
from onboarding.models.organisation import OrganisationProfile, Text
from onboarding.models.records import AuditEntry, QueuedMail

__all__ = [
    "AuditEntry",
    "DeclarationRequest",
    "DeclarationSignature",
    "DeclarationSignatureQuerySet",
    "EmailUserManager",
    "ImportBatch",
    "Newcomer",
    "NewcomerQuerySet",
    "OrganisationProfile",
    "QueuedMail",
    "Text",
    "User",
]
