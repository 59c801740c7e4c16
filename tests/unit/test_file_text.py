"""The one sanitiser for text going into files, over every writer (CSV, XLSX, Word).

Hypothesis feeds any text, control characters and formula triggers included,
to the table writers and to both review pack files; what a spreadsheet or Word
reads back never starts like a formula and holds no control character."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import date

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from feedback.contracts.pack_types import (ActionRow, Cards, KpiRow, Quote, Ratings, ReviewPack,
                                           Sentiment, ServiceVolume, ThemeRow, Volume)
from feedback.contracts.periods import Period
from feedback.exports import safe_cell, to_csv, to_xlsx
from feedback.exports.docx import pack_to_docx
from feedback.exports.pack_xlsx import pack_to_xlsx
from feedback.exports.sanitise import file_text

TRIGGERS = "=+-@\uff1d\uff0b\uff0d\uff20"
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def live(value) -> bool:
    """Would a spreadsheet run this cell? (Written apart from the sanitiser on purpose.)"""
    if not isinstance(value, str) or re.fullmatch(r"[+-]\d[\d,]*(\.\d+)?%?", value):
        return False
    if value[:1] in ("\t", "\r"):
        return True
    rest = "".join(c for c in value if not (c.isspace() or unicodedata.category(c) == "Cf"))
    return bool(rest) and rest[0] in TRIGGERS


# Text rich in what breaks exports: controls, triggers, invisible characters.
nasty = st.text(alphabet=st.one_of(
    st.sampled_from(list(TRIGGERS) + ["\x00", "\x01", "\x07", "\x0b", "\x1f", "\x7f", "\x85",
                                      "\t", "\r", "\n", " ", "\u200b", "\ufeff", "'", "1", "a"]),
    st.characters(codec="utf-8", exclude_categories=("Cs",))), max_size=40)


@pytest.mark.parametrize("value, expected", [
    ("\x01=1+1", "'=1+1"),  # the finding: controls were stripped after the check
    ("\x00\x1f+cmd", "'+cmd"),
    ("\x7f@SUM(A1)", "'@SUM(A1)"),
    ("\x85-2+3", "'-2+3"),
    ("\u200b=1+1", "'\u200b=1+1"),
    ("\ufeff=1+1", "'\ufeff=1+1"),
    ("  =1+1", "'  =1+1"),
    ("\n=1+1", "'\n=1+1"),
    ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"),
    ("=\x01", "'="),
    ("bad \x07 control \x1b char", "bad  control  char"),
    ("-0.50", "-0.50"),
    ("-12%", "-12%"),
    ("-1,200", "-1,200"),
    ("+22%", "+22%"),
    ("+1", "+1"),
    ("+1+1", "'+1+1"),
    ("+44 7700 900123", "'+44 7700 900123"),
    ("-3\n=1+1", "'-3\n=1+1"),
    ("Zoë said “great” 👨‍👩‍👧", "Zoë said “great” 👨‍👩‍👧"),
    ("a = b", "a = b"),
])
def test_controls_go_first_then_triggers_are_neutralised(value, expected):
    assert file_text(value) == expected
    assert safe_cell(value) == expected


@settings(deadline=None)
@given(nasty)
def test_file_text_is_never_live_and_holds_no_control(text):
    out = file_text(text)
    assert not live(out) and not CONTROL.search(out)
    cleaned = CONTROL.sub("", text)  # the words are kept, only controls go
    assert out in (cleaned, "'" + cleaned)


@settings(deadline=None)
@given(st.lists(nasty, min_size=1, max_size=4))
def test_csv_cells_read_back_safe(texts):
    data = to_csv([f"h{i}" for i in range(len(texts))], [texts, ["ok"] * len(texts)])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    for value in rows[1]:
        assert not live(value) and not CONTROL.search(value)


@settings(max_examples=15, deadline=None)
@given(st.lists(nasty, min_size=1, max_size=4), nasty)
def test_xlsx_cells_read_back_safe(texts, title):
    data = to_xlsx(texts, [texts], sheet_title=title)
    sheet = load_workbook(io.BytesIO(data)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            assert not live(cell.value) and not CONTROL.search(str(cell.value or ""))


def _pack(text: str) -> ReviewPack:
    """A pack with ``text`` in every field people can type: KPI names and commentary,
    theme names, quotes, services, providers, actions, discussion points."""
    action = ActionRow(text, text, date(2026, 3, 1), "open", "Open", False, 2, (text,))
    return ReviewPack(
        contract_id=1, reference=text or "R", title=text, provider=text, services=(text,),
        thematic_areas=(text,), period=Period("quarter", date(2026, 1, 1), date(2026, 3, 31)),
        period_label="January to March 2026", previous_label="Previous",
        generated_on=date(2026, 4, 1),
        volume=Volume(12, None, 22, 18, "+22%", (ServiceVolume(text, 12, None),)),
        ratings=Ratings(3.5, 10, None, 4.0, 12, text),
        themes=(ThemeRow(text, 11, None, "-5%", 20, feeling=text),),
        sentiment=Sentiment(10, None, 30, 50, text),
        quotes=(Quote(text, text, text),),
        kpis=(KpiRow(text, "90", "%", "higher", "81", "amber", "Amber", text),),
        cards=Cards(12, None, 0), previous_actions=(action,), actions=(action,),
        discussion_points=(text,))


def _word_texts(data: bytes):
    document = docx.Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        yield from (run.text for run in paragraph.runs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield from (run.text for run in paragraph.runs)


@settings(max_examples=15, deadline=None)
@given(nasty)
def test_word_pack_never_fails_and_every_run_is_safe(text):
    for run in _word_texts(pack_to_docx(_pack(text))):
        assert not live(run) and not CONTROL.search(run), repr(run)


@settings(max_examples=15, deadline=None)
@given(nasty)
def test_pack_workbook_never_fails_and_every_cell_is_safe(text):
    book = load_workbook(io.BytesIO(pack_to_xlsx(_pack(text))))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                assert not live(cell.value) and not CONTROL.search(str(cell.value or ""))


@pytest.mark.parametrize("text", ["\x01=HYPERLINK(\"http://x\")", "KPI \x0b commentary \x1b",
                                  "\x00"])
def test_the_findings_texts_in_both_pack_files(text):
    words = list(_word_texts(pack_to_docx(_pack(text))))
    assert "=HYPERLINK(\"http://x\")" not in words and not any(CONTROL.search(w) for w in words)
    book = load_workbook(io.BytesIO(pack_to_xlsx(_pack(text))))
    kpi = list(book["KPIs"].iter_rows(min_row=2, values_only=True))[0]
    assert (kpi[6] or "") == file_text(text) and not live(kpi[6])
