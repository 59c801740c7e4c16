"""What the API offers: each table's query parameters and columns, and how a
request's query string is read. One source for the routes, the CSV headers and
the OpenAPI document (``openapi.py``).

Counts are people (an action card is one person; a family feedback entry counts
the families it speaks for). A count column is ``null`` when the count is
hidden; its ``*_text`` column then says "fewer than 10" (a small group) or
"not shown" (withheld so that no small group can be worked out).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..ids import MAX_PAGE, parse_id
from ..insight.filters import PERIODS
from ..models.cards import CARD_KINDS

PER_PAGE = 50
MAX_PER_PAGE = 200
BY = {"month": "UK calendar month", "period": "UK calendar month (the same as month)",
      "service": "service", "area": "area", "cohort": "cohort (action cards' groups; SEND "
      "also counts family feedback about a child with SEND)"}
FORMATS = ("json", "csv")

# Parameters: name -> (OpenAPI schema, description).
PARAMS = {
    "page": ({"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
             "Page number, from 1."),
    "per_page": ({"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": PER_PAGE},
                 f"Rows a page, 1 to {MAX_PER_PAGE}."),
    "format": ({"type": "string", "enum": list(FORMATS), "default": "json"},
               "json (default) or csv (every row unless page or per_page is given)."),
    "period": ({"type": "string", "enum": list(PERIODS), "default": "all"},
               "The period counted: " + "; ".join(f"{k}: {v}" for k, v in PERIODS.items()) + "."),
    "by": ({"type": "string", "enum": list(BY)},
           "What each theme's people are counted by: " + "; ".join(
               f"{k}: {v}" for k, v in BY.items()) + "."),
    "service": ({"type": "integer", "minimum": 1}, "Only this service (its id)."),
    "kind": ({"type": "string", "enum": list(CARD_KINDS)}, "Only action cards of this kind."),
    "contract": ({"type": "integer", "minimum": 1}, "Only this contract (its id)."),
}
COMMON = ("page", "per_page", "format")

S, I, N, B = "string", "integer", "number", "boolean"
DATE = "date"
DATETIME = "date-time"


@dataclass(frozen=True)
class Table:
    name: str
    summary: str
    params: tuple[str, ...]
    columns: tuple[tuple[str, str, bool], ...]  # (name, type, may be null)

    @property
    def headers(self) -> list[str]:
        return [c[0] for c in self.columns]


def _count(name: str) -> tuple:
    return ((name, I, True), (f"{name}_text", S, False), ("suppressed", B, False))


TABLES = {t.name: t for t in (
    Table("themes", "Themes with the people in each over a period, suppressed as on the "
          "insight dashboard.", ("period",),
          (("id", I, False), ("label", S, False), ("curated_name", S, True), ("name", S, False),
           *_count("people"), ("emerging", B, False), ("reviewed", B, False))),
    Table("theme-counts", "Each shown theme's people by month, service, area or cohort, "
          "suppressed (fewer than 10, and the cells that would let one be worked out).",
          ("by", "period"),
          (("theme_id", I, False), ("theme", S, False), ("by", S, False), ("key", S, True),
           ("label", S, False), *_count("people"))),
    Table("answers", "You said, we did: the answered action cards the public page shows "
          "(published, redacted text), newest answer first.", ("service", "kind"),
          (("card_id", I, False), ("kind", S, False), ("service_id", I, True),
           ("service", S, False), ("theme", S, True), ("said", S, False),
           ("status", S, False), ("did", S, False), ("reason", S, True),
           ("answered_at", DATETIME, False))),
    Table("contracts", "The contract register.", (),
          (("id", I, False), ("reference", S, False), ("title", S, False),
           ("provider_id", I, False), ("provider", S, False), ("annual_value", N, False),
           ("start_date", DATE, False), ("end_date", DATE, False),
           ("review_frequency", S, False), ("next_review_date", DATE, True),
           ("services", S, False))),
    Table("kpis", "Each contract's KPIs and their targets.", ("contract",),
          (("id", I, False), ("contract_id", I, False), ("contract_reference", S, False),
           ("name", S, False), ("target", N, False), ("unit", S, False),
           ("direction", S, False), ("amber_tolerance", N, False))),
    Table("kpi-returns", "KPI returns: the value reported for each KPI in each review "
          "period, and its rating (red, amber, green).", ("contract",),
          (("id", I, False), ("review_id", I, False), ("contract_id", I, False),
           ("contract_reference", S, False), ("period_kind", S, False),
           ("period_start", DATE, False), ("period_end", DATE, False),
           ("review_status", S, False), ("kpi_id", I, False), ("kpi", S, False),
           ("target", N, False), ("unit", S, False), ("value", N, True),
           ("rating", S, True), ("commentary", S, True))),
)}


class BadParameter(ValueError):
    """A query string the API cannot read; the message says what to change."""


@dataclass(frozen=True)
class Query:
    table: str
    page: int = 1
    per_page: int = PER_PAGE
    paged: bool = True  # False: a CSV of every row
    format: str = "json"
    period: str = "all"
    by: str | None = None
    service_id: int | None = None
    kind: str | None = None
    contract_id: int | None = None


def _number(args, name, low, high):
    text = args.get(name, "")
    number = parse_id(text)
    if number is None or not low <= number <= high:
        raise BadParameter(f"{name} must be a whole number from {low:,} to {high:,}, "
                           f"not {text[:40]!r}")
    return number


def _choice(args, name, choices):
    value = args.get(name, "").strip()
    if value not in choices:
        raise BadParameter(f"{name} must be one of {', '.join(choices)}, not {value[:40]!r}")
    return value


def read_query(table: str, args: Mapping[str, str], csv_path: bool = False) -> Query:
    """The request's query string for ``table`` as a ``Query``; ``BadParameter`` names
    the first problem (an unknown or repeated parameter, a value out of range)."""
    spec = TABLES[table]
    allowed = set(COMMON) | set(spec.params)
    for name in args:
        if name not in allowed:
            raise BadParameter(f"Unknown parameter {name[:40]!r}: {table} takes "
                               f"{', '.join(sorted(allowed))}")
        if len(args.getlist(name)) > 1 if hasattr(args, "getlist") else False:
            raise BadParameter(f"Give {name} once")
    fmt = "csv" if csv_path else "json"
    if "format" in args:
        fmt = _choice(args, "format", FORMATS)
        if csv_path and fmt != "csv":
            raise BadParameter("A .csv address gives CSV: leave out format")
    paged = fmt == "json" or "page" in args or "per_page" in args
    values = {
        "table": table, "format": fmt, "paged": paged,
        "page": _number(args, "page", 1, MAX_PAGE) if "page" in args else 1,
        "per_page": _number(args, "per_page", 1, MAX_PER_PAGE) if "per_page" in args else PER_PAGE,
    }
    if "period" in spec.params and "period" in args:
        values["period"] = _choice(args, "period", list(PERIODS))
    if "by" in spec.params:
        if "by" not in args:
            raise BadParameter(f"Give by: one of {', '.join(BY)}")
        values["by"] = "month" if _choice(args, "by", list(BY)) == "period" else args["by"].strip()
    if "service" in args:
        values["service_id"] = _number(args, "service", 1, 2**63 - 1)
    if "kind" in args:
        values["kind"] = _choice(args, "kind", list(CARD_KINDS))
    if "contract" in args:
        values["contract_id"] = _number(args, "contract", 1, 2**63 - 1)
    return Query(**values)
