"""KPI numbers as people read them, the one home for pages and Word.

``amount(value, unit)``: the number without an exponent or trailing zeros,
with thousands separators ("80", "2.5", "1,200"), then its unit: "%" joins the
number ("80%"), "count" or no unit adds nothing ("5"), any other unit follows a
space ("6 weeks", "5 a month"; "1 week" for one of a time unit).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

NO_UNIT = frozenset({"", "count", "number", "no."})
_TIME_UNITS = {"days": "day", "weeks": "week", "months": "month", "years": "year",
               "hours": "hour", "minutes": "minute"}


def number(value) -> str:
    """``value`` (Decimal, int, float or numeric text) as plain digits."""
    try:
        exact = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return str(value)
    if not exact.is_finite():
        return str(value)
    text = f"{exact:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def amount(value, unit: str | None) -> str:
    """``value`` with ``unit`` as a person writes it; "Not reported" for None."""
    if value is None:
        return _("Not reported")
    digits = number(value)
    unit = (unit or "").strip()
    if unit.lower() in NO_UNIT:
        return digits
    if unit == "%":
        return f"{digits}%"
    if digits == "1" and unit.lower() in _TIME_UNITS:
        unit = _TIME_UNITS[unit.lower()]
    return f"{digits} {unit}"
