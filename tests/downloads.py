"""Reading downloads back as a spreadsheet would: the bytes of any response (a streamed export too), a CSV
as Dutch Excel splits it, a workbook as openpyxl opens it."""

import csv
import io

from openpyxl import load_workbook

BOM = "\ufeff"


def body(client_or_response, *args, **kwargs) -> bytes:
    """The bytes of a response, or of ``client.get(*args, **kwargs)``; a streamed body is read (once)
    and kept, so that reading it again gives the same bytes."""
    response = client_or_response.get(*args, **kwargs) if args else client_or_response
    if not hasattr(response, "read_body"):
        response.read_body = response.getvalue()
    return response.read_body


def csv_rows(response) -> list[list[str]]:
    """The CSV's rows as Dutch Excel splits them (``;``), after checking and dropping its BOM."""
    text = body(response).decode("utf-8")
    assert text.startswith(BOM), "a BOM, so that Excel reads UTF-8"
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def workbook(response):
    return load_workbook(io.BytesIO(body(response)))
