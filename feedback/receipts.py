"""Receipt codes: what a young person or family keeps to follow what happens.

A code is two groups of four characters from an alphabet without look-alikes
(no 0/O, 1/I/L, and no vowels, so codes cannot spell words), e.g.
``K7QF-29MD``: 8 characters from 28 give about 3.8 x 10^11 codes, drawn with
``secrets``; with attempts rate limited, guessing one is not practical.
Only the SHA-256 of the normalised code is stored.
"""
from __future__ import annotations

import hashlib
import re
import secrets

ALPHABET = "23456789BCDFGHJKMNPQRSTVWXYZ"  # 28 symbols, no 0 O 1 I L, no vowels
GROUP = 4
_CLEAN = re.compile(r"[\s\-_.]")


def new_receipt_code() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(2 * GROUP))
    return f"{chars[:GROUP]}-{chars[GROUP:]}"


def normalise(code: str) -> str | None:
    """Upper-case and drop spaces, dashes and dots. Returns None when the result
    cannot be a code (wrong length, or a character outside the alphabet)."""
    cleaned = _CLEAN.sub("", (code or "").upper())
    if len(cleaned) != 2 * GROUP or any(c not in ALPHABET for c in cleaned):
        return None
    return f"{cleaned[:GROUP]}-{cleaned[GROUP:]}"


def receipt_hash(code: str) -> str:
    """The stored form of a (normalised) code."""
    normal = normalise(code)
    if normal is None:
        raise ValueError("not a receipt code")
    return hashlib.sha256(normal.encode("ascii")).hexdigest()
