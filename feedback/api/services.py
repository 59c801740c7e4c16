"""The API's use cases: one page (or every row) of a table for a ``Query``.

Read only: nothing here writes except ``tokens.authenticate``'s note of a use.
Counts come from ``counts`` (the one disclosure rule); answers from the public
"you said, we did" page's own query (``insight.public``), so the API shows
exactly what the public page shows; contracts and KPIs from the register.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..insight import public
from ..insight.filters import Filters, period_dates
from ..models import Contract, ContractReview, Kpi, KpiReturn, Organisation, Theme
from . import counts
from .tables import TABLES, Query

MAX_CSV_ROWS = 10_000


@dataclass(frozen=True)
class Page:
    query: Query
    rows: list[dict]
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))

    @property
    def has_next(self) -> bool:
        return self.query.paged and self.query.page < self.pages


def _filters(query: Query) -> Filters:
    today = clock.today()
    start, end = period_dates(query.period, today)
    return Filters(start=start, end=end, period=query.period, as_of=today)


def _slice(query: Query, rows: list[dict]) -> Page:
    if not query.paged:
        return Page(query, rows[:MAX_CSV_ROWS], len(rows))
    first = (query.page - 1) * query.per_page
    return Page(query, rows[first:first + query.per_page], len(rows))


def _number(value):
    return None if value is None else float(value)


def _themes(query: Query) -> list[dict]:
    rows = counts.themes(_filters(query))
    names = {t.id: t for t in db.session.execute(
        select(Theme).where(Theme.id.in_([r.theme_id for r in rows]))).scalars()} if rows else {}
    return [{"id": r.theme_id, "label": names[r.theme_id].label,
             "curated_name": names[r.theme_id].curated_name, "name": r.name,
             "people": None if r.suppressed else r.people, "people_text": r.people_text,
             "suppressed": r.suppressed, "emerging": r.emerging, "reviewed": r.reviewed}
            for r in rows]


def _theme_counts(query: Query) -> list[dict]:
    return [{"theme_id": c.theme_id, "theme": c.theme, "by": c.by, "key": c.key,
             "label": c.label, "people": None if c.hidden else c.people, "people_text": c.text,
             "suppressed": c.hidden}
            for c in counts.theme_cells(_filters(query), query.by)]


def _answers(query: Query) -> Page:
    asked = public.PublicQuery(page=query.page if query.paged else 1,
                               service_id=query.service_id, kind=query.kind)
    per_page = query.per_page if query.paged else MAX_CSV_ROWS
    answered = public.answered_cards(asked, per_page=per_page)
    entries = answered.entries if answered.page_asked <= answered.pages else []
    rows = [{"card_id": e.card_id, "kind": e.kind, "service_id": e.service_id,
             "service": e.service, "theme": e.theme, "said": e.said, "status": e.status,
             "did": e.did, "reason": e.reason, "answered_at": e.answered_at}
            for e in entries]
    return Page(query, rows, answered.total)


def _contracts(query: Query) -> list[dict]:
    stmt = (select(Contract, Organisation.name).join(Organisation, Organisation.id == Contract.provider_id)
            .order_by(Contract.reference, Contract.id))
    return [{"id": c.id, "reference": c.reference, "title": c.title,
             "provider_id": c.provider_id, "provider": provider,
             "annual_value": _number(c.annual_value), "start_date": c.start_date,
             "end_date": c.end_date, "review_frequency": c.review_frequency,
             "next_review_date": c.next_review_date,
             "services": "; ".join(sorted(s.name for s in c.services))}
            for c, provider in db.session.execute(stmt)]


def _kpis(query: Query) -> list[dict]:
    stmt = (select(Kpi, Contract.reference).join(Contract, Contract.id == Kpi.contract_id)
            .order_by(Contract.reference, Kpi.id))
    if query.contract_id is not None:
        stmt = stmt.where(Kpi.contract_id == query.contract_id)
    return [{"id": k.id, "contract_id": k.contract_id, "contract_reference": reference,
             "name": k.name, "target": _number(k.target), "unit": k.unit,
             "direction": k.direction, "amber_tolerance": _number(k.amber_tolerance)}
            for k, reference in db.session.execute(stmt)]


def _kpi_returns(query: Query) -> list[dict]:
    stmt = (select(KpiReturn, ContractReview, Kpi, Contract.reference)
            .join(ContractReview, ContractReview.id == KpiReturn.review_id)
            .join(Kpi, Kpi.id == KpiReturn.kpi_id)
            .join(Contract, Contract.id == ContractReview.contract_id)
            .order_by(Contract.reference, ContractReview.period_start, Kpi.id, KpiReturn.id))
    if query.contract_id is not None:
        stmt = stmt.where(ContractReview.contract_id == query.contract_id)
    return [{"id": r.id, "review_id": review.id, "contract_id": review.contract_id,
             "contract_reference": reference, "period_kind": review.period_kind,
             "period_start": review.period_start, "period_end": review.period_end,
             "review_status": review.status, "kpi_id": kpi.id, "kpi": kpi.name,
             "target": _number(kpi.target), "unit": kpi.unit, "value": _number(r.value),
             "rating": r.rag, "commentary": r.commentary}
            for r, review, kpi, reference in db.session.execute(stmt)]


_ROWS = {"themes": _themes, "theme-counts": _theme_counts, "contracts": _contracts,
         "kpis": _kpis, "kpi-returns": _kpi_returns}


# Tables of counts, kept per process for ``cache_seconds`` (API_CACHE_SECONDS): each
# needs several grouped queries and the disclosure rule, and a reporting tool asks
# for the same table page after page. Keyed by everything the rows depend on.
_CACHE: dict[tuple, tuple[float, list[dict]]] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 64
CACHED = ("themes", "theme-counts")


def _rows(query: Query, cache_seconds: float) -> list[dict]:
    if query.table not in CACHED or cache_seconds <= 0:
        return _ROWS[query.table](query)
    key = (query.table, query.period, query.by, clock.today())
    now = time.monotonic()
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is not None and now - hit[0] < cache_seconds:
        return hit[1]
    rows = _ROWS[query.table](query)
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[key] = (now, rows)
    return rows


def table_page(query: Query, cache_seconds: float = 0) -> Page:
    """One page of ``query.table`` (every row, up to ``MAX_CSV_ROWS``, when not paged).
    Tables of counts may be up to ``cache_seconds`` old."""
    assert query.table in TABLES
    if query.table == "answers":
        return _answers(query)
    return _slice(query, _rows(query, cache_seconds))


__all__ = ["MAX_CSV_ROWS", "Page", "table_page"]
