"""What the API's JSON looks like: camelCase fields (the NL GOV rules), documented in the OpenAPI."""

import datetime
import re
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

from onboarding.enums import Kind, Status

KINDS = Literal[tuple(Kind.values)]
STATUSES = Literal[tuple(Status.values)]


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")


def _written_as(pattern: re.Pattern, what: str):
    def check(value):
        if isinstance(value, str) and not pattern.fullmatch(value):
            raise ValueError(f"Expected {what}.")
        return value

    return BeforeValidator(check)


def _in_utc(value: datetime.datetime) -> datetime.datetime:
    """The moment in UTC (a moment without an offset is Dutch time): databases take offsets up to 15:59 only."""
    if value.tzinfo is None:
        value = timezone.make_aware(value)
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError as error:
        raise ValueError("Expected a moment between the years 1 and 9999.") from error


# Query dates as ISO 8601 text only (pydantic would also take a number as a Unix time).
IsoDate = Annotated[datetime.date, _written_as(_ISO_DATE, "a date, yyyy-mm-dd")]
IsoMoment = Annotated[datetime.datetime, _written_as(_ISO_MOMENT, "a moment, ISO 8601"), AfterValidator(_in_utc)]


class Camel(Schema):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class Link(Camel):
    href: str


class PageLinks(Camel):
    self: Link
    first: Link
    last: Link
    prev: Link | None = None
    next: Link | None = None


class Newcomer(Camel):
    id: int
    personnel_number: str
    given_names: str
    surname_prefix: str
    surname: str
    email: str
    start_date: datetime.date
    deadline: datetime.date
    end_date: datetime.date | None
    kind: KINDS
    appointing_body: Literal["civil_service", "griffie"]
    manager_email: str | None
    language: str
    status: STATUSES
    created_at: datetime.datetime
    updated_at: datetime.datetime


class NewcomerPage(Camel):
    results: list[Newcomer]
    total_count: int
    links: PageLinks


# Every field is text, checked by the import's rules (onboarding.imports.columns): the same rules and
# messages as the upload and the form. Required: personnelNumber, givenNames, surname, email, startDate,
# kind. An optional field left out keeps what is stored; null or "" empties it.
def _text(description: str, example: str, *, required: bool = False):
    return Field(None, description=description + (" Required." if required else ""), examples=[example], max_length=400)


class NewcomerIn(Camel):
    personnel_number: str | None = _text("The HR system's personnel number: the key.", "P100234", required=True)
    given_names: str | None = _text("Given names.", "Mila", required=True)
    surname_prefix: str | None = _text('Surname prefix, e.g. "van der".', "de")
    surname: str | None = _text("Surname.", "Vries", required=True)
    email: str | None = _text("E-mail address.", "mila.de.vries@example.org", required=True)
    start_date: str | None = _text("Start date, yyyy-mm-dd (dd-mm-yyyy is accepted too).", "2026-03-01", required=True)
    kind: str | None = _text("employee, trainee, griffie or external.", "employee", required=True)
    manager_email: str | None = _text("The manager's e-mail address (an account is invited).", "a.bos@example.org")
    appointing_body: str | None = _text("civil_service or griffie; empty: follows from the kind.", "civil_service")
    end_date: str | None = _text("End of engagement, when known.", "2027-03-01")
    language: str | None = _text("nl or en; empty: nl.", "nl")


class NewcomerBatch(Camel):
    newcomers: list[NewcomerIn] = Field(..., min_length=1, max_length=5000)


class RowResult(Camel):
    index: int
    personnel_number: str
    id: int
    action: Literal["create", "update", "unchanged"]


class BatchResult(Camel):
    created: int
    updated: int
    unchanged: int
    managers_invited: int
    changed: bool = Field(description="False when the request changed nothing (a repeated PUT).")
    newcomers: list[RowResult]


class PersonnelNumberQuery(Camel):
    personnel_number: str = Field(..., min_length=1, max_length=30, examples=["P100234"])
