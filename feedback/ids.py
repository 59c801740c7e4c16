"""Ids from the outside world: in the URL, in a query string or a form.

Every id the app looks up is a positive whole number no bigger than
``MAX_ID`` (the largest 64-bit signed integer, the widest id either database
can hold). Anything else cannot name a row, so it is "not found" (404) and
never reaches the database (where SQLite raised an overflow, a 500).

- ``IdConverter`` replaces Flask's ``int`` URL converter app-wide, so every
  ``<int:...>`` in a route refuses negative, zero-padded-huge and 2**63+ ids
  at routing time.
- ``id_arg(name)`` reads an optional id from the query string: ``None`` when
  it is missing or cannot be an id.
- ``page_arg()`` reads a page number, 1 when missing or out of range.
"""
from __future__ import annotations

from flask import request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1
MAX_PAGE = 100_000


class IdConverter(IntegerConverter):
    """``<int:id>``: 0 to ``MAX_ID``, digits only (no sign), else no route (404)."""

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_id(value) -> int | None:
    """``value`` as an id, or ``None`` when it cannot be one."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def id_arg(name: str) -> int | None:
    return parse_id(request.args.get(name))


def page_arg(name: str = "page") -> int:
    number = parse_id(request.args.get(name))
    return number if number is not None and number <= MAX_PAGE else 1
