"""Redaction of names, phone numbers, emails, addresses, postcodes and schools."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback.redaction import redact

CASES = [
    ("My worker Sarah never listens", "My worker [name] never listens"),
    ("my social worker dave is great", "my social worker [name] is great"),
    ("Mr Patel shouted at us", "[name] shouted at us"),
    ("Ask for Jessica Smith at the front", "Ask for [name] at the front"),
    ("call me on 07700 900123", "call me on [phone number]"),
    ("or +44 7700 900 456 after 5", "or [phone number] after 5"),
    ("ring 0113 496 0000", "ring [phone number]"),
    ("email jo.bloggs@example.com please", "email [email] please"),
    ("I live at 14 Acacia Avenue, Leeds LS6 2AB", "I live at [address], Leeds [postcode]"),
    ("postcode is ls62ab", "postcode is [postcode]"),
    ("I go to St Mary's Primary School", "I go to [school]"),
    ("moved to Oakwood Academy in year 7", "moved to [school] in year 7"),
    ("i go to kingsway high school", "i go to [school]"),
    ("my high school is rubbish", "my high school is rubbish"),
    ("the bus to school is late", "the bus to school is late"),
    ("Jack was mean. Sam too", "[name] was mean. [name] too"),
    ("my mum is poorly", "my mum is poorly"),
    ("Will you stop cancelling?", "Will you stop cancelling?"),
    ("message me @cool_kid22", "message me [name]"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_redact(text, expected):
    assert redact(text) == expected


def test_keeps_emoji_newlines_and_other_scripts_exactly():
    text = "Stop closing early 😡\nWe have nowhere to go. Ça suffit! 我们需要俱乐部"
    assert redact(text) == text


def test_empty_and_none_are_safe():
    assert redact("") == ""
    assert redact(None) == ""  # type: ignore[arg-type]


def test_redaction_is_idempotent():
    once = redact("Sarah Jones at 14 Acacia Avenue, call 07700 900123")
    assert redact(once) == once


# --- The fast paths give exactly what the plain patterns give ----------------------

SCHOOLISH = st.lists(st.sampled_from(
    list("abcSt. '’-,\n\t19") + ["school", "School ", "high ", "HIGH", "academy", "college",
                                 " primary ", "St ", "st. ", "Mary's ", "the ", "ſchool",
                                 "Oak ", "my "]), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(SCHOOLISH)
def test_school_search_finds_what_the_pattern_finds(text):
    from feedback.redaction import SCHOOL, _school_matches
    assert [m.span() for m in _school_matches(text)] == [m.span() for m in SCHOOL.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\n\t\"“(x ")), max_size=20),
       st.integers(min_value=0, max_value=20))
def test_sentence_start_agrees_with_the_pattern(text, at):
    import re

    from feedback.redaction import _at_sentence_start
    at = min(at, len(text))
    expected = bool(re.search(r"(?:^|[.!?\n]\s*|[\"“(]\s*)$", text[:at]))
    assert _at_sentence_start(text, at) == expected


@pytest.mark.parametrize("text", [
    "Ask Sarah at www.example.org or https://x.invoice/y",
    "no digits, no names, no at signs, just words about the club",
    "2 kids, year 7, 14 Acacia Avenue LS6 2AB, ring 07700 900123, @cool_kid22 a@b.co",
])
def test_texts_without_the_trigger_characters_are_left_alone_or_redacted(text):
    out = redact(text)
    if "no digits" in text:
        assert out == text
    else:
        assert out != text and redact(out) == out
