"""Reads of the audit trail: a newcomer's history for HR, in words (``wording``)."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onboarding.audit.wording import Change, References, described_changes
from onboarding.models import AuditEntry, Newcomer

# Records that belong to a newcomer, and the path from each to the newcomer.
# Models another app has not (yet) got are skipped.
NEWCOMER_RECORDS = (
    ("eed", "Appointment", "newcomer"),
    ("eed", "Certificate", "appointment__newcomer"),
    ("eed", "Correction", "appointment__newcomer"),
    ("onboarding", "DeclarationRequest", "newcomer"),
    ("onboarding", "DeclarationSignature", "newcomer"),
)


def _ids_as_text(queryset: QuerySet) -> QuerySet:
    """The primary keys as text, to compare with AuditEntry.target_id in a subquery."""
    return queryset.annotate(pk_text=Cast("pk", output_field=CharField())).values("pk_text")


def _newcomer_record_models():
    """(model, path to its newcomer) of each kind of record about a newcomer that exists in this project."""
    for app_label, model_name, path in NEWCOMER_RECORDS:
        try:
            yield apps.get_model(app_label, model_name), path
        except LookupError:
            continue


def newcomer_history(newcomer: Newcomer) -> QuerySet[AuditEntry]:
    """Every audit entry about the newcomer and their appointments, proofs and declarations: one query."""
    condition = Q(target_type=Newcomer._meta.label_lower, target_id=str(newcomer.pk))
    for model, path in _newcomer_record_models():
        records = model._default_manager.filter(**{path: newcomer})
        condition |= Q(target_type=model._meta.label_lower, target_id__in=_ids_as_text(records))
    return AuditEntry.objects.filter(condition).select_related("actor").order_by("-at", "-id")


def history_targets(newcomer_ids) -> dict[tuple[str, str], int]:
    """(target type, target id) of every record of these newcomers -> the newcomer's id: a query per kind."""
    targets = {(Newcomer._meta.label_lower, str(pk)): pk for pk in newcomer_ids}
    for model, path in _newcomer_record_models():
        records = model._default_manager.filter(**{f"{path}__in": newcomer_ids}).values_list("pk", path)
        targets.update({(model._meta.label_lower, str(pk)): newcomer_id for pk, newcomer_id in records})
    return targets


def history_entries_by_newcomer(newcomer_ids, *, lock: bool = False) -> dict[int, list[AuditEntry]]:
    """Every audit entry about these newcomers and their records, grouped per newcomer (optionally locked)."""
    targets = history_targets(newcomer_ids)
    by_type: dict[str, list[str]] = {}
    for target_type, target_id in targets:
        by_type.setdefault(target_type, []).append(target_id)
    condition = Q(pk__in=[])
    for target_type, target_ids in by_type.items():
        condition |= Q(target_type=target_type, target_id__in=target_ids)
    entries = AuditEntry.objects.filter(condition).order_by("id")
    if lock:
        entries = entries.select_for_update()
    grouped: dict[int, list[AuditEntry]] = {pk: [] for pk in newcomer_ids}
    for entry in entries:
        grouped[targets[(entry.target_type, entry.target_id)]].append(entry)
    return grouped


ACTION_LABELS = {
    "newcomer.create": _("Registered"),
    "newcomer.update": _("Details changed"),
    "appointment.assign": _("Added to a ceremony"),
    "appointment.end": _("Removed from a ceremony"),
    "appointment.newcomer_choice": _("Choice made through the personal link"),
    "appointment.record_outcome": _("Outcome recorded"),
    "appointment.correct": _("Outcome corrected"),
    "witness.answer": _("Witness answered"),
    "witness.replace": _("Witness replaced"),
    "certificate.issue": _("Proof issued"),
    "certificate.revoke": _("Proof revoked"),
    "certificate.scan": _("Signed proof uploaded"),
    "declaration.send": _("Declaration link sent"),
    "declaration.resend": _("Declaration link sent again"),
    "declaration.open": _("Declaration link opened"),
    "declaration.remind": _("Declaration reminder sent"),
    "declaration.sign": _("Declaration signed"),
    "declaration.withdraw": _("Signature withdrawn"),
    "newcomer.anonymise": _("Anonymised after the retention period"),
}
VIA_LABELS = {
    "link:declaration": _("the external, through their personal link"),
    "link:newcomer": _("the newcomer, through their personal link"),
    "admin": _("the administration"),
    "command:send_reminders": _("the daily reminders"),
    "command:import_newcomers": _("an import from the command line"),
    "command:apply_retention": _("the retention job"),
}


@dataclass(frozen=True)
class HistoryRow:
    at: object
    who: str
    what: str
    changes: list[Change]


def _who(entry: AuditEntry) -> str:
    """The person, the way in, or both: "Hanna de Ruiter, via an import"."""
    via = VIA_LABELS.get(entry.via) or (_("an import") if entry.via.startswith("import:") else "")
    if entry.actor is not None:
        return gettext("%(person)s, via %(way)s") % {"person": entry.actor, "way": via} if via else str(entry.actor)
    return capfirst(str(via or gettext("the system")))


def history_rows(entries) -> list[HistoryRow]:
    """The entries in words; the records they name are read once for all of them (a query per kind)."""
    entries = list(entries)
    references = References.read(entries)
    return [
        HistoryRow(
            at=entry.at,
            who=_who(entry),
            what=str(ACTION_LABELS.get(entry.action, entry.action)),
            changes=described_changes(entry, references),
        )
        for entry in entries
    ]
