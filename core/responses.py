"""Every file the application returns goes through ``file_response``.

PDFs (proofs, attendance lists, declarations, annual figures), CSV and XLSX
exports, signed scans and calendars. Each gets its content type, a
Content-Disposition that is safe whatever the file name holds (RFC 6266:
quotes and backslashes escaped, ``filename*`` for a non-ASCII name; Django's
``content_disposition_header``), ``X-Content-Type-Options: nosniff`` (also
without the security middleware) and, since they hold personal data,
``Cache-Control: private, no-store`` unless the caller asks otherwise.
``streaming_file_response`` gives a download written while it is sent (the CSV
exports) the same headers.
"""

from collections.abc import Iterable

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

PRIVATE_NO_STORE = "private, no-store"
PDF = "application/pdf"


def file_response(
    content,
    *,
    filename: str | None,
    content_type: str,
    inline: bool = False,
    cache_control: str | None = PRIVATE_NO_STORE,
) -> HttpResponse:
    """A download (``inline=True``: shown in the browser) of bytes, text or an open file.

    An open file is streamed (``FileResponse``, which also sets Content-Length). Without a
    ``filename`` an inline response has no Content-Disposition at all.
    """
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
        disposition = content_disposition_header(not inline, filename)
        if disposition:
            response["Content-Disposition"] = disposition
    else:
        response = FileResponse(content, as_attachment=not inline, filename=filename or "", content_type=content_type)
    return _with_file_headers(response, cache_control=cache_control)


def streaming_file_response(
    chunks: Iterable[bytes], *, filename: str, content_type: str, cache_control: str | None = PRIVATE_NO_STORE
) -> StreamingHttpResponse:
    """A download written while it is sent (no Content-Length): the same headers as ``file_response``'s."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return _with_file_headers(response, cache_control=cache_control)


def _with_file_headers(response, *, cache_control: str | None):
    response["X-Content-Type-Options"] = "nosniff"
    if cache_control:
        response["Cache-Control"] = cache_control
    return response
