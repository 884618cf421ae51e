"""eed's records, one module per entity; imported from here (``from eed.models import Ceremony``)."""

from eed.models.calendar import CalendarFeed, DigestLog, InviteCopy
from eed.models.ceremonies import Appointment, Ceremony, Officiant, ProgrammeItem
from eed.models.dilemma import DilemmaSession
from eed.models.proofs import (
    Certificate,
    CertificateCounter,
    CertificateQuerySet,
    Correction,
    scan_folder,
    scan_upload_to,
)

__all__ = [
    "Appointment",
    "CalendarFeed",
    "Ceremony",
    "Certificate",
    "CertificateCounter",
    "CertificateQuerySet",
    "Correction",
    "DigestLog",
    "DilemmaSession",
    "InviteCopy",
    "Officiant",
    "ProgrammeItem",
    "scan_folder",
    "scan_upload_to",
]
