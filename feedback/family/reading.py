"""Read an uploaded CSV or XLSX file into a plain table, as people made it.

Contract: ``read_table(data, filename, max_rows) -> Table`` or
``UnreadableFile`` with a message for the person. The table keeps the row
numbers the person sees in their spreadsheet (the header is usually row 1),
so every error can say "row 7".

What real files bring, and what happens to it:

- CSV in UTF-8 with or without a byte-order mark, or saved by older Excel in
  Windows-1252; Windows or Unix line endings; commas, semicolons, tabs or
  pipes (sniffed); line breaks inside quoted cells.
- XLSX read with openpyxl in read-only mode (memory stays flat). Title rows
  above the header (often merged across the sheet) are skipped: the header is
  the first row with two or more filled cells. A header cell merged across
  several columns names each of them ("Comments", "Comments (2)").
- Formula cells give their saved result; a formula with no saved result is
  recorded so validation can name the row and cell.
- Blank rows are skipped and listed.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, time

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

CSV_DELIMITERS = ",;\t|"
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


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


def read_table(data: bytes, filename: str, max_rows: int) -> Table:
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, max_rows)
    if name.endswith((".xls", ".ods", ".numbers")):
        raise UnreadableFile("The file must be a CSV or an Excel .xlsx file. "
                             "Save it as .xlsx or CSV and upload it again")
    return _read_csv(data, max_rows)


def _decode(data: bytes) -> tuple[str, str | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), ("The file was not saved as UTF-8; it was read as "
                                       "Windows (Western European) text. Check accents look right")
    except UnicodeDecodeError:
        raise UnreadableFile("The file's text could not be read. Save it as "
                             "'CSV UTF-8' and upload it again") from None


def _read_csv(data: bytes, max_rows: int) -> Table:
    if b"\x00" in data[:4096]:
        raise UnreadableFile("The file must be a CSV or an Excel .xlsx file")
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
        records = _numbered(reader)
        return _build(records, max_rows, "csv", note)
    except csv.Error as exc:
        raise UnreadableFile(f"The CSV file could not be read ({exc}). Check it opens "
                             "in a spreadsheet and upload it again") from None


def _numbered(records):
    for number, cells in enumerate(records, start=1):
        yield number, [c.strip() if isinstance(c, str) else c for c in cells], {}


def _blank(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _build(records, max_rows: int, kind: str, note: str | None = None,
           merges: dict[tuple[int, int], int] | None = None) -> Table:
    """Find the header row, then collect data rows up to ``max_rows``."""
    table = None
    pending_blank: list[int] = []
    for number, cells, formulas in records:
        if table is None:
            filled = [c for c in cells if not _blank([c])]
            if len(filled) >= 2 or (filled and len(cells) == 1):
                table = Table(headers=_headers(cells, number, merges or {}), header_row=number,
                              file_kind=kind, encoding_note=note)
            continue
        if _blank(cells):
            pending_blank.append(number)
            continue
        # Blank rows count only when data follows them (trailing ones are not errors).
        table.blank_rows.extend(pending_blank)
        pending_blank = []
        if len(table.rows) >= max_rows:
            raise UnreadableFile(f"The file has more than {max_rows:,} rows. Split it into "
                                 f"files of {max_rows:,} rows or fewer")
        width = len(table.headers)
        row = list(cells[:width]) + [None] * (width - len(cells))
        table.rows.append((number, row))
        if formulas:
            table.formula_cells[number] = sorted(formulas)
    if table is None:
        raise UnreadableFile("The file is empty. It needs a header row and at least one row "
                             "of feedback")
    if not table.rows:
        raise UnreadableFile("The file has a header row but no feedback rows")
    return table


def _headers(cells, row_number: int, merges: dict[tuple[int, int], int]) -> list[str]:
    headers: list[str] = []
    seen: dict[str, int] = {}
    last = len(cells)
    while last and _blank([cells[last - 1]]):
        last -= 1
    for index in range(last):
        value = cells[index]
        label = _text(value)
        if not label:
            origin = merges.get((row_number, index))
            if origin is not None and headers[origin]:
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


def _merged_header_cells(archive: zipfile.ZipFile, sheet_path: str) -> dict[tuple[int, int], int]:
    """(row, column index) of each cell inside a merged range -> the range's first column."""
    try:
        xml = archive.read(sheet_path.lstrip("/"))
    except KeyError:
        return {}
    merges: dict[tuple[int, int], int] = {}
    for col1, row1, col2, row2 in _MERGE_REF.findall(xml):
        first = column_index_from_string(col1.decode()) - 1
        last = column_index_from_string(col2.decode()) - 1
        for row in range(int(row1), int(row2) + 1):
            for col in range(first, last + 1):
                merges[(row, col)] = first
    return merges


XLSX_UNREADABLE = ("The Excel file could not be opened. Check it is an .xlsx file and "
                   "upload it again")


def _read_xlsx(data: bytes, max_rows: int) -> Table:
    """Read the first sheet; any damage to the workbook gives ``XLSX_UNREADABLE``.

    A damaged or hostile workbook fails in many places and many ways: when it
    is opened (not a zip, parts missing), or later, while its sheets are
    read lazily (a corrupt deflate stream is ``zlib.error``, a compression
    method zipfile lacks is ``NotImplementedError``, broken XML is a parser's
    error, a workbook with no sheet is ``IndexError``). All of them mean the
    same thing to the person, so all of them give the same clear message.
    """
    try:
        return _read_workbook(data, max_rows)
    except UnreadableFile:
        raise
    except Exception:  # noqa: BLE001 - see the docstring: every failure means "unreadable"
        raise UnreadableFile(XLSX_UNREADABLE) from None


def _read_workbook(data: bytes, max_rows: int) -> Table:
    try:
        formulas_wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UnreadableFile(XLSX_UNREADABLE) from None
    try:
        sheet = formulas_wb.worksheets[0]
        merges = _merged_header_cells(formulas_wb._archive, sheet._worksheet_path)
        # Blank rows are kept as [] so a sheet formatted down to row 1,048,576 stays small.
        raw = [(n, [] if _blank(r) else list(r))
               for n, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        formulas_wb.close()
    has_formula = any(isinstance(c, str) and c.startswith("=") for _, r in raw for c in r)
    cached: dict[int, list] = {}
    if has_formula:
        # Second pass only when needed: the saved results of the formulas.
        values_wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for n, r in enumerate(values_wb.worksheets[0].iter_rows(values_only=True), start=1):
                cached[n] = list(r)
        finally:
            values_wb.close()

    def records():
        for number, cells in raw:
            formulas = set()
            out = []
            for index, value in enumerate(cells):
                if isinstance(value, str) and value.startswith("="):
                    saved = cached.get(number, [])
                    saved = saved[index] if index < len(saved) else None
                    if saved is None:
                        formulas.add(f"{get_column_letter(index + 1)}{number}")
                    value = saved
                out.append(_cell(value))
            yield number, out, formulas
    return _build(records(), max_rows, "xlsx", None, merges)


def _cell(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value

