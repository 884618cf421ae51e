"""The proofs read back: the text with pypdf, the QR code with an independent decoder, followed to the page."""

import datetime
import hashlib
import io
import os
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from eed.models import Certificate
from eed.proofs import pdf
from eed.proofs.attendance import ceremony_record_attendance
from eed.proofs.documents import certificate_pdf
from onboarding.enums import TextKind
from onboarding.models import AuditEntry, OrganisationProfile, Text
from tests.eed.ceremony_day import (
    absent,
    assign,
    ceremony_on,
    decode_qr_codes,
    newcomer,
    path_of,
    pdf_pages,
    pdf_text,
    record,
    taken,
)
from tests.factories import CeremonyFactory, NewcomerFactory, UserFactory
from tests.pdf_checks import assert_pdfa_2b

pytestmark = pytest.mark.django_db

LONG_NAME = "Johanna Wilhelmina Maria-Louise Alexandrina Theodora Cornelia Frederika van der Zwaluwenburg-Hoogstraten"


@pytest.fixture
def sworn(hr, manager):
    """Jan Pieter van der Berg took the oath yesterday, with his manager as witness."""
    ceremony = ceremony_on(-1)
    person = newcomer(manager, given_names="Jan Pieter", surname_prefix="van der", surname="Berg")
    appointment = assign(ceremony, person, hr, form="oath")
    record(ceremony, hr, [taken(appointment)])
    return Certificate.objects.select_related("text", "organisation").get(appointment=appointment)


def test_the_proof_reads_back_with_title_formula_names_date_and_number(sworn, manager):
    text = pdf_text(certificate_pdf(sworn))
    oath = Text.objects.get(kind=TextKind.OATH, language="nl", version=1)
    year = timezone.localtime(sworn.appointment.ceremony.starts_at).year

    assert "Bewijs van eedaflegging" in text
    assert "Provincie Zuid-Holland" in text
    assert " ".join(oath.body.split()) in text
    assert oath.closing_words in text
    assert "Jan Pieter van der Berg" in text
    assert "Pieter Smit, provinciesecretaris" in text
    assert manager.get_full_name() in text
    assert f"ZH-{year}-0001" in text
    assert sworn.place in text
    assert len(PdfReader(io.BytesIO(certificate_pdf(sworn))).pages) == 1


def test_an_affirmation_is_titled_so_and_english_comes_on_request(hr, manager, hr_client):
    ceremony = ceremony_on(-1)
    appointment = assign(ceremony, newcomer(manager), hr, form="affirmation")
    record(ceremony, hr, [taken(appointment, form="affirmation")])
    certificate = Certificate.objects.get()
    url = reverse("certificate_pdf", args=[certificate.pk])

    dutch = hr_client.get(url)
    english = hr_client.get(url, {"language": "en"})

    assert dutch["Content-Type"] == "application/pdf"
    assert f'filename="{certificate.number}.pdf"' in dutch["Content-Disposition"]
    assert "Bewijs van belofte" in pdf_text(dutch.content)
    english_text = pdf_text(english.content)
    assert "Proof of affirmation" in english_text
    assert "This I declare and affirm!" in english_text


def test_the_qr_code_decodes_to_the_verification_page_of_this_proof(sworn, client, tmp_path):
    urls = decode_qr_codes(certificate_pdf(sworn), tmp_path)

    assert len(urls) == 1
    assert urls[0].startswith("http") and sworn.verification_code in urls[0]
    assert sworn.number not in urls[0]
    page = client.get(path_of(urls[0]))
    assert page.status_code == 200
    assert sworn.number in page.content.decode()
    assert "J.P. van der Berg" in page.content.decode()


def test_a_long_name_and_a_long_formula_wrap_and_no_word_is_cut():
    assert len(LONG_NAME) >= 100
    name = (LONG_NAME + " Ödön")[:120]
    formula = "\n\n".join(
        f"Artikel {n}: ik zweer trouw aan de Grondwet, wetten en regels, integriteit en zorgvuldigheid " * 6
        for n in range(1, 7)
    )
    data = pdf.ProofData(
        organisation=pdf.OrganisationData(name="Provincie Zuid-Holland"),
        language="nl",
        form="oath",
        formula_title="Eed",
        formula=formula,
        closing_words="Zo waarlijk helpe mij God almachtig!",
        formula_version=3,
        full_name=name,
        date=datetime.date(2022, 5, 12),
        place="Provinciehuis",
        officiant_name="Pieter Smit",
        officiant_function="provinciesecretaris",
        witness_name=name,
        number="ZH-2022-0042",
        verification_url="https://eed.example.org/verify/" + "x" * 32 + "/",
    )

    text = pdf_text(pdf.proof_pdf(data))

    for word in set((name + " " + formula + " " + data.closing_words).split()):
        assert word in text, word


def test_a_formula_too_long_for_one_page_flows_on_and_signatures_follow(tmp_path):
    formula = "\n\n".join(f"Lid {n}. " + "Ik beloof eerlijk en zorgvuldig te werken. " * 40 for n in range(1, 15))
    data = pdf.ProofData(
        organisation=pdf.OrganisationData(name="Provincie Zuid-Holland"),
        language="en",
        form="affirmation",
        formula_title="Affirmation",
        formula=formula,
        closing_words="This I declare and affirm!",
        formula_version=1,
        full_name="Ayşe Aksoy",
        date=datetime.date(2022, 5, 12),
        place="Den Haag",
        officiant_name="Pieter Smit",
        officiant_function="provinciesecretaris",
        witness_name="Karin de Vries",
        number="ZH-2022-0043",
        verification_url="https://eed.example.org/verify/" + "y" * 32 + "/",
    )

    content = pdf.proof_pdf(data)
    pages = pdf_pages(content)

    assert len(pages) >= 2
    assert "Proof of affirmation" in pages[0]
    assert "Lid 14." in pdf_text(content) and "This I declare and affirm!" in pages[-1]
    assert "ZH-2022-0043" in pages[-1]  # the number and the QR code come after the text
    codes = decode_qr_codes(content, tmp_path)
    assert codes[-1] == data.verification_url and set(codes[:-1]) == {None}


def test_the_organisations_logo_is_printed_when_configured(sworn, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), (21, 66, 115)).save(buffer, format="PNG")
    profile = OrganisationProfile.objects.get()
    profile.logo.save("logo.png", io.BytesIO(buffer.getvalue()))

    content = certificate_pdf(Certificate.objects.select_related("organisation", "text").get(pk=sworn.pk))

    assert_pdfa_2b(content)
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert len(page.images) == 1


def test_the_ceremony_pdf_holds_every_proof_in_sheet_order_and_the_list_to_sign(hr, manager, hr_client, tmp_path):
    ceremony = ceremony_on(-1)
    people = [newcomer(manager, surname=name) for name in ("Zomer", "Aksoy", "Mulder")]
    appointments = sorted((assign(ceremony, p, hr, form="oath") for p in people), key=lambda a: a.newcomer.surname)
    record(ceremony, hr, [taken(appointments[0]), absent(appointments[1]), taken(appointments[2])])

    proofs = hr_client.get(reverse("ceremony_proofs_pdf", args=[ceremony.pk]))
    listing = hr_client.get(reverse("ceremony_attendance_pdf", args=[ceremony.pk]))

    pages = pdf_pages(proofs.content)
    assert len(pages) == 2
    assert "Aksoy" in pages[0] and "Zomer" in pages[1]
    codes = decode_qr_codes(proofs.content, tmp_path)
    expected = [c.verification_code for c in Certificate.objects.order_by("appointment__newcomer__surname")]
    assert [code.rstrip("/").rsplit("/", 1)[-1] for code in codes] == expected
    listed = pdf_text(listing.content)
    assert listing["Content-Type"] == "application/pdf"
    assert all(p.personnel_number in listed for p in people)
    assert listed.index("Aksoy") < listed.index("Mulder") < listed.index("Zomer")


def test_before_the_ceremony_there_are_no_proofs_but_the_list_to_sign_prints(hr, manager, hr_client):
    ceremony = ceremony_on(3)
    person = newcomer(manager, surname="Bakker")
    assign(ceremony, person, hr, form="affirmation")

    assert hr_client.get(reverse("ceremony_proofs_pdf", args=[ceremony.pk])).status_code == 302
    listed = pdf_text(hr_client.get(reverse("ceremony_attendance_pdf", args=[ceremony.pk])).content)
    assert "Bakker" in listed and person.personnel_number in listed


def test_a_proof_keeps_the_formula_version_of_its_ceremony_day(sworn, hr, manager):
    oath = Text.objects.get(kind=TextKind.OATH, language="nl", version=1)
    # Added after the proof was issued, though in force from before its ceremony.
    Text.objects.create(
        kind=TextKind.OATH,
        language="nl",
        version=2,
        valid_from=timezone.localdate() - datetime.timedelta(days=10),
        title="Eed",
        body="Ik zweer de gewijzigde tekst.",
        closing_words="Zo waarlijk helpe mij God almachtig!",
    )
    today = ceremony_on(0)
    appointment = assign(today, newcomer(manager), hr, form="oath")
    record(today, hr, [taken(appointment)])

    assert "gewijzigde tekst" not in pdf_text(certificate_pdf(sworn))
    assert " ".join(oath.body.split()) in pdf_text(certificate_pdf(sworn))
    todays = Certificate.objects.select_related("text", "organisation").get(appointment=appointment)
    assert todays.text.version == 2
    assert "Ik zweer de gewijzigde tekst." in pdf_text(certificate_pdf(todays))


def _ceremony_at(day: datetime.date):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    return CeremonyFactory(starts_at=moment, ends_at=moment + datetime.timedelta(hours=1), capacity=5)


def test_numbers_run_per_prefix_and_year_of_the_ceremony(hr, manager):
    numbers = []
    for day in (datetime.date(2022, 5, 12), datetime.date(2022, 11, 3), datetime.date(2023, 2, 9)):
        ceremony = _ceremony_at(day)
        person = NewcomerFactory(manager=manager, start_date=day - datetime.timedelta(days=20))
        appointment = assign(ceremony, person, hr)
        record(ceremony, hr, [taken(appointment)])
        numbers.append(Certificate.objects.get(appointment=appointment).number)

    assert numbers == ["ZH-2022-0001", "ZH-2022-0002", "ZH-2023-0001"]


def test_hr_uploads_the_signed_scan_and_sees_its_sha256(sworn, hr_client, settings, tmp_path, manager_client):
    settings.MEDIA_ROOT = tmp_path
    scan = b"%PDF-1.4\n" + b"signed proof " * 100
    upload = io.BytesIO(scan)
    upload.name = "scan.pdf"

    response = hr_client.post(reverse("certificate_scan_upload", args=[sworn.pk]), {"scan": upload})

    assert response.status_code == 302
    sworn.refresh_from_db()
    assert sworn.scan_sha256 == hashlib.sha256(scan).hexdigest()
    assert sworn.scan_content_type == "application/pdf"
    assert str(tmp_path) in sworn.scan.path
    page = hr_client.get(reverse("newcomer_detail", args=[sworn.appointment.newcomer_id])).content.decode()
    assert sworn.scan_sha256 in page and sworn.number in page
    download = hr_client.get(reverse("certificate_scan", args=[sworn.pk]))
    assert b"".join(download.streaming_content) == scan
    assert manager_client.get(reverse("certificate_scan", args=[sworn.pk])).status_code == 403


def test_a_replaced_scan_is_deleted_once_the_new_one_is_stored(
    sworn, hr_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    wrong, right = b"%PDF-1.4\n" + b"wrong page " * 50, b"\xff\xd8\xff" + b"signed proof " * 50
    url = reverse("certificate_scan_upload", args=[sworn.pk])
    with django_capture_on_commit_callbacks(execute=True):
        hr_client.post(url, {"scan": SimpleUploadedFile("wrong.pdf", wrong)})
    first = Certificate.objects.get(pk=sworn.pk).scan.path

    with django_capture_on_commit_callbacks(execute=True):
        assert hr_client.post(url, {"scan": SimpleUploadedFile("right.jpg", right)}).status_code == 302

    sworn.refresh_from_db()
    assert [path.read_bytes() for path in tmp_path.rglob("*.*")] == [right]
    assert not os.path.exists(first) and sworn.scan.path.endswith(".jpg")
    replaced = AuditEntry.objects.filter(action="certificate.scan").latest("id")
    assert replaced.changes["sha256"] == {"before": hashlib.sha256(wrong).hexdigest(), "after": sworn.scan_sha256}


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00 not a scan", "scan.pdf"),
        (b"<html>evil</html>", "scan.png"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 2048, "big.png"),
    ],
)
def test_a_scan_that_is_not_pdf_png_or_jpeg_or_too_large_is_refused(
    sworn, hr_client, settings, tmp_path, content, name
):
    settings.MEDIA_ROOT = tmp_path
    settings.SCAN_MAX_BYTES = 1024
    upload = io.BytesIO(content)
    upload.name = name

    hr_client.post(reverse("certificate_scan_upload", args=[sworn.pk]), {"scan": upload})

    sworn.refresh_from_db()
    assert not sworn.scan and sworn.scan_sha256 == ""
    assert not list(tmp_path.rglob("*.*"))


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_ceremonies_recorded_at_once_never_share_a_number(require_postgresql):
    hr = UserFactory(roles=["HR"])
    manager = UserFactory(roles=["Manager"])
    work = []
    for _ in range(6):
        ceremony = ceremony_on(-1)
        appointments = [assign(ceremony, newcomer(manager), hr, form="oath") for _ in range(3)]
        work.append((ceremony, appointments))
    start = threading.Barrier(len(work))
    errors = []

    def run(ceremony, appointments):
        try:
            start.wait()
            ceremony_record_attendance(ceremony=ceremony, by=hr, rows=[taken(a) for a in appointments])
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    sequences = sorted(Certificate.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 19))
