"""Oversized bodies and malformed import files are refused with a clear message."""
from __future__ import annotations

import io
import re
import time
import tracemalloc
import zipfile

import pytest
from hypothesis import given, strategies as st
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.helpers import csrf_token, sign_in
from tests.fixtures import hostile_files as H


def _upload(client, data: bytes, name: str):
    """POST a file to the import page, the multipart body built in memory.

    (Left to the test client, a body over 500 KB is spooled to a temporary
    file that nothing closes; when the garbage collector finds it, pytest
    turns its ResourceWarning into a failure of whichever test is running
    then: that made "random bytes as xlsx", which runs after "one huge
    line", fail now and then.)
    """
    boundary, body = encode_multipart({
        "csrf_token": csrf_token(client, "/feedback/import"),
        "file": FileStorage(io.BytesIO(data), filename=name,
                            content_type="application/octet-stream")})
    return client.post("/feedback/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def _truncated_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>" * 200)
        archive.writestr("xl/workbook.xml", "<workbook/>" * 200)
    return buffer.getvalue()[:300]


# (A CSV that is not UTF-8 is read as Windows-1252, as Excel writes it: accepted.)
BAD_FILES = {
    "random bytes as xlsx": (bytes(range(256)) * 40, "feedback.xlsx"),
    "truncated zip": (_truncated_xlsx(), "feedback.xlsx"),
    "a CSV named .xlsx": (b"went_well,could_be_better\nGood,Bad\n", "feedback.xlsx"),
    "CSV with NULs": (b"went_well,could_be_better\nGo\x00od,Ba\x00d\n", "feedback.csv"),
    "empty file": (b"", "feedback.csv"),
    "one huge line": (b"x" * 3_000_000, "feedback.csv"),
    "an executable": (b"MZ\x90\x00" + bytes(500), "feedback.exe"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_malformed_upload_gets_a_clear_message(app, login_as, client, case):
    login_as("commissioner")
    data, name = BAD_FILES[case]
    response = _upload(client, data, name)
    assert response.status_code in (200, 413), response.status_code
    page = response.get_data(as_text=True)
    if response.status_code == 200:
        assert "govuk-error-summary" in page and "govuk-error-message" in page, page[:3000]
        assert page.startswith("<!DOCTYPE html>") and "Error: " in page
    else:
        assert "too large" in page


@pytest.fixture()
def commissioner(make_user):
    """One commissioner for all of a test's examples (made once per test, so its
    id always belongs to it: SQLite reuses ids after the tables are emptied)."""
    return make_user("commissioner")


@given(data=st.binary(min_size=1, max_size=4000), xlsx=st.booleans())
def test_random_bytes_never_500(app, commissioner, data, xlsx):
    client = app.test_client()
    assert sign_in(client, commissioner).status_code == 302
    response = _upload(client, data, "feedback.xlsx" if xlsx else "feedback.csv")
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert b"govuk-error-summary" in response.data


def _workbook() -> bytes:
    from openpyxl import Workbook
    book = Workbook()
    book.active.append(["went_well", "could_be_better", "service"])
    for n in range(30):
        book.active.append([f"Row {n} went well", f"Row {n} could be better", "Fuzz Youth Club"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_XLSX = _workbook()


def _rezip(source: bytes, change) -> bytes:
    """Copy a workbook's zip, letting ``change(name, data) -> data | None`` alter or drop parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info, data)
    return out.getvalue()


def _sheet_compression(method: int) -> bytes:
    """A workbook whose sheet claims a compression method zipfile cannot read."""
    data = bytearray(_rezip(GOOD_XLSX, lambda name, d: d))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # The method is at offset 8 of the local header and offset 10 of the central one.
    data[info.header_offset + 8:info.header_offset + 10] = method.to_bytes(2, "little")
    central = bytes(data).rindex(b"PK\x01\x02", 0, bytes(data).index(b"PK\x05\x06"))
    while central >= 0:
        name_len = int.from_bytes(data[central + 28:central + 30], "little")
        if data[central + 46:central + 46 + name_len] == b"xl/worksheets/sheet1.xml":
            data[central + 10:central + 12] = method.to_bytes(2, "little")
            break
        central = bytes(data).rfind(b"PK\x01\x02", 0, central)
    return bytes(data)


def _corrupt_deflate() -> bytes:
    """A workbook whose sheet's compressed bytes are damaged (read lazily, after opening)."""
    data = bytearray(GOOD_XLSX)
    with zipfile.ZipFile(io.BytesIO(GOOD_XLSX)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(2, min(info.compress_size, 60), 3):
        data[start + offset] ^= 0xA5
    return bytes(data)


# Workbooks that open, then fail while their sheet is read: each used to give
# a 500 (zlib.error, NotImplementedError, a parser's error, IndexError)
# depending on which bytes were damaged, which made the random-bytes case flaky.
DAMAGED_WORKBOOKS = {
    "damaged deflate stream": _corrupt_deflate,
    "unknown compression method": lambda: _sheet_compression(99),
    "sheet XML broken": lambda: _rezip(GOOD_XLSX, lambda name, d: d[: len(d) // 2]
                                      if name == "xl/worksheets/sheet1.xml" else d),
    "no sheet part": lambda: _rezip(GOOD_XLSX, lambda name, d: None
                                   if name == "xl/worksheets/sheet1.xml" else d),
}


@pytest.mark.parametrize("case", sorted(DAMAGED_WORKBOOKS))
def test_damaged_workbook_is_unreadable_not_an_error(case):
    from feedback.family.reading import XLSX_UNREADABLE, UnreadableFile, read_table
    with pytest.raises(UnreadableFile) as raised:
        read_table(DAMAGED_WORKBOOKS[case](), "feedback.xlsx", 100)
    assert str(raised.value) == XLSX_UNREADABLE


@pytest.mark.parametrize("case", sorted(DAMAGED_WORKBOOKS))
def test_damaged_workbook_upload_gets_the_clear_message(app, login_as, client, case):
    login_as("commissioner")
    response = _upload(client, DAMAGED_WORKBOOKS[case](), "feedback.xlsx")
    assert response.status_code == 200
    assert b"The Excel file could not be opened" in response.data, re.findall(rb"govuk-error-message.{0,300}", response.data, re.S)
    assert b"govuk-error-summary" in response.data


@given(flips=st.lists(st.tuples(st.integers(0, len(GOOD_XLSX) - 1), st.integers(1, 255)),
                      min_size=1, max_size=20),
       cut=st.one_of(st.none(), st.integers(1, len(GOOD_XLSX) - 1)))
def test_any_damage_to_a_workbook_reads_or_is_unreadable(flips, cut):
    """Pure reader, no app: a damaged workbook is read or refused, never anything else."""
    from feedback.family.reading import UnreadableFile, read_table
    data = bytearray(GOOD_XLSX)
    for offset, mask in flips:
        data[offset] ^= mask
    data = bytes(data[:cut] if cut else data)
    try:
        table = read_table(data, "feedback.xlsx", 100)
    except UnreadableFile:
        return
    assert table.file_kind == "xlsx"


def test_oversized_form_is_refused_with_a_clear_page(client):
    response = client.post("/feedback/new", data={"went_well": "x" * 600_000,
                                                  "csrf_token": csrf_token(client, "/feedback/new")})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "That file or text is too large" in page
    assert response.headers["Content-Security-Policy"]


def test_body_over_the_upload_limit_is_refused(app, login_as, client):
    login_as("commissioner")
    response = _upload(client, b"a,b\n" * (11 * 1024 * 1024 // 4), "big.csv")
    assert response.status_code == 413
    assert "That file or text is too large" in response.get_data(as_text=True)


# Hostile files (tests/fixtures/hostile_files.py): each is refused with a message that
# says what is wrong, quickly, and without the reader holding the whole sheet in memory.
# benchmarks/upload_limits.py measures the same files (seconds, peak memory).
HOSTILE_UPLOADS = {
    "200,000 rows of XLSX": (lambda: H.many_rows_xlsx(200_000), "more than 50,000 rows"),
    "XLSX padded with 100 MB of spaces": (lambda: H.space_padded_xlsx(100_000_000),
                                         "too large once unpacked"),
    "a CSV of 60,000 columns": (lambda: H.wide_csv(60_000), "at most 200 columns"),
    "a CSV of 20,000 columns": (lambda: H.wide_csv(20_000), "at most 200 columns"),
    "an XLSX row with a value in column XFD": (H.wide_row_xlsx, "at most 200 columns"),
    "a CSV cell of 5 MB": (H.long_cell_csv, "more than 32,767 characters"),
    "an XLSX of 2,500,000 shared texts": (H.many_shared_strings_xlsx,
                                          "more than 300,000 different texts"),
    "an XLSX of 1,000,000 cell styles": (H.many_styles_xlsx, "more than 65,000 cell styles"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_UPLOADS))
def test_hostile_upload_is_refused_fast_with_a_clear_message(app, login_as, client, case):
    build, message = HOSTILE_UPLOADS[case]
    data, name = build()
    login_as("commissioner")
    started = time.perf_counter()
    response = _upload(client, data, name)
    elapsed = time.perf_counter() - started
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page, \
        re.findall(r"govuk-error-message.{0,300}", page, re.S)
    # Well under the old 30 s (2 s is the target measured by the benchmark on a quiet
    # machine; this bound leaves room for a busy test machine and the PostgreSQL run).
    assert elapsed < 15, elapsed


def test_hostile_workbooks_are_read_in_little_memory():
    """Pure reader: peak memory stays small for the sheets that used to take gigabytes."""
    from feedback.family.reading import UnreadableFile, read_table
    for data, name in (H.space_padded_xlsx(100_000_000), H.huge_merges_xlsx(),
                       H.wide_row_xlsx(), H.many_shared_strings_xlsx(), H.many_styles_xlsx()):
        tracemalloc.start()
        try:
            try:
                read_table(data, name, 50_000)
            except UnreadableFile:
                pass
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 50 * 1024 * 1024, (name, peak)


def test_shared_texts_are_read_as_excel_saves_them():
    """Plain, rich text (runs, in order) and phonetic guides (left out), as openpyxl reads them."""
    from openpyxl.reader.strings import read_string_table

    from feedback.family.reading import read_table
    items = [b"<t>Service</t>", b"<t>What went well</t>", b"<t xml:space=\"preserve\"> Youth club </t>",
             b"<r><t>Staff were </t></r><r><rPr><b/></rPr><t>kind</t></r>"
             b"<rPh sb=\"0\" eb=\"1\"><t>phonetic</t></rPh>", b"<t>x005F_x000D_</t>"]
    data = H.xlsx_with_shared_strings(iter(items), [H.shared_row(1, 0, 1), H.shared_row(2, 2, 3),
                                                    H.shared_row(3, 4, 3)])
    table = read_table(data, "shared.xlsx", 100)
    assert table.headers == ["Service", "What went well"]
    assert table.rows == [(2, ["Youth club", "Staff were kind"]), (3, ["x000D_", "Staff were kind"])]
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("xl/sharedStrings.xml") as part:
        expected = read_string_table(part)
    assert expected[3] == "Staff were kind" and expected[4] == "x000D_"


def test_parts_read_whole_must_be_small():
    """The package and workbook parts are parsed whole by openpyxl: over 4 MB is refused."""
    from feedback.family.reading import UnreadableFile, read_table
    data = _rezip(GOOD_XLSX, lambda name, d: d.replace(b"</workbook>", b" " * 5_000_000
                                                       + b"</workbook>")
                  if name == "xl/workbook.xml" else d)
    with pytest.raises(UnreadableFile, match="too large once unpacked"):
        read_table(data, "feedback.xlsx", 100)


def test_dates_times_and_durations_keep_their_types():
    """Date styles are read from the stylesheet without building it (``workbook._date_styles``)."""
    from datetime import date, datetime, timedelta

    from openpyxl import Workbook

    from feedback.family.reading import read_table
    book = Workbook()
    book.active.append(["Service", "Date", "Time", "Duration", "Number"])
    book.active.append(["Club", datetime(2026, 3, 14), datetime(2026, 3, 14, 10, 30),
                        timedelta(hours=2), 3.5])
    book.active["D2"].number_format = "[h]:mm:ss"
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue(), "dates.xlsx", 10)
    assert table.rows == [(2, ["Club", date(2026, 3, 14), datetime(2026, 3, 14, 10, 30),
                               timedelta(hours=2), 3.5])]


def test_merged_ranges_over_the_whole_sheet_still_name_the_headers():
    from feedback.family.reading import read_table
    data, name = H.huge_merges_xlsx()
    table = read_table(data, name, 100)
    assert table.headers == ["Service", "What went well"] and len(table.rows) == 1


def test_blank_rows_far_below_the_data_stop_the_reading_and_say_where():
    """A sheet "formatted" down to its last row: reading stops after 10,000 blank rows."""
    from feedback.family.reading import MAX_BLANK_RUN, read_table
    data, name = H.blank_lines_csv(2_000_000)
    started = time.perf_counter()
    table = read_table(data, name, 100)
    assert time.perf_counter() - started < 5
    assert len(table.rows) == 1 and table.stopped_at == 2 and not table.blank_rows
    rows = [H._header_row(), '<row r="2"><c r="A2" t="inlineStr"><is><t>Club</t></is></c>'
            '<c r="B2" t="inlineStr"><is><t>Good</t></is></c></row>',
            f'<row r="{MAX_BLANK_RUN + 10}"><c r="A{MAX_BLANK_RUN + 10}" t="inlineStr"><is><t>'
            'Far</t></is></c><c r="B1" t="inlineStr"><is><t>x</t></is></c></row>']
    table = read_table(H.xlsx_from_rows(rows), "far.xlsx", 100)
    assert len(table.rows) == 1 and table.stopped_at == 2


def test_hostile_import_bounds_are_documented():
    """Each bound has its figure in docs/performance.md (benchmarks/upload_limits.py)."""
    from pathlib import Path
    text = (Path(__file__).resolve().parents[2] / "docs" / "performance.md").read_text()
    assert "benchmarks/upload_limits.py" in text
    for case in H.HOSTILE:
        assert case in text, case
