"""Patterns that ``redaction.py`` and ``redaction_disguised.py`` both use (pure): the
placeholders, UK phone numbers, long runs of digits and the words after a name cue that are
not names. Kept apart so that the two modules need not import each other."""
from __future__ import annotations

import re

PLACEHOLDERS = {"email": "[email]", "phone": "[phone number]", "postcode": "[postcode]",
                "address": "[address]", "school": "[school]", "name": "[name]",
                "link": "[link]", "birth": "[date of birth]"}

# UK numbers: +44 or 0 then 9-10 more digits, with spaces, dots, dashes or brackets.
PHONE = re.compile(r"(?<![\w+])(?:\+\s?44\s?\(?0?\)?|\(?0)(?:[\s().-]*\d){9,10}(?!\w)")
LONG_DIGITS = re.compile(r"(?<!\w)\d(?:[\s-]?\d){9,12}(?!\w)")
CUE_NOT_NAME = {"is", "was", "and", "but", "who", "that", "said", "says", "never", "always",
                "does", "did", "has", "had", "will", "would", "can", "cant", "doesnt", "didnt",
                "wont", "isnt", "to", "at", "in", "on", "not", "just", "really", "so", "too",
                "keeps", "kept", "gets", "got", "tells", "told", "makes", "made", "the", "a",
                "me", "my", "him", "her", "them", "us", "it", "because", "when", "if", "or",
                "also", "still", "only", "even", "very", "again", "should", "could", "might",
                "helps", "helped", "listens", "left", "comes", "came", "goes", "went", "lives",
                "shouts", "shouted", "hits", "hit", "doesn't", "didn't", "isn't", "won't",
                "can't", "for", "with", "about", "of", "from", "be", "are", "were", "being"}
