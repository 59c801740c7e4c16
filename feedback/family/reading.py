"""Read an uploaded CSV or XLSX file into a plain table, as people made it.

Contract: ``read_table(data, filename, max_rows) -> Table`` or
``UnreadableFile`` with a message for the person. The table keeps the row
numbers the person sees in their spreadsheet (the header is usually row 1),
so every error can say "row 7".

What real files bring, and what happens to it:

- CSV in UTF-8 with or without a byte-order mark, or saved by older Excel in
  Windows-1252; Windows or Unix line endings; commas, semicolons, tabs or
  pipes (sniffed); line breaks inside quoted cells.
- XLSX streamed one cell at a time (``workbook``: memory stays flat whatever
  the sheet holds). Title rows above the header (often merged across the
  sheet) are skipped: the header is the first row with two or more filled
  cells. A header cell merged across several columns names each of them
  ("Comments", "Comments (2)").
- Formula cells give their saved result; a formula with no saved result is
  recorded so validation can name the row and cell.
- Blank rows are skipped and listed.

Bounds (each refused with a message saying which, before much is read):
more than ``max_rows`` rows of feedback; more than ``MAX_COLUMNS`` columns;
a cell over ``MAX_CELL_CHARS`` characters (Excel's own limit); more than
``MAX_BLANK_ROWS`` blank rows between rows of feedback; an XLSX that unpacks
to more than ``workbook.Limits`` allows. After ``MAX_BLANK_RUN`` blank rows in
a row reading stops (a sheet formatted far below its data), and the table
says where (``stopped_at``), so the page can say so.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, time

from flask_babel import gettext as _
from openpyxl.utils import get_column_letter

from ..i18n import N_
from .workbook import Limits, TooLarge, sheet_records

CSV_DELIMITERS = ",;\t|"
MAX_COLUMNS = 200
MAX_CELL_CHARS = 32_767
MAX_BLANK_ROWS = 10_000
MAX_BLANK_RUN = 10_000
LIMITS = Limits(max_columns=MAX_COLUMNS, max_cell_chars=MAX_CELL_CHARS)


class UnreadableFile(ValueError):
    """The file cannot be read as a table; the message says why, plainly."""


@dataclass
class Table:
    headers: list[str]
    header_row: int
    # (row number as the person sees it, cells as strings/numbers/dates/None)
    rows: list[tuple[int, list]] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)
    # row number -> cell references holding a formula with no saved result
    formula_cells: dict[int, list[str]] = field(default_factory=dict)
    file_kind: str = "csv"
    encoding_note: str | None = None
    # the row after which reading stopped (MAX_BLANK_RUN blank rows in a row)
    stopped_at: int | None = None


@dataclass
class Outline:
    """What the column-mapping page shows of a table, small enough to keep with the
    upload (so that page does not read the file again)."""
    headers: list[str]
    header_row: int
    row_count: int
    blank_count: int
    preview: list[tuple[int, list]]
    stopped_at: int | None = None
    encoding_note: str | None = None

    @classmethod
    def of(cls, table: Table, preview_rows: int) -> "Outline":
        preview = [(n, [None if c is None else str(c) for c in cells])
                   for n, cells in table.rows[:preview_rows]]
        return cls(table.headers, table.header_row, len(table.rows), len(table.blank_rows),
                   preview, table.stopped_at, table.encoding_note)


def read_table(data: bytes, filename: str, max_rows: int) -> Table:
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, max_rows)
    if name.endswith((".xls", ".ods", ".numbers")):
        raise UnreadableFile(_("The file must be a CSV or an Excel .xlsx file. "
                               "Save it as .xlsx or CSV and upload it again"))
    return _read_csv(data, max_rows)


def _decode(data: bytes) -> tuple[str, str | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), _("The file was not saved as UTF-8; it was read as "
                                        "Windows (Western European) text. Check accents look "
                                        "right")
    except UnicodeDecodeError:
        raise UnreadableFile(_("The file's text could not be read. Save it as "
                               "'CSV UTF-8' and upload it again")) from None


def _read_csv(data: bytes, max_rows: int) -> Table:
    if b"\x00" in data[:4096]:
        raise UnreadableFile(_("The file must be a CSV or an Excel .xlsx file"))
    text, note = _decode(data)
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"',
                        doublequote=True, skipinitialspace=False, strict=False)
    try:
        return _build(_numbered(reader), max_rows, "csv", note)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise UnreadableFile(_("A cell in row %(row)s holds more than %(count)s characters",
                                   row=reader.line_num, count=f"{MAX_CELL_CHARS:,}")) from None
        raise UnreadableFile(_("The CSV file could not be read (%(problem)s). Check it opens "
                               "in a spreadsheet and upload it again", problem=exc)) from None


def _numbered(records):
    for number, cells in enumerate(records, start=1):
        if len(cells) > MAX_COLUMNS and not _blank(cells[MAX_COLUMNS:]):
            raise UnreadableFile(_("Row %(row)s has more than %(count)s columns. The file "
                                   "can have at most %(count)s columns", row=number,
                                   count=MAX_COLUMNS))
        cells = [c.strip() for c in cells[:MAX_COLUMNS]]
        for index, cell in enumerate(cells):
            if len(cell) > MAX_CELL_CHARS:
                raise UnreadableFile(_("Cell %(cell)s holds more than %(count)s characters",
                                       cell=f"{get_column_letter(index + 1)}{number}",
                                       count=f"{MAX_CELL_CHARS:,}"))
        yield number, cells, ()


def _blank(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _build(records, max_rows: int, kind: str, note: str | None = None,
           merges: list[tuple[int, int, int, int]] | None = None) -> Table:
    """Find the header row, then collect data rows up to ``max_rows``.

    ``merges`` may fill up while ``records`` is read (an XLSX lists its merged
    cells after its rows), so the header labels are settled at the end.
    """
    table = None
    header_cells: list = []
    last = 0  # the last row that was not blank
    for number, cells, formulas in records:
        blank = _blank(cells)
        if blank and number - last > MAX_BLANK_RUN:
            if table is not None:
                table.stopped_at = last
            break
        if blank:
            continue
        if table is None:
            last = number
            filled = [c for c in cells if not _blank([c])]
            # (one filled cell is a header only in a one-column CSV; in a sheet it is a title)
            if len(filled) >= 2 or (filled and kind == "csv" and len(cells) == 1):
                header_cells = list(cells)
                table = Table(headers=_headers(cells, number, ()), header_row=number,
                              file_kind=kind, encoding_note=note)
            continue
        # Blank rows count only when data follows them (trailing ones are not errors);
        # rows missing from an XLSX are blank rows too.
        if number - last > MAX_BLANK_RUN:
            table.stopped_at = last
            break
        table.blank_rows.extend(range(last + 1, number))
        last = number
        if len(table.blank_rows) > MAX_BLANK_ROWS:
            raise UnreadableFile(_("The file has more than %(count)s blank rows between rows "
                                   "of feedback. Delete the blank rows and upload it again",
                                   count=f"{MAX_BLANK_ROWS:,}"))
        if len(table.rows) >= max_rows:
            raise UnreadableFile(_("The file has more than %(count)s rows. Split it into "
                                   "files of %(count)s rows or fewer", count=f"{max_rows:,}"))
        width = len(table.headers)
        row = list(cells[:width]) + [None] * (width - len(cells))
        table.rows.append((number, row))
        if formulas:
            table.formula_cells[number] = sorted(formulas)
    if table is None:
        raise UnreadableFile(_("The file is empty. It needs a header row and at least one row "
                               "of feedback"))
    if not table.rows:
        raise UnreadableFile(_("The file has a header row but no feedback rows"))
    if merges:
        table.headers = _headers(header_cells, table.header_row, merges)
    return table


def _headers(cells, row_number: int, merges) -> list[str]:
    """Labels for the header cells; a blank cell inside a merged range takes the
    range's first label. ``merges``: (first row, last row, first col, last col)."""
    headers: list[str] = []
    seen: dict[str, int] = {}
    last = len(cells)
    while last and _blank([cells[last - 1]]):
        last -= 1
    for index in range(last):
        value = cells[index]
        label = _text(value)
        if not label:
            origin = next((c1 for r1, r2, c1, c2 in merges
                           if r1 <= row_number <= r2 and c1 <= index <= c2), None)
            if origin is not None and origin < index and headers[origin]:
                label = headers[origin]
            else:
                label = f"Column {get_column_letter(index + 1)}"
        base = label
        count = seen.get(base.lower(), 0) + 1
        seen[base.lower()] = count
        headers.append(base if count == 1 else f"{base} ({count})")
    return headers


def _text(value) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


XLSX_UNREADABLE = N_("The Excel file could not be opened. Check it is an .xlsx file and "
                     "upload it again")


def _read_xlsx(data: bytes, max_rows: int) -> Table:
    """Read the first sheet; any damage to the workbook gives ``XLSX_UNREADABLE``.

    A damaged or hostile workbook fails in many places and many ways: when it
    is opened (not a zip, parts missing), or later, while its sheet is
    read lazily (a corrupt deflate stream is ``zlib.error``, a compression
    method zipfile lacks is ``NotImplementedError``, broken XML is a parser's
    error, a workbook with no sheet is ``IndexError``). All of them mean the
    same thing to the person, so all of them give the same clear message.
    A workbook beyond a bound (``workbook.Limits``) says which bound.
    """
    try:
        records, merges = sheet_records(data, LIMITS)

        def cleaned():
            for number, cells, formulas in records:
                yield number, [_cell(value) for value in cells], formulas
        return _build(cleaned(), max_rows, "xlsx", None, merges)
    except (UnreadableFile, TooLarge) as problem:
        raise UnreadableFile(str(problem)) from None
    except Exception:  # noqa: BLE001 - see the docstring: every failure means "unreadable"
        raise UnreadableFile(_(XLSX_UNREADABLE)) from None


def _cell(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value

