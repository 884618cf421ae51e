"""Newcomer import: reading HR exports, reporting bad rows, applying all or nothing, the command."""

import datetime
import io
import os
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from onboarding.enums import AppointingBody, Kind, Role
from onboarding.imports.reading import RowAction, import_result, parsed_import
from onboarding.imports.services import ImportRefused, newcomers_import, newcomers_import_file
from onboarding.models import AuditEntry, ImportBatch, Newcomer, User
from onboarding.newcomers.deadlines import oath_deadline
from tests.factories import NewcomerFactory, UserFactory

ENGLISH = [
    "personnel_number",
    "given_names",
    "surname_prefix",
    "surname",
    "email",
    "start_date",
    "kind",
    "manager_email",
    "appointing_body",
]
DUTCH = [
    "Personeelsnummer",
    "Voornamen",
    "Tussenvoegsel",
    "Achternaam",
    "E-mail",
    "Datum in dienst",
    "Soort",
    "E-mail leidinggevende",
    "Aanstellend orgaan",
]


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English, whatever Dutch translations exist."""
    with translation.override("en"):
        yield


def csv_bytes(rows, *, header=ENGLISH, separator=",", encoding="utf-8-sig") -> bytes:
    """A CSV as an HR system writes it; cells are joined plainly (tests choose cells without separators)."""
    lines = [separator.join(header), *(separator.join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, *, header=ENGLISH) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row(number="P1", given="Anna", prefix="", surname="Jansen", email="anna@example.org", start="01-03-2026",
        kind="employee", manager="", body=""):  # fmt: skip
    return [number, given, prefix, surname, email, start, kind, manager, body]


def errors_of(result) -> dict[int, list[tuple[str, str]]]:
    return {r.number: r.errors for r in result.rows if r.errors}


# --- Reading files as HR systems and Dutch Excel write them ------------------


def test_dutch_excel_csv_with_semicolons_and_windows_1252_accents_reads_correctly():
    content = csv_bytes(
        [row(given="Zoë", prefix="van der", surname="Özdemir", email="Zoe.Ozdemir@Example.org", kind="medewerker")],
        header=DUTCH,
        separator=";",
        encoding="cp1252",
    )

    result = parsed_import(content, filename="export.csv")

    assert result.file_errors == []
    [only] = result.rows
    assert only.errors == []
    assert only.number == 2
    assert only.values["given_names"] == "Zoë"
    assert only.values["surname_prefix"] == "van der"
    assert only.values["surname"] == "Özdemir"
    assert only.values["email"] == "zoe.ozdemir@example.org"
    assert only.values["start_date"] == datetime.date(2026, 3, 1)
    assert only.values["kind"] == Kind.EMPLOYEE
    assert only.values["appointing_body"] == AppointingBody.CIVIL_SERVICE


def test_headers_match_whatever_the_case_spaces_dashes_or_underscores():
    header = [" Personnel Number ", "GIVEN-NAMES", "surname prefix", "Surname", "E_Mail", "start-date", "KIND"]
    content = csv_bytes([row()[:7]], header=header, encoding="utf-8")

    result = parsed_import(content, filename="export.csv")

    assert result.file_errors == []
    assert result.rows[0].errors == []
    assert result.headers["personnel_number"] == "Personnel Number"


def test_utf8_with_bom_and_iso_dates_read_correctly():
    content = csv_bytes([row(given="Zoë", start="2026-02-28")], encoding="utf-8-sig")

    [only] = parsed_import(content, filename="export.csv").rows

    assert only.values["given_names"] == "Zoë"
    assert only.values["start_date"] == datetime.date(2026, 2, 28)


def test_xlsx_with_date_cells_and_numeric_personnel_numbers_reads_correctly():
    content = xlsx_bytes(
        [[12345, "Zoë", None, "Özdemir", "zoe@example.org", datetime.date(2026, 3, 1), "trainee", None, None]]
    )

    result = parsed_import(content, filename="export.xlsx")

    assert result.file_errors == []
    [only] = result.rows
    assert only.errors == []
    assert only.values["personnel_number"] == "12345"
    assert only.values["start_date"] == datetime.date(2026, 3, 1)
    assert only.values["kind"] == Kind.TRAINEE


@pytest.mark.parametrize(
    ("text", "kind"),
    [("medewerker", "employee"), ("Trainee", "trainee"), ("griffie", "griffie"), ("extern", "external"),
     ("inhuur", "external"), ("External", "external")],
)  # fmt: skip
def test_kinds_are_understood_in_english_and_dutch(text, kind):
    [only] = parsed_import(csv_bytes([row(kind=text)]), filename="x.csv").rows

    assert only.errors == []
    assert only.values["kind"] == kind


def test_appointing_body_follows_from_the_kind_and_accepts_dutch_names():
    rows = [
        row(number="P1", kind="griffie"),
        row(number="P2", kind="employee"),
        row(number="P3", kind="griffie", body="griffier"),
        row(number="P4", kind="trainee", body="provinciesecretaris"),
    ]

    result = parsed_import(csv_bytes(rows), filename="x.csv")

    assert errors_of(result) == {}
    assert [r.values["appointing_body"] for r in result.rows] == [
        AppointingBody.GRIFFIE,
        AppointingBody.CIVIL_SERVICE,
        AppointingBody.GRIFFIE,
        AppointingBody.CIVIL_SERVICE,
    ]


def test_a_body_that_contradicts_the_kind_is_a_problem_of_that_row(settings):
    settings.LANGUAGE_CODE = "en"
    rows = [
        row(number="P1", kind="employee", body="griffier"),
        row(number="P2", kind="griffie", body="Ambtelijke organisatie"),
    ]

    with translation.override("en"):
        result = parsed_import(csv_bytes(rows), filename="x.csv")

    assert errors_of(result) == {
        2: [
            (
                "appointing_body",
                "Only griffie staff are appointed by the griffie; choose the kind Griffie staff or the civil service.",
            )
        ],
        3: [("appointing_body", "Griffie staff are appointed by the griffie (the griffier swears them in).")],
    }


# --- Problems, named by row, column and reason -------------------------------


def test_a_missing_required_column_is_one_file_message_naming_it():
    header = [name for name in ENGLISH if name not in ("start_date", "kind")]
    content = csv_bytes([["P1", "Anna", "", "Jansen", "anna@example.org", "", ""]], header=header)

    result = parsed_import(content, filename="x.csv")

    assert len(result.file_errors) == 1
    assert "start_date" in result.file_errors[0]
    assert "kind" in result.file_errors[0]
    assert "surname" not in result.file_errors[0]
    assert result.rows == []


def test_bad_values_are_row_errors_with_row_column_and_reason():
    content = csv_bytes(
        [
            row(number="P1"),
            row(number="P2", email="not-an-address"),
            row(number="P3", start="31-02-2026"),
            row(number="P4", kind="intern"),
            row(number="P5", surname="x" * 151),
            row(number="P6", given=""),
            row(number="P7", start="March 1st"),
            row(number="P8", manager="boss@"),
            row(number="P9", body="gemeente"),
        ]
    )

    errors = errors_of(parsed_import(content, filename="x.csv"))

    assert set(errors) == {3, 4, 5, 6, 7, 8, 9, 10}
    assert errors[3] == [("email", '"not-an-address" is not a valid e-mail address.')]
    assert errors[4] == [("start_date", '"31-02-2026" is not an existing date.')]
    assert errors[5][0][0] == "kind" and "intern" in errors[5][0][1]
    assert errors[6] == [("surname", "At most 150 characters are allowed (this has 151).")]
    assert errors[7] == [("given_names", "This value is required.")]
    assert errors[8][0][0] == "start_date"
    assert errors[9][0][0] == "manager_email"
    assert errors[10][0][0] == "appointing_body"


def test_row_numbers_are_those_the_spreadsheet_shows_even_after_a_blank_line():
    content = b"\r\n".join(
        [
            ",".join(ENGLISH).encode(),
            ",".join(row(number="P1")).encode(),
            b"",
            ",".join(row(number="P2", kind="?")).encode(),
        ]
    )

    result = parsed_import(content, filename="x.csv")

    assert [r.number for r in result.rows] == [2, 4]
    assert set(errors_of(result)) == {4}


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x","y")', "+31612345678", "-1+1", "@SUM(A1)"])
def test_a_formula_looking_cell_is_reported(cell):
    [only] = parsed_import(csv_bytes([row(given=cell.replace(",", ";"))]), filename="x.csv").rows

    assert only.errors == [("given_names", "This looks like a spreadsheet formula; enter plain text.")]


def test_a_formula_text_in_an_xlsx_cell_is_reported():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(ENGLISH)
    sheet.append(row())
    sheet["B2"].value = '=HYPERLINK("http://x","y")'
    sheet["B2"].data_type = "s"  # stored as text, as a careless export would
    out = io.BytesIO()
    workbook.save(out)

    [only] = parsed_import(out.getvalue(), filename="x.xlsx").rows

    assert only.errors == [("given_names", "This looks like a spreadsheet formula; enter plain text.")]


def test_a_personnel_number_twice_in_the_file_is_an_error_on_both_rows():
    content = csv_bytes([row(number="P1"), row(number="P2"), row(number="P1", given="Bea")])

    errors = errors_of(parsed_import(content, filename="x.csv"))

    assert errors == {
        2: [("personnel_number", "This personnel number is also on row 4.")],
        4: [("personnel_number", "This personnel number is also on row 2.")],
    }


def test_a_row_with_more_cells_than_columns_is_reported():
    content = csv_bytes([row(), [*row(number="P2"), "Jansen"]])

    errors = errors_of(parsed_import(content, filename="x.csv"))

    assert list(errors) == [3]
    assert "more cells" in errors[3][0][1]


def broken_xlsx() -> bytes:
    good = xlsx_bytes([row()])
    return good[: len(good) // 2]


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return out.getvalue()


GARBAGE = {
    "empty": (b"", "x.csv"),
    "only whitespace": (b"  \r\n\r\n", "x.csv"),
    "png renamed": (b"\x89PNG\r\n\x1a\n" + os.urandom(200), "x.csv"),
    "pdf renamed": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "x.csv"),
    "random bytes": (os.urandom(10 * 1024 * 1024), "x.csv"),
    "broken xlsx": (broken_xlsx(), "x.xlsx"),
    "text named xlsx": (b"personnel_number,given_names\n", "x.xlsx"),
    "zip that is no workbook": (plain_zip(), "x.xlsx"),
    "old xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "x.xls"),
    "utf-16 text": (",".join(ENGLISH).encode("utf-16"), "x.csv"),
    "only a header": (csv_bytes([]), "x.csv"),
    "no header at all": (b"hello world\nsecond line\n", "x.csv"),
}


@pytest.mark.parametrize("name", GARBAGE)
def test_garbage_gives_one_clear_file_message_and_no_rows(name):
    content, filename = GARBAGE[name]

    result = parsed_import(content, filename=filename)

    assert len(result.file_errors) == 1
    assert result.file_errors[0].endswith(".")
    assert result.rows == []
    assert result.has_errors


# --- What confirming would do ------------------------------------------------


@pytest.mark.django_db
def test_an_existing_personnel_number_is_an_update_listing_what_changes():
    NewcomerFactory(personnel_number="P1", given_names="Anna", surname="Jansen", email="anna@example.org",
                    start_date=datetime.date(2026, 3, 1))  # fmt: skip
    NewcomerFactory(personnel_number="P2", given_names="Bea", surname="Smit", email="bea@example.org",
                    start_date=datetime.date(2026, 3, 1))  # fmt: skip
    content = csv_bytes(
        [
            row(number="P1", surname="Jansen-de Vries", start="15-03-2026"),
            row(number="P2", given="Bea", surname="Smit", email="bea@example.org"),
            row(number="P3"),
        ]
    )

    result = import_result(content, filename="x.csv")

    assert [r.action for r in result.rows] == [RowAction.UPDATE, RowAction.UNCHANGED, RowAction.CREATE]
    changes = {c.column: (c.before, c.after) for c in result.rows[0].changes}
    assert changes == {"surname": ("Jansen", "Jansen-de Vries"), "start_date": ("01-03-2026", "15-03-2026")}


@pytest.mark.django_db
def test_only_unknown_manager_addresses_are_listed_as_accounts_to_create(manager):
    content = csv_bytes(
        [
            row(number="P1", manager="MANAGER@example.org"),
            row(number="P2", manager="new.boss@example.org"),
            row(number="P3", manager="New.Boss@example.org"),
        ]
    )

    result = import_result(content, filename="x.csv")

    assert result.new_manager_emails == ["new.boss@example.org"]


@pytest.mark.django_db
def test_checking_a_file_takes_the_same_queries_for_few_rows_or_many(django_assert_num_queries):
    NewcomerFactory(personnel_number="P0")
    few = csv_bytes([row(number=f"P{n}", manager=f"m{n}@example.org") for n in range(3)])
    many = csv_bytes([row(number=f"P{n}", manager=f"m{n}@example.org") for n in range(900)])

    with django_assert_num_queries(2):
        import_result(few, filename="few.csv")
    with django_assert_num_queries(2):
        import_result(many, filename="many.csv")


# --- Applying a batch --------------------------------------------------------


def batch_for(user, content, filename="export.csv") -> ImportBatch:
    return ImportBatch.objects.create(uploaded_by=user, filename=filename, content=content)


@pytest.mark.django_db
def test_applying_creates_newcomers_with_their_deadline_and_one_audit_entry(
    hr, django_capture_on_commit_callbacks, mailbox
):
    content = csv_bytes([row(number="P1", start="31-12-2026", manager="new.boss@example.org"), row(number="P2")])

    with django_capture_on_commit_callbacks(execute=True):
        batch = newcomers_import(batch=batch_for(hr, content), by=hr)

    anna = Newcomer.objects.get(personnel_number="P1")
    assert anna.deadline == datetime.date(2027, 2, 28) == oath_deadline(anna.start_date)
    assert anna.manager.email == "new.boss@example.org"
    assert anna.manager.groups.filter(name=Role.MANAGER.value).exists()
    assert [m.to for m in mailbox()] == [["new.boss@example.org"]]
    assert (batch.created_count, batch.updated_count, bytes(batch.content)) == (2, 0, b"")
    assert batch.applied_at is not None
    entry = AuditEntry.objects.get(action="newcomer.import")
    assert (entry.actor, entry.target_id, entry.changes["created"]) == (hr, str(batch.pk), 2)


@pytest.mark.django_db
def test_an_update_recomputes_the_deadline_when_the_start_date_moves(hr):
    NewcomerFactory(personnel_number="P1", start_date=datetime.date(2026, 1, 31))
    content = csv_bytes([row(number="P1", given="Anna Maria", start="01-06-2026", kind="griffie")])

    batch = newcomers_import(batch=batch_for(hr, content), by=hr)

    anna = Newcomer.objects.get(personnel_number="P1")
    assert (anna.given_names, anna.start_date, anna.deadline) == (
        "Anna Maria",
        datetime.date(2026, 6, 1),
        datetime.date(2026, 8, 1),
    )
    assert (anna.kind, anna.appointing_body) == (Kind.GRIFFIE, AppointingBody.GRIFFIE)
    assert (batch.created_count, batch.updated_count) == (0, 1)


@pytest.mark.django_db
def test_an_existing_user_named_as_manager_gains_the_role_without_an_invitation(
    hr, django_capture_on_commit_callbacks, mailbox
):
    colleague = UserFactory(email="colleague@example.org", roles=[])

    with django_capture_on_commit_callbacks(execute=True):
        newcomers_import(batch=batch_for(hr, csv_bytes([row(manager="Colleague@Example.org")])), by=hr)

    assert Newcomer.objects.get().manager == colleague
    assert colleague.groups.filter(name=Role.MANAGER.value).exists()
    assert mailbox() == []


@pytest.mark.django_db
def test_one_bad_row_means_nothing_is_written(hr):
    NewcomerFactory(personnel_number="P1", given_names="Anna")
    content = csv_bytes([row(number="P1", given="Changed"), row(number="P2"), row(number="P3", start="31-02-2026")])

    with pytest.raises(ImportRefused):
        newcomers_import(batch=batch_for(hr, content), by=hr)

    assert Newcomer.objects.count() == 1
    assert Newcomer.objects.get().given_names == "Anna"
    assert ImportBatch.objects.get().applied_at is None


@pytest.mark.django_db
def test_a_batch_is_applied_once_only(hr):
    batch = batch_for(hr, csv_bytes([row()]))
    newcomers_import(batch=batch, by=hr)

    with pytest.raises(ImportRefused, match="already been applied"):
        newcomers_import(batch=batch, by=hr)

    assert Newcomer.objects.count() == 1
    assert AuditEntry.objects.filter(action="newcomer.import").count() == 1


@pytest.mark.django_db
def test_importing_a_file_without_a_user_is_still_audited():
    counts = newcomers_import_file(content=csv_bytes([row()]), filename="x.csv", by=None)

    assert counts.created == 1
    entry = AuditEntry.objects.get(action="newcomer.import")
    assert entry.actor is None
    assert entry.changes["created"] == 1


# --- The management command --------------------------------------------------


@pytest.fixture
def export_file(tmp_path):
    def write(content: bytes, name="export.csv"):
        path = tmp_path / name
        path.write_bytes(content)
        return str(path)

    return write


@pytest.mark.django_db
def test_the_command_imports_and_prints_a_summary(export_file, capsys):
    NewcomerFactory(personnel_number="P1")
    path = export_file(csv_bytes([row(number="P1"), row(number="P2"), row(number="P3")], separator=";"))

    call_command("import_newcomers", path)

    assert "Created: 2, updated: 1" in capsys.readouterr().out
    assert Newcomer.objects.count() == 3


@pytest.mark.django_db
def test_the_command_with_a_bad_row_exits_non_zero_lists_it_and_writes_nothing(export_file, capsys):
    NewcomerFactory(personnel_number="P0")
    path = export_file(csv_bytes([row(number="P1"), row(number="P2", email="nope"), row(number="P3", kind="x")]))

    with pytest.raises(CommandError) as failure:
        call_command("import_newcomers", path)

    assert failure.value.returncode == 1
    err = capsys.readouterr().err
    assert 'row 3, email: "nope" is not a valid e-mail address.' in err
    assert "row 4, kind:" in err
    assert "row 2" not in err
    assert Newcomer.objects.count() == 1


@pytest.mark.django_db
def test_the_command_reports_garbage_as_a_file_problem(export_file, capsys):
    path = export_file(b"\x89PNG\r\n\x1a\n" + bytes(50), name="export.csv")

    with pytest.raises(CommandError):
        call_command("import_newcomers", path)

    assert "PNG" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_command_dry_run_writes_nothing(export_file, capsys):
    path = export_file(xlsx_bytes([["P1", "Anna", "", "Jansen", "anna@example.org", "01-03-2026", "employee",
                                    "new.boss@example.org", ""]]), name="export.xlsx")  # fmt: skip

    call_command("import_newcomers", path, "--dry-run")

    out = capsys.readouterr().out
    assert "Dry run" in out
    assert "Created: 1" in out
    assert "manager accounts created: 1" in out
    assert Newcomer.objects.count() == 0
    assert not User.objects.filter(email="new.boss@example.org").exists()


@pytest.mark.django_db
def test_the_command_records_the_acting_user(export_file, hr):
    path = export_file(csv_bytes([row()]))

    call_command("import_newcomers", path, "--by", "HR@example.org")

    batch = ImportBatch.objects.get()
    assert (batch.uploaded_by, batch.created_count, bytes(batch.content)) == (hr, 1, b"")
    assert AuditEntry.objects.get(action="newcomer.import").actor == hr


# --- The optional end of engagement ----------------------------------------------


@pytest.mark.django_db
def test_an_hr_export_with_the_leaving_date_records_the_end_of_engagement():
    NewcomerFactory(personnel_number="P1", given_names="Anna", surname="Jansen", email="anna@example.org",
                    start_date=datetime.date(2026, 3, 1), end_date=datetime.date(2026, 12, 31))  # fmt: skip
    header = [*DUTCH, "Datum uit dienst"]
    content = csv_bytes(
        [
            [*row(number="P1"), ""],  # still employed after all: the end date goes
            [*row(number="P2", email="bo@example.org"), "30-06-2027"],
        ],
        header=header,
    )

    result = import_result(content, filename="x.csv")
    changes = {c.column: (c.before, c.after) for c in result.rows[0].changes}
    counts = newcomers_import_file(content=content, filename="x.csv", by=None)

    assert changes == {"end_date": ("31-12-2026", "")}
    assert (counts.created, counts.updated) == (1, 1)
    ends = dict(Newcomer.objects.values_list("personnel_number", "end_date"))
    assert ends == {"P1": None, "P2": datetime.date(2027, 6, 30)}


@pytest.mark.django_db
def test_a_file_without_the_column_leaves_the_end_of_engagement_alone():
    NewcomerFactory(personnel_number="P1", given_names="Anna", surname="Jansen", email="anna@example.org",
                    start_date=datetime.date(2026, 3, 1), end_date=datetime.date(2026, 12, 31))  # fmt: skip

    newcomers_import_file(content=csv_bytes([row(number="P1", surname="Jansen-Smit")]), filename="x.csv", by=None)

    assert Newcomer.objects.get().end_date == datetime.date(2026, 12, 31)


@pytest.mark.django_db
def test_an_end_before_the_start_is_a_row_problem():
    content = csv_bytes([[*row(start="01-03-2026"), "28-02-2026"], [*row(number="P2"), "31-02-2026"]],
                        header=[*ENGLISH, "end_date"])  # fmt: skip

    result = import_result(content, filename="x.csv")

    assert errors_of(result) == {
        2: [("end_date", "The end of engagement cannot be before the start date.")],
        3: [("end_date", '"31-02-2026" is not an existing date.')],
    }


@pytest.mark.django_db
def test_the_language_column_sets_the_language_of_each_persons_mails():
    content = csv_bytes(
        [[*row(number="P1"), "English"], [*row(number="P2"), ""], [*row(number="P3"), "Klingon"]],
        header=[*ENGLISH, "taal"],
    )

    result = import_result(content, filename="x.csv")

    assert [r.values["language"] for r in result.rows[:2]] == ["en", "nl"]
    assert errors_of(result) == {
        4: [("language", 'Unknown language "Klingon"; use nl (Nederlands) or en (English), or leave it empty.')]
    }
