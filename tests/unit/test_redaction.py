"""Redaction of names, phone numbers, emails, addresses, postcodes and schools."""
from __future__ import annotations

import pytest

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
