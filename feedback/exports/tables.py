"""CSV and XLSX writers for plain tables, safe to open in a spreadsheet.

Contract: ``to_csv(headers, rows) -> bytes`` and ``to_xlsx(headers, rows,
sheet_title) -> bytes``. ``rows`` is any iterable of sequences (consumed once,
so a generator over 100,000 rows is fine). Values may be ``None``, ``str``,
``int``, ``float``, ``bool``, ``Decimal``, ``date`` or ``datetime``.

Spreadsheet formula injection: a text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is run as a formula (or can become
one) by Excel, LibreOffice and Google Sheets. Every text cell goes through
``sanitise.file_text``: control characters are removed first, then such text
gets a leading apostrophe, which spreadsheets show as plain text. Numbers stay
numbers, so a negative number is not altered.
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Iterable, Sequence

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .sanitise import file_text, strip_controls

# Sheet titles may not contain these, and are at most 31 characters.
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def safe_cell(value):
    """``value`` made safe for a spreadsheet cell.

    Text loses its control characters, and text starting with a formula
    trigger gets a leading apostrophe (``sanitise.file_text``); other values
    are returned as they are. Booleans become "Yes"/"No" so that
    exports read the same in every program.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (int, float, Decimal, date)):
        return value
    return file_text(value)


def _csv_value(value) -> str:
    value = safe_cell(value)
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads accents and emoji right),
    Windows line endings, every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_csv_value(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_value(value):
    value = safe_cell(value)
    if isinstance(value, datetime):
        # Excel has no time zones: write UTC without an offset.
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def sheet_title_for(title: str) -> str:
    cleaned = " ".join(strip_controls(title or "Sheet").translate(_SHEET_TITLE_FORBIDDEN).split())
    return (cleaned or "Sheet")[:31]


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "Sheet") -> bytes:
    """One worksheet: a bold, frozen header row, then the rows. Written in
    openpyxl's write-only mode so memory stays flat for large exports."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title_for(sheet_title))
    sheet.freeze_panes = "A2"
    from openpyxl.cell import WriteOnlyCell
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
