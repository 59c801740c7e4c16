"""The safeguarding screen on a broad table of concerning and ordinary phrases."""
from __future__ import annotations

import pytest

from feedback.safeguarding import Screening, load_phrase_book, screen

CONCERNING = [
    ("i want to kill myself", "self_harm"),
    ("sometimes i wanna die tbh", "self_harm"),
    ("i want to kms", "self_harm"),
    ("been having sucidal thoughts", "self_harm"),
    ("I keep cutting myself when it gets bad", "self_harm"),
    ("i'd be better off dead", "self_harm"),
    ("i am not alright", "unsafe_home"),
    ("im not ok", "unsafe_home"),
    ("I don't feel safe at home", "unsafe_home"),
    ("scared to go home after school", "unsafe_home"),
    ("my stepdad hits me", "abuse"),
    ("he touched me and said not to tell", "abuse"),
    ("my dad hits mum when he is drunk", "domestic_abuse"),
    ("police come to our house most weekends", "domestic_abuse"),
    ("no food in the house again", "neglect"),
    ("older boys make me hold drugs", "exploitation"),
    ("a man online asked me for nudes", "exploitation"),
    ("county lines lot hang round the park", "exploitation"),
    ("he said he is going to stab me", "threats"),
    ("a kid brought a knife to the club", "threats"),
    ("I ran away from placement last week", "missing"),
    ("been sofa surfing for weeks", "missing"),
    ("my key worker grabbed me and hit me", "worker_harm"),
    ("a member of staff touched me", "worker_harm"),
    ("I'M NOT OKAY!!!", "unsafe_home"),
    ("i dont wanna be alive anymore", None),  # some category, whichever
]
ORDINARY = [
    "this queue is murder",
    "stop slashing the holiday club",
    "stop cutting the bus route",
    "the homework club is killing me with boredom",
    "I nearly killed myself laughing at the panto",
    "the youth club is boring on fridays",
    "please start a cooking club",
    "change the times so I can come after school",
    "my worker is great and always listens",
    "it hurt my feelings when they cancelled",
    "we need more money for the drop-in",
    "the food at the club is bad",
    "I feel safe at the youth club",
    "stop closing the library early",
    "the staff are kind",
    "",
]


@pytest.mark.parametrize("text,category", CONCERNING)
def test_concerning_phrases_are_flagged(text, category):
    result = screen(text)
    assert result.flagged, text
    if category:
        assert category in result.categories, (text, result.categories)


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_complaints_are_not_flagged(text):
    result = screen(text)
    assert not result.flagged, (text, result.matches)


def test_result_is_frozen_and_explains_itself():
    result = screen("i want to kill myself")
    assert isinstance(result, Screening)
    assert result.categories == ("self_harm",)
    assert result.matches[0].phrase.startswith("kill")
    assert result.labels == ("Self-harm or suicidal thoughts",)
    with pytest.raises(AttributeError):
        result.flagged = False  # type: ignore[misc]


def test_phrase_book_is_read_from_an_editable_folder(tmp_path):
    (tmp_path / "threats.txt").write_text("# comment\nbanana split*\n", encoding="utf-8")
    (tmp_path / "textspeak.txt").write_text("nana = banana\n", encoding="utf-8")
    book = load_phrase_book(tmp_path)
    assert screen("a nana splits", book).categories == ("threats",)
    assert not screen("i want to kill myself", book).flagged


def test_unicode_and_emoji_do_not_break_screening():
    assert not screen("🙂 the club is gr8 ✨ ünïcödé").flagged
    assert screen("i want to die 😢").flagged
