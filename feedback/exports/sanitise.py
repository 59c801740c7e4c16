"""The one sanitiser for text going into a file (CSV, XLSX, Word).

Contract: ``file_text(value) -> str``. Text is stored as it was typed; it is
never written to a file raw. In this order:

1. **Control characters are removed**: C0 and C1 controls except tab, line
   feed and carriage return, lone surrogates and the non-characters U+FFFE and
   U+FFFF. None of them is allowed in XML (so they used to break the Word
   pack and workbooks), and none means anything to a reader.
2. **A leading formula trigger is neutralised** with an apostrophe:
   ``=``, ``+``, ``-``, ``@`` (and their full-width forms), a tab or a
   carriage return, also when only spaces or invisible format characters
   (zero-width space, byte-order mark, direction marks) stand before it.
   Spreadsheets show the apostrophe as plain text and never run the cell.
   A plain signed number ("-0.50", "+22%", "-1,200") is left alone: every
   program reads it as a number, it can carry nothing else, and the pack's
   changes ("+22%") read the same in Word as on the page.

The order matters: ``"\\x01=1+1"`` must not become ``"=1+1"`` after the check.
"""
from __future__ import annotations

import re
import unicodedata

FORMULA_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_SIGNED_NUMBER = re.compile(r"[+-]\d[\d,]*(\.\d+)?%?")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_controls(text: str) -> str:
    """``text`` without the characters no file format may hold."""
    return _CONTROL.sub("", text)


def starts_like_formula(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    if _SIGNED_NUMBER.fullmatch(text):
        return False
    for char in text:
        if char in FORMULA_TRIGGERS:
            return True
        if char.isspace() or unicodedata.category(char) == "Cf":
            continue
        return False
    return False


def file_text(value) -> str:
    """``value`` as text that is safe in any cell or Word run."""
    text = strip_controls("" if value is None else str(value))
    return "'" + text if starts_like_formula(text) else text
