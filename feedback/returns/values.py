"""Reading what a provider types (or puts in a spreadsheet cell) for a return: the one
home of the rules, used by the web form and the XLSX upload alike. Pure functions of
text: no database, no request.

A KPI's value is read by its unit (``contracts.units``):

- ``%``: a number from 0 to 100, at most 2 decimal places;
- a count (``count``, ``number``, no unit): a whole number, 0 or more;
- anything else (weeks, days, a rate): a number, 0 or more, at most 2 decimal places.

Thousands separators ("1,200") and a trailing "%" on a percentage are accepted.
Whether a value is off target is the KPI's RAG rating (``contracts.rag``): anything
but green is off target and needs a narrative when the return is submitted.
"""
from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from ..contracts.rag import rate
from ..contracts.units import NO_UNIT

MAX_VALUE = Decimal("999999999999.99")  # what the column holds (14 digits, 2 after the point)
MAX_COUNT = 1_000_000


class BadValue(ValueError):
    """Text that is not an acceptable value; the message says why, plainly."""


class TooLong(BadValue):
    """Free text longer than ``limit`` characters (the caller names the field)."""

    def __init__(self, limit: int):
        super().__init__(_("The text must be %(count)s characters or fewer", count=f"{limit:,}"))
        self.limit = limit


class ControlCharacter(BadValue):
    """Free text holding a control character (the caller names the field)."""

    def __init__(self):
        super().__init__(_("The text holds a character that cannot be shown (a control "
                           "character). Type it again rather than pasting it"))


def is_count(unit: str | None) -> bool:
    return (unit or "").strip().lower() in NO_UNIT


def unit_words(unit: str | None) -> str:
    """How the form names a unit: "per cent", "a whole number", "weeks"."""
    unit = (unit or "").strip()
    if unit == "%":
        return _("per cent, from 0 to 100")
    if is_count(unit):
        return _("a whole number")
    return unit


def parse_value(raw, unit: str | None) -> Decimal | None:
    """The value in ``raw`` (text, a number from a spreadsheet, or None) for a KPI
    measured in ``unit``; None when empty. Raises ``BadValue``."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise BadValue(_("'%(value)s' is not a number", value=raw))
    if isinstance(raw, (int, float, Decimal)):
        text = str(raw)
    else:
        text = str(raw).strip()
    if not text:
        return None
    shown = text if len(text) <= 30 else text[:27] + "..."
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in text):
        raise BadValue(_("The value holds a character that cannot be shown (a control "
                         "character). Type it again rather than pasting it"))
    cleaned = text.replace(",", "").replace(" ", "")
    unit = (unit or "").strip()
    if unit == "%" and cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise BadValue(_("'%(value)s' is not a number", value=shown)) from None
    if not value.is_finite():
        raise BadValue(_("'%(value)s' is not a number", value=shown))
    if value < 0:
        raise BadValue(_("The value must be 0 or more"))
    if is_count(unit):
        if value != value.to_integral_value():
            raise BadValue(_("'%(value)s' is not a whole number", value=shown))
        if value > MAX_COUNT:
            raise BadValue(_("The value must be %(most)s or less", most=f"{MAX_COUNT:,}"))
        return value.quantize(Decimal("1"))
    if value.as_tuple().exponent < -2 and value != value.quantize(Decimal("0.01")):
        raise BadValue(_("The value can have at most 2 decimal places"))
    if unit == "%" and value > 100:
        raise BadValue(_("A percentage must be between 0 and 100"))
    if value > MAX_VALUE:
        raise BadValue(_("The value is too large"))
    return value.quantize(Decimal("0.01"))


def parse_count(raw) -> int | None:
    """A count of people or events (safeguarding referrals, complaints): a whole number,
    0 or more; None when empty. Raises ``BadValue``."""
    value = parse_value(raw, "count")
    return None if value is None else int(value)


def clean_text(raw, limit: int) -> str | None:
    """Free text (a narrative, what we heard, what we changed): trimmed, line breaks
    kept, None when empty. Raises ``TooLong`` or ``ControlCharacter`` (both ``BadValue``);
    the caller says which field, in a whole sentence."""
    if raw is None:
        return None
    text = str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return None
    if len(text) > limit:
        raise TooLong(limit)
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n\t" for ch in text):
        raise ControlCharacter()
    return text


def off_target(kpi, value: Decimal | None) -> bool:
    """Whether ``value`` misses ``kpi``'s target (amber or red, by ``contracts.rag``)."""
    if value is None:
        return False
    return rate(value, kpi.target, kpi.direction, kpi.amber_tolerance) != "green"
