"""Stream the first sheet of an XLSX upload, within fixed bounds.

Contract: ``sheet_records(data, limits) -> (records, merges)``: ``records`` is
a generator of ``(row number, cells, formula refs)`` for the rows present in
the sheet, read one cell at a time; ``merges`` is a list, filled while the
sheet is read (the ``<mergeCells>`` part comes after the rows), of merged
ranges ``(first row, last row, first column, last column)`` (0-based columns)
that start in the first ``HEADER_MERGE_ROWS`` rows. Raises ``TooLarge`` or
any parser error (the caller turns those into one clear message).

Why not openpyxl's worksheet iterator: it builds each ``<row>`` element whole
(a row of millions of cells is millions of objects), pads every row to the
sheet's stated width, and yields every missing row up to the stated last row
(a sheet "formatted" down to row 1,048,576); and opening a workbook reads
every sheet whole when it has no ``<dimension>`` (looking for one). Here
nothing is padded, no missing row is made up, and only the first sheet is
read, once. The shared strings and the stylesheet are streamed here too, and
bounded (openpyxl builds the whole stylesheet as objects and reads shared
strings slowly: a few million tiny texts in a small zip took it 19 s and
450 MB); openpyxl still reads the workbook part and converts each cell
(``WorkSheetParser.parse_cell``).

Before anything is unpacked, the zip's directory is checked: a part larger
than ``max_part_bytes`` once unpacked, or all parts over ``max_total_bytes``,
is refused (a "zip bomb": a few hundred kilobytes that unpack to gigabytes).
The sizes in the directory are binding: ``zipfile`` stops reading a part at
its stated size and fails its checksum if there was more.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import ARC_STYLE, SHARED_STRINGS, SHEET_MAIN_NS
from lxml import etree

CELL_TAG = f"{{{SHEET_MAIN_NS}}}c"
ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
FORMULA_TAG = f"{{{SHEET_MAIN_NS}}}f"
MERGE_CELL_TAG = f"{{{SHEET_MAIN_NS}}}mergeCell"
SI_TAG = f"{{{SHEET_MAIN_NS}}}si"
T_TAG = f"{{{SHEET_MAIN_NS}}}t"
R_TAG = f"{{{SHEET_MAIN_NS}}}r"
NUM_FMT_TAG = f"{{{SHEET_MAIN_NS}}}numFmt"
XF_TAG = f"{{{SHEET_MAIN_NS}}}xf"
CELL_XFS_TAG = f"{{{SHEET_MAIN_NS}}}cellXfs"
SHEET_DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"
HEADER_MERGE_ROWS = 50
MAX_MERGES_KEPT = 1_000
_READ_WHOLE = re.compile(r"(^\[Content_Types\]\.xml$|\.rels$|^xl/workbook[^/]*\.xml$)", re.I)
_UNIQUE_COUNT = re.compile(rb'<(?:\w+:)?sst\b[^>]*\buniqueCount="(\d{1,12})"')


class TooLarge(ValueError):
    """The workbook is beyond a bound; the message says which, plainly."""


@dataclass(frozen=True)
class Limits:
    max_columns: int = 200
    max_cell_chars: int = 32_767
    max_part_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 128 * 1024 * 1024
    max_parts: int = 1_000
    max_shared_strings: int = 300_000
    max_cell_styles: int = 65_000  # Excel's own limit is about 64,000
    max_whole_part_bytes: int = 4 * 1024 * 1024


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    infos = archive.infolist()
    if len(infos) > limits.max_parts:
        raise TooLarge(_("The Excel file has more than %(count)s parts inside it. Copy the "
                         "feedback into a new workbook and upload that",
                         count=f"{limits.max_parts:,}"))
    total = sum(info.file_size for info in infos)
    biggest = max((info.file_size for info in infos), default=0)
    # The parts openpyxl reads whole (the package and workbook parts) must be small.
    whole = max((info.file_size for info in infos if _READ_WHOLE.search(info.filename)),
                default=0)
    if (biggest > limits.max_part_bytes or total > limits.max_total_bytes
            or whole > limits.max_whole_part_bytes):
        raise TooLarge(_("The Excel file is too large once unpacked (over %(size)s MB). "
                         "Delete empty or formatted rows and columns, or save it as CSV, and "
                         "upload it again", size=limits.max_part_bytes // (1024 * 1024)))


def _merge_range(ref: str | None):
    if not ref or ":" not in ref:
        return None
    start, end = ref.split(":", 1)
    col1, row1 = _split_ref(start)
    col2, row2 = _split_ref(end)
    return row1, row2, col1, col2


def _split_ref(ref: str) -> tuple[int, int]:
    letters = ref.rstrip("0123456789")
    return column_index_from_string(letters) - 1, int(ref[len(letters):])


def sheet_records(data: bytes, limits: Limits):
    """Open the workbook and return ``(records, merges)`` (see the module docstring)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        check_archive(archive, limits)
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.shared_strings = _shared_strings(reader, limits)
        reader.read_workbook()
        dates, timedeltas = _date_styles(reader.archive, limits)
        path = _first_sheet(reader)
    except BaseException:
        reader.archive.close()
        raise
    merges: list[tuple[int, int, int, int]] = []
    return _records(reader, path, limits, merges, dates, timedeltas), merges


def _shared_strings(reader: ExcelReader, limits: Limits) -> list[str]:
    """The workbook's table of texts, streamed with lxml and bounded in count
    (openpyxl's own reader takes seconds and hundreds of megabytes for a few
    million tiny texts, which fit in a small zip)."""
    part = reader.package.find(SHARED_STRINGS)
    if part is None:
        return []
    too_many = TooLarge(_("The Excel file holds more than %(count)s different texts. Split "
                          "it into smaller files, or save it as CSV",
                          count=f"{limits.max_shared_strings:,}"))
    with reader.archive.open(part.PartName[1:]) as source:
        stated = _UNIQUE_COUNT.search(source.read(4096))  # Excel states the count up front
    if stated and int(stated.group(1)) > limits.max_shared_strings:
        raise too_many
    strings: list[str] = []
    with reader.archive.open(part.PartName[1:]) as source:
        events = etree.iterparse(source, events=("end",), resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=False,
                                 tag=(SI_TAG,))
        for _event, element in events:
            if len(strings) >= limits.max_shared_strings:  # the count stated, if any, was wrong
                raise too_many
            direct = element.find(T_TAG)
            if direct is not None:
                text = direct.text or ""
            else:  # rich text: the runs' texts, in order (phonetic guides left out)
                text = "".join(run.findtext(T_TAG) or "" for run in element.iterfind(R_TAG))
            strings.append(text.replace("x005F_", ""))
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    return strings


def _date_styles(archive: zipfile.ZipFile, limits: Limits) -> tuple[set[int], set[int]]:
    """Which cell styles (their index in ``cellXfs``) show dates, and which durations:
    all a reader needs of the stylesheet, streamed (openpyxl builds every style as
    objects: a 4 MB stylesheet took it a second and 115 MB)."""
    try:
        source = archive.open(ARC_STYLE)
    except KeyError:
        return set(), set()
    custom: dict[int, str] = {}
    dates: set[int] = set()
    timedeltas: set[int] = set()
    index = 0
    with source:
        events = etree.iterparse(source, events=("end",), resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=False,
                                 tag=(NUM_FMT_TAG, XF_TAG))
        for _event, element in events:
            if element.tag == NUM_FMT_TAG:
                custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif element.getparent() is not None and element.getparent().tag == CELL_XFS_TAG:
                if index >= limits.max_cell_styles:
                    raise TooLarge(_("The Excel file has more than %(count)s cell styles. "
                                     "Copy the feedback into a new workbook, or save it as "
                                     "CSV", count=f"{limits.max_cell_styles:,}"))
                number = int(element.get("numFmtId", "0"))
                code = custom.get(number) or builtin_format_code(number)
                if is_date_format(code):
                    dates.add(index)
                if is_timedelta_format(code):
                    timedeltas.add(index)
                index += 1
            element.clear()
            while element.getprevious() is not None:  # styles read: dropped
                del element.getparent()[0]
    return dates, timedeltas


def _first_sheet(reader: ExcelReader) -> str:
    for _sheet, rel in reader.parser.find_sheets():
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
            return rel.target
    raise IndexError("no worksheet")


def _records(reader: ExcelReader, path: str, limits: Limits, merges: list, dates: set,
             timedeltas: set):
    try:
        parser = WorkSheetParser(None, reader.shared_strings, data_only=True,
                                 epoch=reader.wb.epoch, date_formats=dates,
                                 timedelta_formats=timedeltas)
        with reader.archive.open(path) as source:
            yield from _parse(source, parser, limits, merges)
    finally:
        reader.archive.close()


def _parse(source, parser: WorkSheetParser, limits: Limits, merges: list):
    number, cells, formulas, row, sheet_data = 0, [], set(), None, None
    events = etree.iterparse(source, events=("start", "end"), resolve_entities=False,
                             no_network=True, load_dtd=False, huge_tree=False,
                             tag=(ROW_TAG, CELL_TAG, MERGE_CELL_TAG, SHEET_DATA_TAG))
    for event, element in events:
        tag = element.tag
        if event == "start":
            if tag == ROW_TAG:
                row = element
                r = element.get("r")
                number = int(r) if r else number + 1
                parser.row_counter, parser.col_counter = number, 0
                cells, formulas = [], set()
            elif tag == SHEET_DATA_TAG:
                sheet_data = element
            continue
        if tag == CELL_TAG:
            cell = parser.parse_cell(element)
            value, column = cell["value"], cell["column"]
            if column > limits.max_columns:
                if value not in (None, ""):
                    raise TooLarge(_("Row %(row)s has something in column %(column)s. The "
                                     "file can have at most %(count)s columns", row=number,
                                     column=get_column_letter(column),
                                     count=limits.max_columns))
            else:
                if isinstance(value, str) and len(value) > limits.max_cell_chars:
                    raise TooLarge(_("Cell %(cell)s holds more than %(count)s characters",
                                     cell=f"{get_column_letter(column)}{number}",
                                     count=f"{limits.max_cell_chars:,}"))
                if element.find(FORMULA_TAG) is not None and value is None:
                    formulas.add(f"{get_column_letter(column)}{number}")
                if column > len(cells):
                    cells.extend([None] * (column - len(cells)))
                cells[column - 1] = value
            element.clear()
            if row is not None:
                del row[:]  # the cells already read: a long row stays small
        elif tag == ROW_TAG:
            yield number, cells, formulas
            element.clear()
            row = None
            if sheet_data is not None:
                del sheet_data[:]
        elif tag == MERGE_CELL_TAG:
            found = _merge_range(element.get("ref"))
            if found and found[0] <= HEADER_MERGE_ROWS and len(merges) < MAX_MERGES_KEPT:
                merges.append(found)
            element.clear()
