"""What every part of a Young Inspectors' report is checked against: ``InspectionError`` (a
``FieldError``) for input to change, plain text (trimmed, bounded, free of control
characters, each message naming its field), the young people's names a report must not
hold, and the "should change" text split into one item a line. No database."""
from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

from ..errors import FieldError
from ..i18n import N_
from ..redaction import AMBIGUOUS_NAMES, FIRST_NAMES

_BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013]|\d{1,2}[.)])\s*")
_WORD = re.compile(r"[A-Za-z][a-z'\u2019-]+")


class InspectionError(FieldError):
    """An inspection, standard, file or response that cannot be saved as given."""


# --- plain text ------------------------------------------------------------------------------

# What is said of each field that is too long or holds a control character: whole sentences
# naming the field (translated where the error is made).
_TOO_LONG = {
    "name": N_("Name must be %(count)s characters or fewer"),
    "description": N_("Description must be %(count)s characters or fewer"),
    "group_name": N_("Youth group must be %(count)s characters or fewer"),
    "what_was_good": N_("What was good must be %(count)s characters or fewer"),
    "should_change": N_("What should change must be %(count)s characters or fewer"),
    "response": N_("Your response must be %(count)s characters or fewer"),
    "file": N_("The file's name must be %(count)s characters or fewer"),
}
_CONTROL = {
    "name": N_("Name holds a character that cannot be shown (a control character). Type it "
               "again rather than pasting it"),
    "description": N_("Description holds a character that cannot be shown (a control "
                      "character). Type it again rather than pasting it"),
    "group_name": N_("Youth group holds a character that cannot be shown (a control "
                     "character). Type it again rather than pasting it"),
    "what_was_good": N_("What was good holds a character that cannot be shown (a control "
                        "character). Type it again rather than pasting it"),
    "should_change": N_("What should change holds a character that cannot be shown (a "
                        "control character). Type it again rather than pasting it"),
    "response": N_("Your response holds a character that cannot be shown (a control "
                   "character). Type it again rather than pasting it"),
    "file": N_("The file's name holds a character that cannot be shown (a control "
               "character). Type it again rather than pasting it"),
}


def clean_text(value: str | None, field_name: str, limit: int,
               required: str | None = None) -> str:
    """``value`` trimmed, with Windows line ends made plain; ``InspectionError`` when it is
    empty (and ``required`` gives the message), too long or holds a control character
    (``field_name`` is one of ``_TOO_LONG``'s, which names it in the message)."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text and required:
        raise InspectionError(required, field_name)
    if len(text) > limit:
        raise InspectionError(_(_TOO_LONG[field_name], count=f"{limit:,}"), field_name)
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in text):
        raise InspectionError(_(_CONTROL[field_name]), field_name)
    return text


def names_in(text: str) -> list[str]:
    """Words of ``text`` that are common first names, written with a capital (``redaction``'s
    list, less the names that are also ordinary words): two or more look like a list of the
    young people's names."""
    found = []
    for word in _WORD.findall(text or ""):
        key = word.lower()
        if word[0].isupper() and key in FIRST_NAMES and key not in AMBIGUOUS_NAMES \
                and word not in found:
            found.append(word)
    return found


def check_names(text: str, field_name: str, not_names: bool) -> None:
    """``InspectionError`` when ``text`` holds two or more first names (``names_in``), unless
    the form says they are not the young people's names (``not_names``)."""
    found = names_in(text)
    if len(found) >= 2 and not not_names:
        raise InspectionError(_(
            "This looks like a list of names (%(names)s). Do not name the young "
            "inspectors: remove the names, or tick \u201cThese are not the names of young "
            "people\u201d", names=", ".join(found[:4])), field_name)


def split_items(text: str) -> list[str]:
    """One "should change" item per line; list marks (-, *, 1.) and blank lines dropped."""
    items = []
    for line in (text or "").split("\n"):
        line = _BULLET.sub("", line).strip()
        if line:
            items.append(line)
    return items
