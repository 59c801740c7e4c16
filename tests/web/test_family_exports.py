"""The generic CSV/XLSX writers: formula injection neutralised, values kept."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from feedback.exports import safe_cell, to_csv, to_xlsx


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"),
    ("+44 7700 900123", "'+44 7700 900123"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=cmd", "'\t=cmd"),
    ("\r=cmd", "'\r=cmd"),
    ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
    ("Plain words = fine", "Plain words = fine"),
    ("😊 emoji first", "😊 emoji first"),
    ("", ""),
    (None, ""),
    (-3, -3),
    (2.5, 2.5),
    (True, "Yes"),
    (False, "No"),
    (Decimal("1.50"), Decimal("1.50")),
    (date(2026, 3, 14), date(2026, 3, 14)),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


ROWS = [["=1+1", -3, "Zoë said “great” 👍\nsecond line"],
        ["@cmd", None, date(2026, 3, 14)],
        ["+1+1", 4.5, datetime(2026, 3, 14, 9, 30, tzinfo=timezone.utc)],
        ["ok", True, "bad \x07 control char"]]


def test_csv_neutralises_and_keeps_unicode_and_line_breaks():
    data = to_csv(["Words", "Number", "More"], ROWS)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Words", "Number", "More"]
    assert rows[1] == ["'=1+1", "-3", "Zoë said “great” 👍\nsecond line"]
    assert rows[2] == ["'@cmd", "", "2026-03-14"]
    assert rows[3] == ["'+1+1", "4.5", "2026-03-14T09:30:00+00:00"]
    assert rows[4][1] == "Yes"
    assert b"\r\n" in data


def test_xlsx_has_no_formulas_and_keeps_types():
    data = to_xlsx(["Words", "=Number", "More"], ROWS, sheet_title="Forum: feedback/2026?")
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet.title == "Forum feedback 2026"
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells), "no cell may be a formula"
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Words", "'=Number", "More")
    assert values[1] == ("'=1+1", -3, "Zoë said “great” 👍\nsecond line")
    assert values[2][0] == "'@cmd" and values[2][2].date() == date(2026, 3, 14)
    assert values[3][0] == "'+1+1" and values[3][1] == 4.5
    assert values[4][2] == "bad  control char"
    assert sheet.freeze_panes == "A2"


def test_writers_stream_a_generator_of_many_rows():
    rows = ([i, f"=row {i}"] for i in range(20_000))
    book = load_workbook(io.BytesIO(to_xlsx(["n", "text"], rows)), read_only=True)
    last = list(book.active.iter_rows(values_only=True))[-1]
    assert last == (19_999, "'=row 19999")
