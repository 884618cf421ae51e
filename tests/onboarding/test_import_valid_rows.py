"""A file with bad rows: HR imports the valid rows, and downloads the rows left out to fix and upload again."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from eed.retention import retention_apply
from onboarding.imports.services import ImportRefused, newcomers_import_valid
from onboarding.models import AuditEntry, ImportBatch, Newcomer, User
from tests.downloads import csv_rows, workbook
from tests.factories import NewcomerFactory, UserFactory
from tests.mfa_support import give_totp, sign_in
from tests.onboarding.test_import import ENGLISH, csv_bytes, row, xlsx_bytes
from tests.onboarding.test_import_views import text, uploaded_batch

pytestmark = pytest.mark.django_db

HEADER = [*ENGLISH, "Department"]  # a column the import does not know: kept in the rows left out


def with_department(cells, department="Wegen"):
    return [*cells, department]


def mixed_rows():
    """Three valid rows (a new one, an update, one with a new manager), three with problems (a duplicate pair)."""
    new, dup = "new@example.org", "dup@example.org"
    return [
        with_department(row(number="P1", given="Anna", surname="Jansen", email="anna@example.org")),
        with_department(row(number="P2", given="Bram", surname="Bakker", email="bram@example.org", start="31-02-2026")),
        with_department(row(number="P3", given="Cem", surname="Çelik", email="cem@example.org", manager=new)),
        with_department(row(number="P4", given="Dirk", surname="Dekker", email="d1@example.org", manager=dup)),
        with_department(row(number="P4", given="Dirk", surname="Dekker", email="d2@example.org"), "Water"),
        with_department(row(number="P5", given="Eva", surname="Smit", email="eva@example.org"), ""),
    ]  # fmt: skip


@pytest.fixture(autouse=True)
def _english(hr):
    hr.language = "en"
    hr.save(update_fields=["language"])


@pytest.fixture
def batch(hr_client):
    NewcomerFactory(personnel_number="P5", given_names="Eva", surname="Visser", email="eva@example.org")
    return uploaded_batch(hr_client, csv_bytes(mixed_rows(), header=HEADER, separator=";"))


def confirm_valid(client, batch, *, valid=3, left_out=3, **more):
    return client.post(reverse("import_confirm_valid", args=[batch.pk]), {"valid": valid, "left_out": left_out, **more})


def downloaded_csv(response) -> list[list[str]]:
    return csv_rows(response)


def test_the_preview_of_a_file_with_problems_offers_to_import_the_valid_rows_naming_both_numbers(hr_client, batch):
    page = hr_client.get(reverse("import_preview", args=[batch.pk]))
    preview = text(page)

    assert "Import 3 rows, leave out 3" in preview
    assert "3 rows have no problems and can be imported now" in preview
    assert "3 rows with problems are left out: they are not imported" in preview
    assert f'action="{reverse("import_confirm_valid", args=[batch.pk])}"' in preview
    assert '<input type="hidden" name="valid" value="3">' in preview
    assert '<input type="hidden" name="left_out" value="3">' in preview
    assert "Confirm import" not in preview, "the whole file still cannot be confirmed"


def test_the_preview_counts_what_importing_the_valid_rows_writes(hr_client, batch):
    page = hr_client.get(reverse("import_preview", args=[batch.pk]))

    # P1 and P3 are created, P5 updated; P2 and the two P4 rows (one naming dup@) are not counted.
    assert page.context["counts"] == {"create": 2, "update": 1, "unchanged": 0, "problems": 3, "managers": 1}
    assert page.context["result"].new_manager_emails == ["new@example.org"]


def test_hr_imports_the_valid_rows_as_a_clean_import_would_and_the_bad_rows_are_not_written(
    hr_client, hr, batch, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm_valid(hr_client, batch)

    assert response.status_code == 302 and response.url == reverse("import_preview", args=[batch.pk])
    assert sorted(Newcomer.objects.values_list("personnel_number", flat=True)) == ["P1", "P3", "P5"]
    assert Newcomer.objects.get(personnel_number="P5").surname == "Smit"
    assert set(Newcomer.objects.values_list("last_import", flat=True)) == {batch.pk}
    entries = AuditEntry.objects.filter(action__in=["newcomer.create", "newcomer.update"])
    assert sorted(entries.values_list("action", "via")) == [
        ("newcomer.create", f"import:{batch.pk}"),
        ("newcomer.create", f"import:{batch.pk}"),
        ("newcomer.update", f"import:{batch.pk}"),
    ]
    summary = AuditEntry.objects.get(action="newcomer.import")
    assert (summary.actor, summary.changes["created"], summary.changes["updated"]) == (hr, 2, 1)
    assert summary.changes["left_out"] == 3
    assert User.objects.filter(email="new@example.org", groups__name="Manager").exists()
    assert not User.objects.filter(email="dup@example.org").exists(), "a left-out row invites nobody"
    assert [message.to for message in mailbox()] == [["new@example.org"]]
    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count, batch.left_out_count) == (2, 1, 3)
    assert batch.applied_at is not None and batch.parsed_rows == ""


def test_after_importing_hr_lands_on_the_import_with_the_rows_left_out_to_download(hr_client, batch):
    landed = hr_client.get(confirm_valid(hr_client, batch).url)
    page = text(landed)

    assert "Import done. Created: 2, updated: 1. 3 rows with problems were left out." in page
    assert "3 rows with problems were not imported." in page
    assert f'href="{reverse("import_left_out", args=[batch.pk])}"' in page
    assert "Download the rows with problems (CSV for Excel)" in page
    assert f'href="{reverse("newcomer_list")}?last_import={batch.pk}&amp;status=all"' in page


def test_the_rows_left_out_download_with_the_uploads_columns_and_their_problems(hr_client, batch):
    confirm_valid(hr_client, batch)

    response = hr_client.get(reverse("import_left_out", args=[batch.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="export-rows-with-problems.csv"'
    header, *rows = downloaded_csv(response)
    assert header == ["Problems", *HEADER]
    assert [cells[1:] for cells in rows] == [mixed_rows()[1], mixed_rows()[3], mixed_rows()[4]]
    assert rows[0][0] == 'start_date: "31-02-2026" is not an existing date.'
    assert rows[1][0] == "personnel_number: This personnel number is also on row 6."
    assert rows[2][0] == "personnel_number: This personnel number is also on row 5."


def test_the_rows_left_out_fixed_and_uploaded_again_import_and_their_problems_column_is_ignored(hr_client, batch):
    confirm_valid(hr_client, batch)
    header, *rows = downloaded_csv(hr_client.get(reverse("import_left_out", args=[batch.pk])))
    rows[0][HEADER.index("start_date") + 1] = "28-02-2026"  # Bram's date fixed; the P4 pair left as it is
    fixed = io.StringIO()
    csv.writer(fixed, delimiter=";").writerows([header, *rows])

    again = uploaded_batch(hr_client, ("\ufeff" + fixed.getvalue()).encode(), name="export-rows-with-problems.csv")
    page = hr_client.get(reverse("import_preview", args=[again.pk]))

    assert page.context["result"].ignored_headers == ["Problems", "Department"]
    assert page.context["counts"]["create"] == 1 and page.context["counts"]["problems"] == 2
    confirm_valid(hr_client, again, valid=1, left_out=2)
    bram = Newcomer.objects.get(personnel_number="P2")
    assert (bram.given_names, bram.start_date) == ("Bram", datetime.date(2026, 2, 28))
    header_again, *still_out = downloaded_csv(hr_client.get(reverse("import_left_out", args=[again.pk])))
    assert header_again == header, "one problems column, not one more each round"
    assert [cells[0] for cells in still_out] == [
        "personnel_number: This personnel number is also on row 4.",
        "personnel_number: This personnel number is also on row 3.",
    ], "the newest problems"


def test_a_formula_in_a_row_left_out_cannot_run_in_the_spreadsheet(hr_client):
    rows = [row(number="P1"), row(number="P2", given='=HYPERLINK("https://evil.example","x")', surname="+1-2")]
    batch = uploaded_batch(hr_client, csv_bytes(rows, separator=";"))

    header, left_out = downloaded_csv(hr_client.get(reverse("import_left_out", args=[batch.pk])))

    assert left_out[header.index("given_names")] == '\'=HYPERLINK("https://evil.example","x")'
    assert left_out[header.index("surname")] == "'+1-2"


def test_the_rows_left_out_of_a_workbook_download_as_a_workbook(hr_client):
    content = xlsx_bytes([row(number="P1"), row(number="P2", email="geen-adres", start="2026-03-01")], header=HEADER)
    batch = uploaded_batch(hr_client, content, name="export.xlsx")
    confirm_valid(hr_client, batch, valid=1, left_out=1)

    response = hr_client.get(reverse("import_left_out", args=[batch.pk]))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="export-rows-with-problems.xlsx"'
    sheet = workbook(response).active
    values = [[cell or "" for cell in line] for line in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Problems", *HEADER]
    assert values[1] == [
        'email: "geen-adres" is not a valid e-mail address.',
        *row(number="P2", email="geen-adres", start="2026-03-01"),
        "",
    ]
    assert sheet.freeze_panes == "A2"


def test_the_rows_with_problems_download_before_anything_is_imported_and_in_dutch(hr_client, hr):
    hr.language = "nl"
    hr.save(update_fields=["language"])
    batch = uploaded_batch(hr_client, csv_bytes([row(number="P1"), row(number="P2", start="gisteren")]))

    preview = text(hr_client.get(reverse("import_preview", args=[batch.pk])))
    header, left_out = downloaded_csv(hr_client.get(reverse("import_left_out", args=[batch.pk])))

    assert "1 rij importeren, 1 weglaten" in preview
    assert "Rijen met problemen downloaden (CSV voor Excel)" in preview
    assert header[0] == "Problemen" and left_out[1] == "P2"
    assert left_out[0].startswith('start_date: "gisteren" is geen datum')
    assert Newcomer.objects.count() == 0


def test_a_double_submit_imports_once(hr_client, batch):
    hr_client.get(confirm_valid(hr_client, batch).url)
    second = hr_client.get(confirm_valid(hr_client, batch).url)
    clean = hr_client.post(reverse("import_confirm", args=[batch.pk]), follow=True)

    assert "This import has already been applied; nothing was written again." in text(second)
    assert "already been applied" in text(clean)
    assert Newcomer.objects.count() == 3
    assert AuditEntry.objects.filter(action="newcomer.import").count() == 1
    assert AuditEntry.objects.filter(action="newcomer.create").count() == 2


@pytest.mark.parametrize(("valid", "left_out"), [(4, 2), (3, 2), (6, 0), (0, 6)])
def test_a_confirmation_naming_other_numbers_than_the_batchs_imports_nothing(hr_client, batch, valid, left_out):
    response = confirm_valid(hr_client, batch, valid=valid, left_out=left_out)

    page = text(hr_client.get(response.url))
    assert "This is not the import you confirmed: it has 3 valid rows and 3 rows with problems." in page
    assert "Nothing was imported" in page
    assert Newcomer.objects.count() == 1  # P5, from before
    batch.refresh_from_db()
    assert batch.applied_at is None
    assert not AuditEntry.objects.filter(action="newcomer.import").exists()


INCOMPLETE = [{}, {"valid": "3"}, {"valid": "x", "left_out": "3"}, {"valid": "-3", "left_out": "3"}]


@pytest.mark.parametrize("data", INCOMPLETE)
def test_an_incomplete_confirmation_imports_nothing(hr_client, batch, data):
    response = hr_client.post(reverse("import_confirm_valid", args=[batch.pk]), data)

    assert "The confirmation was incomplete; nothing was imported." in text(hr_client.get(response.url))
    assert Newcomer.objects.count() == 1


def test_a_file_whose_every_row_has_problems_offers_no_partial_import(hr_client):
    batch = uploaded_batch(hr_client, csv_bytes([row(number="P1", email="x"), row(number="P2", start="x")]))

    preview = text(hr_client.get(reverse("import_preview", args=[batch.pk])))
    response = confirm_valid(hr_client, batch, valid=0, left_out=2)

    assert "import_confirm_valid" not in preview and "leave out" not in preview
    assert "No row of this file can be imported; nothing was imported." in text(hr_client.get(response.url))
    assert Newcomer.objects.count() == 0


def test_the_valid_rows_import_commits_together_or_not_at_all(hr, batch, monkeypatch):
    from onboarding.imports import services

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        newcomers_import_valid(batch=batch, by=hr, valid=3, left_out=3)

    assert Newcomer.objects.count() == 1 and not User.objects.filter(email="new@example.org").exists()
    batch.refresh_from_db()
    assert batch.applied_at is None and batch.parsed_rows


def test_the_service_refuses_a_clean_numbers_mismatch_too(hr):
    from onboarding.imports.services import import_batch_upload

    batch = import_batch_upload(content=csv_bytes([row(number="P1")]), filename="a.csv", by=hr)

    with pytest.raises(ImportRefused):
        newcomers_import_valid(batch=batch, by=hr, valid=1, left_out=1)
    assert newcomers_import_valid(batch=batch, by=hr, valid=1, left_out=0).created_count == 1


def test_there_is_nothing_to_download_for_a_clean_import_or_for_someone_else(hr_client, client):
    clean = uploaded_batch(hr_client, csv_bytes([row(number="P1")]))
    with_problems = uploaded_batch(hr_client, csv_bytes([row(number="P1"), row(number="P2", email="x")]))
    other_hr = UserFactory(email="hr2@example.org", roles=["HR"])
    give_totp(other_hr)
    sign_in(client, other_hr)

    assert hr_client.get(reverse("import_left_out", args=[clean.pk])).status_code == 404
    hr_client.post(reverse("import_confirm", args=[clean.pk]))
    assert hr_client.get(reverse("import_left_out", args=[clean.pk])).status_code == 404
    assert client.get(reverse("import_left_out", args=[with_problems.pk])).status_code == 404
    assert confirm_valid(client, with_problems, valid=1, left_out=1).status_code == 404
    assert Newcomer.objects.count() == 1


def test_retention_empties_the_rows_left_out_with_the_upload(hr_client, batch, settings):
    confirm_valid(hr_client, batch)
    uploaded = ImportBatch.objects.get(pk=batch.pk).uploaded_at
    later = (uploaded + datetime.timedelta(days=settings.RETENTION_UPLOAD_DAYS + 2)).date()

    report = retention_apply(today=later)

    batch.refresh_from_db()
    assert report.imports_emptied == 1
    assert (batch.left_out_rows, batch.left_out_count) == ("", 3)
    assert hr_client.get(reverse("import_left_out", args=[batch.pk])).status_code == 404
    assert "The file of the rows left out is no longer kept." in text(
        hr_client.get(reverse("import_preview", args=[batch.pk]))
    )


def test_a_batch_stored_before_rows_kept_their_cells_still_downloads_its_rows_with_problems(hr_client, hr):
    batch = uploaded_batch(hr_client, csv_bytes([row(number="P1"), row(number="P2", start="31-02-2026")]))
    summary, *lines = batch.parsed_rows.split("\n")
    old_summary = {key: value for key, value in json.loads(summary).items() if key not in ("file_header", "format")}
    old_lines = [json.dumps(json.loads(line)[:3]) for line in lines]
    ImportBatch.objects.filter(pk=batch.pk).update(parsed_rows="\n".join([json.dumps(old_summary), *old_lines]))

    header, left_out = downloaded_csv(hr_client.get(reverse("import_left_out", args=[batch.pk])))

    assert header == ["Problems", *ENGLISH]
    as_the_import_read_it = row(number="P2", start="31-02-2026", body="civil_service")  # the body as filled in
    assert left_out[1:] == as_the_import_read_it
