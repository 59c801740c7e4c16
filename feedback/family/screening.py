"""Screening and redaction of families' words, in one place for this feature.

Every text that reaches a feedback entry (the public form, a forum
submission, an imported row) passes through ``screen_entry_texts``: it
returns what the ``FeedbackEntry`` needs (flag, categories, redacted texts).
The screen and the redaction themselves belong to ``feedback.safeguarding``
and ``feedback.redaction``; this module only applies them, and remembers
results for identical texts within one import (forum spreadsheets repeat
short answers such as "Nothing" or "N/A" many times).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EntryScreening:
    flagged: bool
    categories: tuple[str, ...]
    went_well_redacted: str
    could_be_better_redacted: str


class Screener:
    """Screens and redacts texts, caching by exact text for one batch."""

    def __init__(self) -> None:
        from ..redaction import redact
        from ..safeguarding import screen
        self._screen = screen
        self._redact = redact
        self._screened: dict[str, tuple[bool, tuple[str, ...]]] = {}
        self._redacted: dict[str, str] = {}

    @property
    def texts_screened(self) -> int:
        """How many different texts were screened (each once, however often it came)."""
        return len(self._screened)

    def screen(self, text: str) -> tuple[bool, tuple[str, ...]]:
        if not text:
            return False, ()
        found = self._screened.get(text)
        if found is None:
            result = self._screen(text)
            found = (bool(result.flagged), tuple(result.categories))
            self._screened[text] = found
        return found

    def redact(self, text: str) -> str:
        if not text:
            return ""
        found = self._redacted.get(text)
        if found is None:
            found = self._redact(text)
            self._redacted[text] = found
        return found

    def entry(self, went_well: str, could_be_better: str) -> EntryScreening:
        flag_a, cats_a = self.screen(went_well)
        flag_b, cats_b = self.screen(could_be_better)
        categories = tuple(dict.fromkeys(cats_a + cats_b))
        return EntryScreening(flag_a or flag_b, categories, self.redact(went_well),
                              self.redact(could_be_better))


def screen_entry_texts(went_well: str, could_be_better: str) -> EntryScreening:
    return Screener().entry(went_well, could_be_better)
