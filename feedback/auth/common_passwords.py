"""Refuse passwords that are common or easy to guess.

Uses the ``zxcvbn`` package: its list of the 30,000 most common passwords, and
its guessability score (0-4), which also catches keyboard walks, dates,
repeats and dictionary words with substitutions.
"""
from __future__ import annotations

from functools import lru_cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_SCORE = 3


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str, user_inputs: tuple[str, ...] = ()) -> bool:
    if password.strip().lower() in _common():
        return True
    # zxcvbn is slow on very long input and refuses more than 72 characters
    # (a ValueError); its first 72 characters judge a long passphrase well enough.
    return zxcvbn(password[:72], user_inputs=list(user_inputs))["score"] < MIN_SCORE
