"""Screening and redaction of families' words, in one place for this feature.

Every text that reaches a feedback entry (the public form, a forum
submission, an imported row) passes through ``screen_entry_texts``: it
returns what the ``FeedbackEntry`` needs (flag, categories, what triggered it
and the model's score, redacted texts).
The screen and the redaction themselves belong to ``feedback.safeguarding``
and ``feedback.redaction``; this module only applies them, and remembers
results for identical texts within one import (forum spreadsheets repeat
short answers such as "Nothing" or "N/A" many times).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..safeguarding_record import trigger_of


@dataclass(frozen=True)
class EntryScreening:
    flagged: bool
    categories: tuple[str, ...]
    went_well_redacted: str
    could_be_better_redacted: str
    trigger: dict | None = None  # see feedback/safeguarding_record.py
    score: float | None = None


class Screener:
    """Screens and redacts texts, caching by exact text for one batch."""

    def __init__(self) -> None:
        from ..redaction import redact
        from ..safeguarding import screen
        self._screen = screen
        self._redact = redact
        self._screened: dict[str, object] = {}
        self._redacted: dict[str, str] = {}

    @property
    def texts_screened(self) -> int:
        """How many different texts were screened (each once, however often it came)."""
        return len(self._screened)

    def screen(self, text: str):
        """The ``Screening`` of ``text``, or None for an empty text."""
        if not text:
            return None
        found = self._screened.get(text)
        if found is None:
            found = self._screen(text)
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
        a, b = self.screen(went_well), self.screen(could_be_better)
        flagged = any(bool(s.flagged) for s in (a, b) if s is not None)
        categories = tuple(dict.fromkeys(c for s in (a, b) if s is not None
                                         for c in s.categories))
        found = trigger_of(a, b)
        return EntryScreening(flagged, categories, self.redact(went_well),
                              self.redact(could_be_better), found.trigger, found.score)


def screen_entry_texts(went_well: str, could_be_better: str) -> EntryScreening:
    return Screener().entry(went_well, could_be_better)
