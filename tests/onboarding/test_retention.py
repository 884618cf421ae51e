"""Retention: personal data goes after RETENTION_YEARS, the annual figures and the audit chain stay."""

import datetime
import json
import os
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from eed.counts.figures import annual_counts
from eed.models import Appointment, Certificate, Correction, InviteCopy
from eed.proofs.certificates import certificate_scan_attach
from onboarding.audit.history import newcomer_history
from onboarding.audit.trail import REDACTION_ACTION
from onboarding.models import AuditEntry, DeclarationSignature, ImportBatch, Newcomer, QueuedMail
from onboarding.newcomers import services
from tests.eed.annual_history import history_2021_2022, hold, newcomers
from tests.factories import OfficiantFactory
from tests.onboarding.test_audit import verify

pytestmark = pytest.mark.django_db

TODAY = "2030-01-15"  # seven years back is 2023-01-15: the 2021-2022 history is past it


def retention(*args) -> dict:
    out = StringIO()
    call_command("apply_retention", "--today", TODAY, "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def every_year():
    return {year: annual_counts(year=year) for year in range(2020, 2025)}


@pytest.fixture
def officiant(db):
    return OfficiantFactory(griffie=True).user


@pytest.fixture
def year_2022(hr, officiant, mailbox):
    """Eight people sworn or absent in 2021-2022 and one external who signed in 2022."""
    return history_2021_2022(hr=hr, officiant=officiant, mailbox=mailbox)


@pytest.fixture
def scanned(year_2022, hr, settings, tmp_path):
    """The first 2022 employee's proof with its signed scan on disk."""
    settings.MEDIA_ROOT = tmp_path
    certificate = Certificate.objects.filter(appointment__newcomer=year_2022[0]).get()
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"signed " * 50, content_type="application/pdf")
    return certificate_scan_attach(certificate=certificate, by=hr, upload=upload)


def test_the_annual_figures_of_past_years_stay_exactly_the_same(year_2022, scanned):
    before = every_year()

    report = retention()

    assert report["newcomers_anonymised"] == 9  # 8 assigned to ceremonies, 1 external
    assert Newcomer.objects.not_anonymised().count() == 0
    assert every_year() == before
    assert before[2022]["sworn"]["total"] == 6 and before[2022]["declarations_signed"] == 1


def test_a_sworn_persons_names_free_texts_and_scan_are_gone_but_the_facts_stay(
    year_2022, scanned, hr, django_capture_on_commit_callbacks
):
    person = year_2022[0]
    appointment = Appointment.objects.get(newcomer=person)
    Appointment.objects.filter(pk=appointment.pk).update(adapted_manner_used="zittend, geloofsovertuiging")
    scan_path = scanned.scan.path
    services.newcomer_update(newcomer=person, by=hr, notes="Vertrouwelijk")
    facts = (person.kind, person.start_date, person.deadline, appointment.outcome, appointment.form_used)

    with django_capture_on_commit_callbacks(execute=True):
        report = retention()

    person.refresh_from_db()
    appointment.refresh_from_db()
    certificate = Certificate.objects.get(pk=scanned.pk)
    assert (person.given_names, person.surname, person.email, person.notes) == ("", "", "", "")
    assert person.search_key == ""  # nothing left to find the person by
    assert person.personnel_number == f"anon-{person.pk}" and person.manager is None
    assert person.anonymised_at is not None and person.full_name == "(geanonimiseerd)"
    assert (appointment.adapted_manner_used, appointment.witness_present_name, appointment.late_reason) == ("", "", "")
    assert (person.kind, person.start_date, person.deadline, appointment.outcome, appointment.form_used) == facts
    assert (certificate.full_name, certificate.public_name, certificate.witness_name, certificate.scan.name) == (
        ("", "", "", "")
    )
    assert certificate.number.startswith("ZH-2022-") and certificate.scan_sha256
    assert not os.path.exists(scan_path)
    assert report["scans_removed"] == 1


def _upload(client, certificate, content: bytes) -> None:
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + content, content_type="application/pdf")
    assert client.post(reverse("certificate_scan_upload", args=[certificate.pk]), {"scan": upload}).status_code == 302


def test_retention_removes_every_scan_file_of_the_person_also_a_replaced_one_and_no_one_elses(
    year_2022, officiant, hr, hr_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    (kept,) = newcomers(1)
    hold(day=datetime.date(2022, 2, 15), people=[kept], forms=["oath"], officiant=officiant, hr=hr)
    services.newcomer_update(newcomer=kept, by=hr, end_date=datetime.date(2024, 5, 1))  # within the period
    gone, kept = (Certificate.objects.get(appointment__newcomer=person) for person in (year_2022[0], kept))
    # The replaced file stays behind, as if its deletion after the upload never ran (or the upload was older).
    _upload(hr_client, gone, b"wrong page")
    _upload(hr_client, gone, b"signed proof")
    _upload(hr_client, kept, b"another person's proof")
    kept_path = Certificate.objects.get(pk=kept.pk).scan.path
    assert len(list(tmp_path.rglob("*.pdf"))) == 3

    with django_capture_on_commit_callbacks(execute=True):
        report = retention()

    assert [str(path) for path in tmp_path.rglob("*.pdf")] == [kept_path]
    assert report["scans_removed"] == 2
    assert Certificate.objects.get(pk=kept.pk).scan.path == kept_path


def test_the_audit_entries_lose_the_personal_values_and_the_chain_still_verifies(year_2022, hr):
    person = year_2022[0]
    services.newcomer_update(newcomer=person, by=hr, surname="Anders", email="anders@example.org")
    surname = "Anders"

    retention()

    history = list(newcomer_history(person))
    text = json.dumps([entry.changes for entry in history])
    assert surname not in text and "anders@example.org" not in text and "A. Getuige" not in text
    update = next(entry for entry in history if entry.action == "newcomer.update")
    assert update.changes["surname"] == {"before": None, "after": None}
    assert update.salt == "" and update.redacted_by.action == REDACTION_ACTION
    outcome = next(entry for entry in history if entry.action == "appointment.record_outcome")
    assert outcome.changes["outcome"] == "taken" and outcome.changes["form_used"] == "oath"
    assert outcome.changes["witness_present_name"] is None
    assert verify()[0] == 0


def test_an_external_keeps_the_signing_time_but_not_the_name_address_or_browser(year_2022):
    signature = DeclarationSignature.objects.get()
    signed_at = signature.signed_at

    retention()

    signature.refresh_from_db()
    assert (signature.signed_name, signature.ip_address, signature.user_agent) == ("", None, "")
    assert signature.signed_at == signed_at and signature.text_sha256


def test_people_within_the_period_keep_their_data(officiant, hr, mailbox):
    left_recently, sworn_late = newcomers(2)
    still_open = newcomers(1, start=datetime.date(2023, 1, 16))[0]
    hold(day=datetime.date(2022, 2, 15), people=[left_recently], forms=["oath"], officiant=officiant, hr=hr)
    hold(day=datetime.date(2023, 3, 1), people=[sworn_late], forms=["oath"], officiant=officiant, hr=hr)
    services.newcomer_update(newcomer=left_recently, by=hr, end_date=datetime.date(2024, 5, 1))
    gone = newcomers(1)[0]  # never sworn, deadline in 2022, no end date: past the period

    report = retention()

    assert report["newcomers_anonymised"] == 1
    assert set(Newcomer.objects.not_anonymised()) == {left_recently, sworn_late, still_open}
    gone.refresh_from_db()
    assert gone.anonymised_at is not None


def test_a_dry_run_counts_and_changes_nothing(year_2022):
    entries = list(AuditEntry.objects.values_list("hash", "changes"))

    report = retention("--dry-run")

    assert report["dry_run"] is True and report["newcomers_anonymised"] == 9
    assert report["audit_entries_redacted"] > 9
    assert Newcomer.objects.not_anonymised().count() == 9
    assert list(AuditEntry.objects.values_list("hash", "changes")) == entries


def test_a_second_run_finds_nothing_left_to_do(year_2022):
    first = retention()
    second = retention()

    assert first["newcomers_anonymised"] == 9
    assert second["newcomers_anonymised"] == second["audit_entries_redacted"] == 0
    assert AuditEntry.objects.filter(action=REDACTION_ACTION).count() == 9


def test_anonymised_people_leave_the_lists_pages_and_verification(year_2022, hr_client):
    person = year_2022[0]
    code = Certificate.objects.get(appointment__newcomer=person).verification_code
    assert hr_client.get(reverse("newcomer_detail", args=[person.pk])).status_code == 200

    retention()

    assert hr_client.get(reverse("newcomer_detail", args=[person.pk])).status_code == 404
    assert person.surname.encode() not in hr_client.get(reverse("newcomer_list")).content
    assert hr_client.get(reverse("certificate_verify", args=[code])).status_code == 404


def test_the_proofs_of_anonymised_people_are_no_longer_printed(year_2022, hr_client):
    certificate = Certificate.objects.get(appointment__newcomer=year_2022[0])
    ceremony = certificate.appointment.ceremony
    assert hr_client.get(reverse("certificate_pdf", args=[certificate.pk])).status_code == 200

    retention()

    assert hr_client.get(reverse("certificate_pdf", args=[certificate.pk])).status_code == 404
    response = hr_client.get(reverse("ceremony_proofs_pdf", args=[ceremony.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("ceremony_detail", args=[ceremony.pk])


def test_working_files_go_after_their_own_shorter_periods(year_2022, hr):
    today = timezone.make_aware(datetime.datetime(2030, 1, 15))
    old, recent = today - datetime.timedelta(days=91), today - datetime.timedelta(days=89)
    QueuedMail.objects.update(created_at=old)
    kept_mail = QueuedMail.objects.first()
    QueuedMail.objects.filter(pk=kept_mail.pk).update(created_at=recent)
    unconfirmed = ImportBatch.objects.create(filename="a.csv", content=b"names")
    confirmed = ImportBatch.objects.create(filename="b.csv", content=b"names", applied_at=old)
    fresh = ImportBatch.objects.create(filename="c.csv", content=b"names")
    ImportBatch.objects.filter(pk__in=[unconfirmed.pk, confirmed.pk]).update(uploaded_at=old)
    ImportBatch.objects.filter(pk=fresh.pk).update(uploaded_at=recent + datetime.timedelta(days=80))
    assert InviteCopy.objects.exists()

    retention()

    assert list(QueuedMail.objects.all()) == [kept_mail]
    assert not ImportBatch.objects.filter(pk=unconfirmed.pk).exists()
    assert bytes(ImportBatch.objects.get(pk=confirmed.pk).content) == b""
    assert bytes(ImportBatch.objects.get(pk=fresh.pk).content) == b"names"
    assert not InviteCopy.objects.exists()  # every ceremony here is from 2021-2022


def test_a_correction_keeps_what_changed_but_not_the_reason_or_names(year_2022, hr):
    from eed.proofs.corrections import appointment_correct

    appointment = Appointment.objects.filter(newcomer=year_2022[0]).get()
    appointment_correct(
        appointment=appointment, by=hr, reason="Naam van Jansen verkeerd gespeld", form_used="affirmation"
    )

    retention()

    correction = Correction.objects.get()
    assert correction.reason == "-"
    assert correction.after["form_used"] == "affirmation" and correction.after["printed_name"] is None
    assert verify()[0] == 0


# --- the seal over redacted entries --------------------------------------------------------


def test_changing_a_redacted_entry_afterwards_breaks_its_seal(year_2022):
    retention()
    redacted = AuditEntry.objects.filter(redacted_by__isnull=False).order_by("id").first()
    AuditEntry.objects.filter(pk=redacted.pk).update(changes={"surname": {"before": None, "after": "Someone"}})

    code, message = verify()

    assert code == 1
    assert f"entry {redacted.redacted_by_id} " in message and "redacted were altered" in message


def test_passing_an_intact_entry_off_as_redacted_is_found(year_2022, hr):
    retention()
    sealing = AuditEntry.objects.filter(action=REDACTION_ACTION).first()
    services.newcomer_create(
        by=hr, given_names="Nieuw", surname="Mens", email="n@example.org", personnel_number="N1",
        start_date=datetime.date(2030, 1, 1),
    )  # fmt: skip
    intact = AuditEntry.objects.order_by("-id").first()
    AuditEntry.objects.filter(pk=intact.pk).update(redacted_by=sealing)

    assert verify()[0] == 1


def test_undoing_the_redaction_mark_is_found(year_2022):
    retention()
    redacted = AuditEntry.objects.filter(redacted_by__isnull=False).order_by("id").first()
    AuditEntry.objects.filter(pk=redacted.pk).update(redacted_by=None)

    code, message = verify()

    assert code == 1 and f"entry {redacted.pk} " in message


# --- the command's edges --------------------------------------------------------------------


def test_a_malformed_day_is_refused():
    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("apply_retention", "--today", "15-01-2030")


def test_the_text_report_names_the_period(year_2022, settings):
    settings.RETENTION_YEARS = 10
    out = StringIO()

    call_command("apply_retention", "--today", TODAY, stdout=out)

    assert "Retention 10 years: people whose last event was before 2020-01-15." in out.getvalue()
    assert "newcomers anonymised (were): 0" in out.getvalue()


def test_hr_records_the_end_of_engagement_and_it_cannot_precede_the_start(hr_client, hr):
    person = newcomers(1)[0]
    data = {
        "given_names": person.given_names,
        "surname": person.surname,
        "email": person.email,
        "personnel_number": person.personnel_number,
        "start_date": "2022-01-03",
        "kind": "employee",
        "appointing_body": "civil_service",
    }

    refused = hr_client.post(reverse("newcomer_edit", args=[person.pk]), {**data, "end_date": "2021-12-31"})
    accepted = hr_client.post(reverse("newcomer_edit", args=[person.pk]), {**data, "end_date": "2024-05-01"})

    assert refused.status_code == 200
    assert "Het einde van de aanstelling kan niet vóór de begindatum liggen." in refused.content.decode()
    assert accepted.status_code == 302
    person.refresh_from_db()
    assert person.end_date == datetime.date(2024, 5, 1)
