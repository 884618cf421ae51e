"""Read-only: ceremonies with their participants and witnesses' answers, certificates (with their PDF) and
the externals' declaration status.

The adapted-manner texts (health data) are never selected, so they cannot leave through the API.
"""

import datetime
from typing import Literal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from pydantic import ConfigDict

from api.endpoints.base import scoped
from api.endpoints.pages import PageQuery, paged
from api.endpoints.schemas import Camel, IsoDate, PageLinks
from core.clock import local_today
from core.links import absolute_url
from core.responses import PDF, file_response
from eed.enums import CeremonyState
from eed.models import Appointment, Ceremony, Certificate
from eed.proofs import documents
from onboarding.enums import Kind, Status
from onboarding.models import DeclarationSignature
from onboarding.models import Newcomer as NewcomerModel
from onboarding.newcomers.selectors import with_status

router = Router(tags=["records"])


class Participant(Camel):
    newcomer_id: int
    personnel_number: str
    witness_email: str | None
    witness_answer: Literal["pending", "confirmed", "declined"]
    form: Literal["oath", "affirmation", ""]
    outcome: Literal["taken", "absent", ""]


class CeremonyOut(Camel):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    video_url: str
    state: Literal[tuple(CeremonyState.values)]
    officiant_name: str
    participants: list[Participant]


class CeremonyPage(Camel):
    results: list[CeremonyOut]
    total_count: int
    links: PageLinks


class CeremonyFilters(Schema):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")
    state: Literal[tuple(CeremonyState.values)] | None = None
    starts_from: IsoDate | None = Field(None, alias="startsFrom", description="On or after this day.")
    starts_to: IsoDate | None = Field(None, alias="startsTo", description="On or before this day.")


# Only these fields of an appointment are read: never adapted_manner or adapted_manner_used.
APPOINTMENT_FIELDS = ("id", "ceremony_id", "newcomer__personnel_number", "newcomer_id", "witness__email")
APPOINTMENT_FIELDS += ("witness_answer", "form", "outcome")


def _ceremonies():
    current = Appointment.objects.filter(ended_at__isnull=True).order_by("id").only(*APPOINTMENT_FIELDS)
    current = current.select_related("newcomer", "witness")
    return Ceremony.objects.select_related("officiant").prefetch_related(
        Prefetch("appointments", queryset=current, to_attr="current")
    )


def _ceremony_json(ceremony) -> dict:
    return {
        "id": ceremony.pk,
        "starts_at": ceremony.starts_at,
        "ends_at": ceremony.ends_at,
        "place": ceremony.place,
        "video_url": ceremony.video_url,
        "state": ceremony.state,
        "officiant_name": ceremony.officiant.get_full_name() or ceremony.officiant.email,
        "participants": [
            {
                "newcomer_id": appointment.newcomer_id,
                "personnel_number": appointment.newcomer.personnel_number,
                "witness_email": appointment.witness.email if appointment.witness_id else None,
                "witness_answer": appointment.witness_answer,
                "form": appointment.form,
                "outcome": appointment.outcome,
            }
            for appointment in ceremony.current
        ],
    }


BINARY = {"type": "string", "format": "binary"}
NOT_FOUND = (400, 401, 403, 404, 429)


@router.get(
    "/ceremonies",
    response=CeremonyPage,
    **scoped("ceremonies:read", operation_id="listCeremonies", summary="List ceremonies with their participants"),
)
def list_ceremonies(request, filters: Query[CeremonyFilters], page: Query[PageQuery]):
    ceremonies = _ceremonies().order_by("starts_at", "id")
    if filters.state:
        ceremonies = ceremonies.filter(state=filters.state)
    if filters.starts_from:
        ceremonies = ceremonies.filter(starts_at__date__gte=filters.starts_from)
    if filters.starts_to:
        ceremonies = ceremonies.filter(starts_at__date__lte=filters.starts_to)
    return paged(request, ceremonies, page, _ceremony_json)


@router.get(
    "/ceremonies/{int:ceremonyId}",
    response=CeremonyOut,
    **scoped("ceremonies:read", operation_id="getCeremony", summary="One ceremony", errors=NOT_FOUND),
)
def get_ceremony(request, ceremony_id: int = Path(..., alias="ceremonyId")):
    return _ceremony_json(get_object_or_404(_ceremonies(), pk=ceremony_id))


class CertificateOut(Camel):
    id: int
    number: str
    newcomer_id: int
    date: datetime.date
    form: Literal["oath", "affirmation"]
    revoked: bool
    revoked_at: datetime.datetime | None
    pdf: str = Field(description="The proof as PDF (same scope).")


class CertificatePage(Camel):
    results: list[CertificateOut]
    total_count: int
    links: PageLinks


class CertificateFilters(Schema):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")
    newcomer_id: int | None = Field(None, alias="newcomerId", ge=1, le=2**62)
    revoked: bool | None = None


def _certificate_json(certificate) -> dict:
    return {
        "id": certificate.pk,
        "number": certificate.number,
        "newcomer_id": certificate.appointment.newcomer_id,
        "date": certificate.oath_date,
        "form": certificate.form,
        "revoked": certificate.revoked_at is not None,
        "revoked_at": certificate.revoked_at,
        "pdf": absolute_url(f"/api/v1/certificates/{certificate.pk}/pdf"),
    }


def _certificates():
    return Certificate.objects.select_related("appointment").order_by("id")


@router.get(
    "/certificates",
    response=CertificatePage,
    **scoped("certificates:read", operation_id="listCertificates", summary="List certificates"),
)
def list_certificates(request, filters: Query[CertificateFilters], page: Query[PageQuery]):
    certificates = _certificates()
    if filters.newcomer_id:
        certificates = certificates.filter(appointment__newcomer_id=filters.newcomer_id)
    if filters.revoked is not None:
        certificates = certificates.filter(revoked_at__isnull=not filters.revoked)
    return paged(request, certificates, page, _certificate_json)


@router.get(
    "/certificates/{int:certificateId}",
    response=CertificateOut,
    **scoped("certificates:read", operation_id="getCertificate", summary="One certificate", errors=NOT_FOUND),
)
def get_certificate(request, certificate_id: int = Path(..., alias="certificateId")):
    return _certificate_json(get_object_or_404(_certificates(), pk=certificate_id))


@router.get(
    "/certificates/{int:certificateId}/pdf",
    **scoped(
        "certificates:read",
        operation_id="getCertificatePdf",
        summary="The certificate as PDF",
        errors=NOT_FOUND,
        responses={
            "200": {"description": "The PDF.", "content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}
        },
    ),
)
def get_certificate_pdf(request, certificate_id: int = Path(..., alias="certificateId")):
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    return file_response(documents.certificate_pdf(certificate), filename=f"{certificate.number}.pdf", content_type=PDF)


DECLARATION_STATES = (Status.DECLARATION_NOT_SENT, Status.DECLARATION_SENT, Status.DECLARATION_OPENED)
DECLARATION_STATES += (Status.DECLARATION_SIGNED, Status.DECLARATION_EXPIRED)


class DeclarationOut(Camel):
    newcomer_id: int
    personnel_number: str
    status: Literal[tuple(state.value for state in DECLARATION_STATES)]
    signed_at: datetime.datetime | None


class DeclarationPage(Camel):
    results: list[DeclarationOut]
    total_count: int
    links: PageLinks


def _declaration_json(newcomer) -> dict:
    signatures = newcomer.valid_signatures
    return {
        "newcomer_id": newcomer.pk,
        "personnel_number": newcomer.personnel_number,
        "status": newcomer.status,
        "signed_at": signatures[0].signed_at if signatures else None,
    }


@router.get(
    "/declarations",
    response=DeclarationPage,
    **scoped(
        "declarations:read", operation_id="listDeclarations", summary="The integrity declaration of each external"
    ),
)
def list_declarations(request, page: Query[PageQuery]):
    valid = DeclarationSignature.objects.filter(withdrawn_at__isnull=True).only("newcomer_id", "signed_at")
    externals = NewcomerModel.objects.not_anonymised().filter(kind=Kind.EXTERNAL).order_by("id")
    externals = with_status(externals, today=local_today()).prefetch_related(
        Prefetch("declaration_signatures", queryset=valid, to_attr="valid_signatures")
    )
    return paged(request, externals, page, _declaration_json)
