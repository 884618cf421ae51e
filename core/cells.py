"""What a spreadsheet cell holds, for the CSV and XLSX writers (``core.exports``, ``core.xlsx``)."""

from decimal import Decimal

# Characters with which a spreadsheet starts a formula (full-width ones too).
FORMULA_CHARACTERS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def cell_text(value) -> str:
    """Any non-number as the text a spreadsheet gets (None as empty)."""
    return "" if value is None else str(value)
