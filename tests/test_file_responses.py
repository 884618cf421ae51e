"""Every file download (core.responses.file_response): its type, a safe file name, nosniff, not cached."""

import io
from email.message import Message

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from core.responses import file_response


def disposition(response) -> Message:
    """The Content-Disposition as a mail library reads it (RFC 2231/6266 parameters decoded)."""
    header = Message()
    header["Content-Disposition"] = response["Content-Disposition"]
    return header


def test_a_download_says_its_type_and_name_and_is_neither_sniffed_nor_stored():
    response = file_response(b"%PDF-1.4", filename="bewijzen-2026-06-15.pdf", content_type="application/pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bewijzen-2026-06-15.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == b"%PDF-1.4"


def test_a_name_with_accents_or_quotes_cannot_break_the_header():
    accents = file_response(b"x", filename="verklaring-Zoë Çelik.pdf", content_type="application/pdf")
    quotes = file_response(b"x", filename='a"; filename="evil.exe', content_type="application/pdf")

    assert accents["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert disposition(accents).get_filename() == "verklaring-Zoë Çelik.pdf"
    assert quotes["Content-Disposition"] == 'attachment; filename="a\\"; filename=\\"evil.exe"'
    assert disposition(quotes).get_filename() == 'a"; filename="evil.exe'


def test_inline_without_a_name_has_no_disposition_and_text_is_encoded_as_the_type_says():
    response = file_response("Zoë", filename=None, content_type="text/csv; charset=utf-8", inline=True)

    assert "Content-Disposition" not in response
    assert response.content == "Zoë".encode()


def test_an_open_file_is_streamed_with_its_length():
    response = file_response(io.BytesIO(b"scan"), filename="P-1-getekend.jpg", content_type="image/jpeg")

    assert b"".join(response.streaming_content) == b"scan"
    assert response["Content-Length"] == "4"
    assert response["Content-Disposition"] == 'attachment; filename="P-1-getekend.jpg"'
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_the_newcomer_export_is_a_private_download(hr_client):
    response = hr_client.get(reverse("newcomer_list"), {"_export": "csv"})

    assert isinstance(response, StreamingHttpResponse), "written while it is sent"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert disposition(response).get_filename().startswith("nieuwkomers-")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
