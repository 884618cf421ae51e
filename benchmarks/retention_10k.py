"""Anonymise 10,000 people past the retention period with ``apply_retention``.

Each person has the history an import and one later edit leave (two audit
entries). Measured: the whole run (batches under SKIP LOCKED, set-wise
updates, every audit entry redacted, one sealing entry per person), against
writing that history in the first place (10,000 rows bulk-inserted and 20,000
hash-chained audit entries). Goals: under 30 s, and no more than 3x the cost
of writing the history (the first run on years of history; daily runs see a
handful of people).

    python -m benchmarks.retention_10k
"""

import datetime
import time

from benchmarks._common import emit, setup_django

PEOPLE = 10_000


def history():
    from onboarding.audit.trail import Change, audit_record_many
    from onboarding.models import Newcomer

    Newcomer.objects.all().delete()
    start = datetime.date(2015, 3, 2)
    people = Newcomer.objects.bulk_create(
        Newcomer(
            given_names="Johanna",
            surname=f"Berg {index}",
            email=f"j.berg{index}@example.org",
            personnel_number=f"P{index:06d}",
            start_date=start,
            deadline=datetime.date(2015, 5, 2),
            notes="Parttime",
        )
        for index in range(PEOPLE)
    )
    audit_record_many(
        actor=None,
        via="import:1",
        records=[
            Change("newcomer.import", person, {"surname": {"before": None, "after": person.surname}})
            for person in people
        ]
        + [Change("newcomer.update", person, {"notes": {"before": "", "after": "Parttime"}}) for person in people],
    )


def main():
    setup_django()
    from eed.retention import retention_apply

    started = time.perf_counter()
    history()
    written = time.perf_counter() - started
    started = time.perf_counter()
    report = retention_apply(today=datetime.date(2026, 11, 29))
    full = time.perf_counter() - started
    assert report.newcomers_anonymised == PEOPLE and report.audit_entries_redacted == 2 * PEOPLE, report

    emit("retention_10k_seconds", full, "s", "< 30 s for 10,000 people")
    emit("retention_10k_ms_per_person", 1000 * full / PEOPLE, "ms")
    emit("retention_10k_ratio_to_writing_the_history", full / written, "x", "<= 3")


if __name__ == "__main__":
    main()
