"""Newcomer import in the browser: upload, preview every row, confirm once."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onboarding.models import AuditEntry, ImportBatch, Newcomer
from tests.factories import NewcomerFactory, UserFactory
from tests.mfa_support import give_totp, sign_in
from tests.onboarding.test_import import DUTCH, GARBAGE, csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(hr):
    """HR reads the pages in English here, so texts compare whatever Dutch translations exist."""
    hr.language = "en"
    hr.save(update_fields=["language"])


def upload(client, content: bytes, name="export.csv"):
    return client.post(reverse("import_upload"), {"file": SimpleUploadedFile(name, content)})


def uploaded_batch(client, content: bytes, name="export.csv") -> ImportBatch:
    response = upload(client, content, name)
    assert response.status_code == 302, response.content.decode()
    return ImportBatch.objects.latest("pk")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_hr_uploads_previews_and_confirms_a_dutch_export(hr_client, django_capture_on_commit_callbacks, mailbox):
    content = csv_bytes(
        [
            row(number="P1", given="Zoë", prefix="van der", surname="Özdemir", manager="nieuwe.baas@example.org"),
            row(number="P2", given="Jan", kind="griffie"),
        ],
        header=DUTCH,
        separator=";",
        encoding="cp1252",
    )

    response = upload(hr_client, content)
    batch = ImportBatch.objects.get()
    assert response.url == reverse("import_preview", args=[batch.pk])

    preview = text(hr_client.get(response.url))
    assert "Zoë van der Özdemir" in preview
    assert "nieuwe.baas@example.org" in preview
    assert "Confirm import" in preview
    assert Newcomer.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = hr_client.post(reverse("import_confirm", args=[batch.pk]), follow=True)

    assert confirmed.redirect_chain[-1][0] == f"{reverse('newcomer_list')}?last_import={batch.pk}&status=all"
    assert "Created: 2, updated: 0" in text(confirmed)
    zoe = Newcomer.objects.get(personnel_number="P1")
    assert (zoe.given_names, zoe.surname, zoe.manager.email) == ("Zoë", "Özdemir", "nieuwe.baas@example.org")
    assert [m.to for m in mailbox()] == [["nieuwe.baas@example.org"]]
    batch.refresh_from_db()
    assert bytes(batch.content) == b""
    assert batch.applied_at is not None


def test_the_preview_summarises_and_shows_updates_with_their_changes(hr_client, manager):
    NewcomerFactory(personnel_number="P1", surname="Jansen", start_date=datetime.date(2026, 3, 1))
    content = xlsx_bytes([row(number="P1", surname="Jansen", start="15-03-2026", manager="manager@example.org"),
                          row(number="P2", manager="new.boss@example.org")])  # fmt: skip
    batch = uploaded_batch(hr_client, content, name="export.xlsx")

    page = hr_client.get(reverse("import_preview", args=[batch.pk]))
    preview = text(page)

    assert page.context["counts"] == {"create": 1, "update": 1, "unchanged": 0, "problems": 0, "managers": 1}
    assert "01-03-2026 → 15-03-2026" in preview
    assert "new.boss@example.org" in preview
    assert '<th scope="col">' in preview


def test_rows_with_problems_are_listed_and_there_is_no_confirm_button(hr_client):
    content = csv_bytes([row(number="P1"), row(number="P2", start="31-02-2026"), row(number="P1", given="=1+1")])
    batch = uploaded_batch(hr_client, content)

    page = hr_client.get(reverse("import_preview", args=[batch.pk]))
    preview = text(page)

    assert page.context["counts"]["problems"] == 3
    assert (
        '<td>3</td> <th scope="row">Anna Jansen</th> <td class="import-table__notes"><ul class="row-problems">'
        '<li><span class="import-table__column">start_date:</span> &quot;31-02-2026&quot; is not an existing date.</li>'
    ) in preview
    assert "looks like a spreadsheet formula" in preview
    assert "This personnel number is also on row 4." in preview
    assert "This personnel number is also on row 2." in preview
    assert "Confirm import" not in preview
    assert "Fix the problems listed below in the file, then upload it again." in preview


def test_confirming_a_file_with_problems_writes_nothing(hr_client):
    batch = uploaded_batch(hr_client, csv_bytes([row(number="P1"), row(number="P2", email="nope")]))

    response = hr_client.post(reverse("import_confirm", args=[batch.pk]), follow=True)

    assert response.status_code == 200
    assert "nothing was imported" in text(response)
    assert Newcomer.objects.count() == 0
    batch.refresh_from_db()
    assert batch.applied_at is None


def test_a_double_submit_writes_once(hr_client):
    batch = uploaded_batch(hr_client, csv_bytes([row(number="P1"), row(number="P2")]))
    confirm = reverse("import_confirm", args=[batch.pk])

    hr_client.post(confirm)
    second = hr_client.post(confirm, follow=True)

    assert "already been applied" in text(second)
    assert Newcomer.objects.count() == 2
    assert AuditEntry.objects.filter(action="newcomer.import").count() == 1
    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count) == (2, 0)
    applied = text(hr_client.get(reverse("import_preview", args=[batch.pk])))
    assert "This import was applied on" in applied
    assert "Confirm import" not in applied


def test_another_hr_user_gets_404_on_someone_elses_batch(hr_client, client):
    batch = uploaded_batch(hr_client, csv_bytes([row()]))
    other_hr = UserFactory(email="hr2@example.org", roles=["HR"])
    give_totp(other_hr)
    sign_in(client, other_hr)

    assert client.get(reverse("import_preview", args=[batch.pk])).status_code == 404
    assert client.post(reverse("import_confirm", args=[batch.pk])).status_code == 404
    assert Newcomer.objects.count() == 0


def test_only_hr_may_import(manager_client, client):
    assert manager_client.get(reverse("import_upload")).status_code == 403
    assert client.get(reverse("import_upload")).status_code == 302  # to the login page


def test_confirm_only_accepts_post(hr_client):
    batch = uploaded_batch(hr_client, csv_bytes([row()]))

    assert hr_client.get(reverse("import_confirm", args=[batch.pk])).status_code == 405
    assert Newcomer.objects.count() == 0


def test_the_upload_page_shows_the_form(hr_client):
    page = text(hr_client.get(reverse("import_upload")))

    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page


@pytest.mark.parametrize("name", GARBAGE)
def test_garbage_uploads_get_a_message_never_a_500(hr_client, name):
    content, filename = GARBAGE[name]

    response = upload(hr_client, content, filename)

    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert response.context["form"].errors["file"]
    assert ImportBatch.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(hr_client, settings):
    settings.IMPORT_MAX_BYTES = 1024

    response = upload(hr_client, csv_bytes([row(number=f"P{n}") for n in range(50)]))

    assert response.status_code == 200
    assert "larger than" in response.context["form"].errors["file"][0]
    assert ImportBatch.objects.count() == 0


def test_all_rows_are_shown_100_per_page(hr_client):
    batch = uploaded_batch(hr_client, csv_bytes([row(number=f"P{n}", email=f"p{n}@example.org") for n in range(150)]))
    url = reverse("import_preview", args=[batch.pk])

    first = hr_client.get(url)
    second = hr_client.get(url, {"page": 2})

    assert [item["row"].number for item in first.context["rows"]] == list(range(2, 102))
    assert [item["row"].number for item in second.context["rows"]] == list(range(102, 152))
    assert "Page 2 of 2" in text(second)
