"""HR sends the declaration link to several externals at once, from the declarations overview.

Only externals who need a link get one: not signed, and no link still valid (not sent yet, or expired),
so a second submit, or a colleague sending at the same moment, never sends anyone a second link within
its window. Each send goes through ``services.declaration_request_send`` in its own savepoint of one
transaction: the sends do not depend on each other, and an external who signed or got a link since HR
confirmed is reported and left alone while the others get theirs (a refused send leaves neither its
record nor its mail, which is queued in the same savepoint).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import text_date
from onboarding.declarations.selectors import externals_overview
from onboarding.declarations.services import declaration_request_send
from onboarding.enums import Status
from onboarding.models import Newcomer

NEEDS_LINK = (Status.DECLARATION_NOT_SENT.value, Status.DECLARATION_EXPIRED.value)


def needing_link(queryset: QuerySet) -> QuerySet:
    """The externals of an overview queryset who may be sent a link now."""
    return queryset.filter(status__in=NEEDS_LINK)


@dataclass
class SendReport:
    sent: list[Newcomer] = field(default_factory=list)
    failed: list[tuple[Newcomer, str]] = field(default_factory=list)


@transaction.atomic
def declaration_request_send_many(*, newcomer_ids, by, now=None) -> SendReport:
    """Send a fresh link to each external given who needs one; report who got it and who did not, and why."""
    now = now or timezone.now()
    report = SendReport()
    people = Newcomer.objects.not_anonymised().filter(pk__in=set(newcomer_ids)).order_by("pk")
    for person in people:
        try:
            with transaction.atomic():
                _send_one(person, by=by, now=now)
        except ValidationError as error:
            report.failed.append((person, " ".join(error.messages)))
        else:
            report.sent.append(person)
    return report


def _send_one(person: Newcomer, *, by, now) -> None:
    Newcomer.objects.select_for_update().get(pk=person.pk)
    row = externals_overview().filter(pk=person.pk).values("status", "expires_at").first()
    if row and row["status"] not in NEEDS_LINK and row["status"] != Status.DECLARATION_SIGNED.value:
        raise ValidationError(_("a link is still valid until %(date)s.") % {"date": text_date(row["expires_at"])})
    declaration_request_send(newcomer=person, by=by, now=now)
