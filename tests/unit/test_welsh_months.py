"""Welsh ranges of months: the second month takes the soft mutation after "i" ("to"):
"Hydref i Ragfyr", "Gorffennaf i Fedi" (docs/i18n.md)."""
from __future__ import annotations

from datetime import date

import pytest
from babel.dates import get_month_names
from flask import Flask

from feedback.i18n import configure_i18n, month_range, soft_mutation
from tests.i18n_helpers import TRANSLATIONS, compile_catalogues

# Each month's name (CLDR, as Babel writes it) and its form after "i", from a Welsh grammar.
AFTER_I = {
    1: ("Ionawr", "Ionawr"), 2: ("Chwefror", "Chwefror"), 3: ("Mawrth", "Fawrth"),
    4: ("Ebrill", "Ebrill"), 5: ("Mai", "Fai"), 6: ("Mehefin", "Fehefin"),
    7: ("Gorffennaf", "Orffennaf"), 8: ("Awst", "Awst"), 9: ("Medi", "Fedi"),
    10: ("Hydref", "Hydref"), 11: ("Tachwedd", "Dachwedd"), 12: ("Rhagfyr", "Ragfyr"),
}


@pytest.fixture(scope="module")
def app():
    compile_catalogues()
    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    configure_i18n(app)
    return app


def test_babel_writes_the_welsh_months_as_expected():
    assert dict(get_month_names("wide", locale="cy")) == {m: n for m, (n, _) in AFTER_I.items()}


@pytest.mark.parametrize("month", sorted(AFTER_I))
def test_each_month_after_i(month):
    name, mutated = AFTER_I[month]
    assert soft_mutation(name) == mutated


@pytest.mark.parametrize("word, mutated", [
    ("pont", "bont"), ("Tref", "Dref"), ("cath", "gath"), ("bara", "fara"), ("dydd", "ddydd"),
    ("gardd", "ardd"), ("mam", "fam"), ("Llandudno", "Landudno"), ("rhif", "rif"),
    ("Caerdydd", "Gaerdydd"), ("Pheasant", "Pheasant"), ("Thomas", "Thomas"),
    ("ddoe", "ddoe"), ("haf", "haf"), ("ysgol", "ysgol"), ("", ""),
    ("Cwnsela i bobl ifanc", "Gwnsela i bobl ifanc"), ("Gofal maeth", "Ofal maeth"),
    ("CAMHS: help gyda theimladau", "CAMHS: help gyda theimladau"), ("ADHD", "ADHD"),
])
def test_the_rule_on_other_words(word, mutated):
    assert soft_mutation(word) == mutated


@pytest.mark.parametrize("month", sorted(AFTER_I))
def test_a_welsh_range_mutates_the_month_after_i(app, month):
    start = date(2026, 1, 1) if month > 1 else date(2025, 12, 1)
    with app.test_request_context("/?lang=cy"):
        label = month_range(start, date(2026, month, 1))
    assert label == f"{AFTER_I[start.month][0]} i {AFTER_I[month][1]} 2026"


@pytest.mark.parametrize("ask, expected", [("en", "October to December 2026"),
                                           ("easy", "October to December 2026"),
                                           ("cy", "Hydref i Ragfyr 2026")])
def test_the_range_in_each_language(app, ask, expected):
    with app.test_request_context(f"/?lang={ask}"):
        assert month_range(date(2026, 10, 1), date(2026, 12, 31)) == expected


def test_outside_a_request_the_range_is_english():
    assert month_range(date(2026, 7, 1), date(2026, 9, 30)) == "July to September 2026"
