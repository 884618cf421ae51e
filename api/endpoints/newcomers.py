"""/api/v1/newcomers: the list (filters for delta sync), one by id or by personnel number, and a PUT of many.

Personnel numbers stay out of URLs (they are personal data, and URLs end up in logs): a newcomer is found
by number with ``POST /newcomers/_zoek`` (the NL GOV rules' search with a body), and created or updated by
number with ``PUT /newcomers``, the collection, for one newcomer or up to 5,000, idempotently.
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from pydantic import ConfigDict

from api.batch import BatchConflict, checked_rows, newcomers_put
from api.clients import client_via
from api.endpoints.base import scoped
from api.endpoints.pages import PageQuery, paged
from api.endpoints.schemas import (
    KINDS,
    STATUSES,
    BatchResult,
    IsoDate,
    IsoMoment,
    Newcomer,
    NewcomerBatch,
    NewcomerPage,
    PersonnelNumberQuery,
)
from api.problems import invalid_param, problem
from core.clock import local_today
from eed.models import Appointment
from onboarding.models import DeclarationSignature
from onboarding.models import Newcomer as NewcomerModel
from onboarding.newcomers.selectors import status_q, with_status

router = Router(tags=["newcomers"])


class NewcomerFilters(Schema):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")
    status: STATUSES | None = Field(None, description="Derived status; declaration_required: any unsigned one.")
    kind: KINDS | None = None
    start_date_from: IsoDate | None = Field(None, alias="startDateFrom", description="Started on or after.")
    start_date_to: IsoDate | None = Field(None, alias="startDateTo", description="Started on or before.")
    changed_since: IsoMoment | None = Field(
        None,
        alias="changedSince",
        description="Changed, planned, sworn or signed since this moment (ISO 8601 with offset): for delta sync.",
    )


def newcomers_queryset():
    newcomers = NewcomerModel.objects.not_anonymised().select_related("manager")
    return with_status(newcomers, today=local_today())


def newcomer_json(newcomer) -> dict:
    return {
        "id": newcomer.pk,
        "personnel_number": newcomer.personnel_number,
        "given_names": newcomer.given_names,
        "surname_prefix": newcomer.surname_prefix,
        "surname": newcomer.surname,
        "email": newcomer.email,
        "start_date": newcomer.start_date,
        "deadline": newcomer.deadline,
        "end_date": newcomer.end_date,
        "kind": newcomer.kind,
        "appointing_body": newcomer.appointing_body,
        "manager_email": newcomer.manager.email if newcomer.manager_id else None,
        "language": newcomer.language,
        "status": newcomer.status,
        "created_at": newcomer.created_at,
        "updated_at": newcomer.updated_at,
    }


def _changed_since(moment: datetime.datetime) -> Q:
    """``moment`` is aware and in UTC (``IsoMoment`` makes it so)."""
    appointments = Appointment.objects.filter(newcomer=OuterRef("pk")).filter(
        Q(created_at__gte=moment) | Q(recorded_at__gte=moment) | Q(ended_at__gte=moment)
    )
    signatures = DeclarationSignature.objects.filter(newcomer=OuterRef("pk"), signed_at__gte=moment)
    return Q(updated_at__gte=moment) | Exists(appointments) | Exists(signatures)


@router.get(
    "/newcomers",
    response=NewcomerPage,
    **scoped("newcomers:read", operation_id="listNewcomers", summary="List newcomers"),
)
def list_newcomers(request, filters: Query[NewcomerFilters], page: Query[PageQuery]):
    newcomers = newcomers_queryset().order_by("id")
    if filters.status:
        newcomers = newcomers.filter(status_q(filters.status))
    if filters.kind:
        newcomers = newcomers.filter(kind=filters.kind)
    if filters.start_date_from:
        newcomers = newcomers.filter(start_date__gte=filters.start_date_from)
    if filters.start_date_to:
        newcomers = newcomers.filter(start_date__lte=filters.start_date_to)
    if filters.changed_since:
        newcomers = newcomers.filter(_changed_since(filters.changed_since))
    return paged(request, newcomers, page, newcomer_json)


@router.get(
    "/newcomers/{int:newcomerId}",
    response=Newcomer,
    **scoped(
        "newcomers:read", operation_id="getNewcomer", summary="One newcomer, by id", errors=(400, 401, 403, 404, 429)
    ),
)
def get_newcomer(request, newcomer_id: int = Path(..., alias="newcomerId")):
    return newcomer_json(get_object_or_404(newcomers_queryset(), pk=newcomer_id))


@router.post(
    "/newcomers/_zoek",
    response=Newcomer,
    **scoped(
        "newcomers:read",
        operation_id="findNewcomer",
        summary="One newcomer, by personnel number",
        errors=(400, 401, 403, 404, 429),
    ),
)
def find_newcomer(request, query: PersonnelNumberQuery):
    return newcomer_json(get_object_or_404(newcomers_queryset(), personnel_number=query.personnel_number.strip()))


@router.put(
    "/newcomers",
    response=BatchResult,
    **scoped(
        "newcomers:write",
        operation_id="putNewcomers",
        errors=(400, 401, 403, 409, 413, 429),
        summary="Create or update newcomers by personnel number",
        description=(
            "Up to 5,000 newcomers, all or none, checked by the rules and messages of the file import and the form. "
            "Idempotent: a repeated request changes nothing and says so (changed: false, every action unchanged). "
            "Problems answer 400 with one invalidParams entry per field: name newcomers.<index>.<field>."
        ),
    ),
)
def put_newcomers(request, payload: NewcomerBatch):
    items = [item.model_dump(exclude_unset=True) for item in payload.newcomers]
    rows, problems = checked_rows(items)
    if problems:
        return problem(
            400,
            detail=f"{len({p.index for p in problems})} of {len(rows)} newcomers have problems; nothing was written.",
            invalid_params=[invalid_param(p.name, p.reason) for p in problems],
        )
    try:
        outcome = newcomers_put(rows=rows, via=client_via(request.api_client))
    except BatchConflict:
        return problem(409, detail="Another request wrote these newcomers at the same moment; nothing was written.")
    return {**outcome.counts, "newcomers": outcome.rows}
