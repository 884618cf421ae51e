"""Every file the application returns goes through ``file_response``.

PDFs (proofs, attendance lists, declarations, annual figures), CSV and XLSX
exports, signed scans and calendars. Each gets its content type, a
Content-Disposition that is safe whatever the file name holds (RFC 6266:
quotes and backslashes escaped, ``filename*`` for a non-ASCII name; Django's
``content_disposition_header``), ``X-Content-Type-Options: nosniff`` (also
without the security middleware) and, since they hold personal data,
``Cache-Control: private, no-store`` unless the caller asks otherwise.
"""

from django.http import FileResponse, HttpResponse
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
    response["X-Content-Type-Options"] = "nosniff"
    if cache_control:
        response["Cache-Control"] = cache_control
    return response
