"""A theme's quotes: distinct published words, best first, each with its own
service, source and month.

The rules, in one place:

- only published items (``is_published``), only their redacted text, and family
  feedback only with ``quote_consent``;
- ranked by how well the item represents the theme: the theme assignment's
  ``confidence`` (the engine's or the classifier's score; a hand-placed item has
  none and comes after scored ones), then the newest;
- distinct: two texts that differ only in case, spaces, punctuation or a
  redaction placeholder ("[name]", "[phone number]", "(redacted)") are the same
  quote (``quote_key``), and only its best-placed item is shown. ``exclude``
  takes keys already shown elsewhere on the same page, so a page that quotes
  several themes never repeats a text.

Exact repeats are collapsed in SQL (one row per text, its best item, by a
window function), so a theme in which one sentence was sent 300 times still
yields its other sentences; near repeats are collapsed here.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, literal, select

from .. import clock
from ..extensions import db
from ..i18n import N_
from ..models import ActionCard, FeedbackEntry, Service, ThemeAssignment
from .filters import Filters
from .queries import card_conditions, feedback_conditions

# Distinct exact texts read per kind before near repeats are removed.
CANDIDATES_PER_QUOTE = 10
SOURCE_LABELS = {"card": N_("Action card"), "family_form": N_("Family feedback"),
                 "forum": N_("Parent carer forum"), "forum_import": N_("Parent carer forum"),
                 "provider_import": N_("Collected by the service's provider")}
_PLACEHOLDER = re.compile(r"\[[^\[\]]{1,40}\]|\(\s*redacted\s*\)", re.IGNORECASE)
_NOT_WORD = re.compile(r"[\W_]+")


def quote_key(text: str) -> str:
    """The form two quotes are compared in: case, spacing, punctuation and
    redaction placeholders do not make a text a different quote."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = _PLACEHOLDER.sub(" redacted ", text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


@dataclass(frozen=True)
class Quote:
    kind: str  # "card" | "feedback"
    item_id: int
    text: str
    service: str | None
    source: str  # "Action card", "Family feedback", "Parent carer forum"
    month: str  # UK month it was said in: "March 2026"
    score: float | None = None

    @property
    def key(self) -> str:
        return quote_key(self.text)


def _card_rows(theme_id: int, f: Filters, limit: int):
    text = ActionCard.text_redacted
    best = func.row_number().over(partition_by=text, order_by=(
        ThemeAssignment.confidence.desc().nulls_last(), ActionCard.created_at.desc(),
        ActionCard.id)).label("best")
    ranked = (select(literal("card").label("kind"), ActionCard.id.label("item_id"),
                     text.label("text"), Service.name.label("service"),
                     literal("card").label("source"), ActionCard.created_at.label("created_at"),
                     ThemeAssignment.confidence.label("score"), best)
              .join(ThemeAssignment, ThemeAssignment.card_id == ActionCard.id)
              .outerjoin(Service, Service.id == ActionCard.service_id)
              .where(ThemeAssignment.theme_id == theme_id, text.is_not(None),
                     func.trim(text) != "", *card_conditions(f))).subquery()
    return _best(ranked, limit)


def _feedback_rows(theme_id: int, f: Filters, limit: int):
    worse = func.nullif(func.trim(FeedbackEntry.could_be_better_redacted), "")
    text = func.coalesce(worse, func.nullif(func.trim(FeedbackEntry.went_well_redacted), ""))
    best = func.row_number().over(partition_by=text, order_by=(
        ThemeAssignment.confidence.desc().nulls_last(), FeedbackEntry.created_at.desc(),
        FeedbackEntry.id)).label("best")
    conds = [ThemeAssignment.theme_id == theme_id, FeedbackEntry.quote_consent.is_(True),
             text.is_not(None), *feedback_conditions(f)]
    ranked = (select(literal("feedback").label("kind"), FeedbackEntry.id.label("item_id"),
                     text.label("text"), Service.name.label("service"),
                     FeedbackEntry.source.label("source"),
                     FeedbackEntry.created_at.label("created_at"),
                     ThemeAssignment.confidence.label("score"), best)
              .join(ThemeAssignment, ThemeAssignment.feedback_entry_id == FeedbackEntry.id)
              .outerjoin(Service, Service.id == FeedbackEntry.service_id)
              .where(*conds)).subquery()
    return _best(ranked, limit)


def _best(ranked, limit: int) -> list:
    """The best item of each exact text, best texts first."""
    stmt = (select(ranked.c.kind, ranked.c.item_id, ranked.c.text, ranked.c.service,
                   ranked.c.source, ranked.c.created_at, ranked.c.score)
            .where(ranked.c.best == 1)
            .order_by(ranked.c.score.desc().nulls_last(),
                      ranked.c.created_at.desc(), ranked.c.item_id)
            .limit(limit))
    return list(db.session.execute(stmt))


def _month(moment) -> str:
    return f"{clock.uk_date_of(moment):%B %Y}" if moment is not None else ""


def theme_quotes(theme_id: int, f: Filters, limit: int = 6, exclude=()) -> list[Quote]:
    """Up to ``limit`` distinct quotes of the theme for ``f``, best first (module rules)."""
    candidates = []
    wanted = limit * CANDIDATES_PER_QUOTE
    if f.includes_cards:
        candidates += _card_rows(theme_id, f, wanted)
    if f.includes_feedback:
        candidates += _feedback_rows(theme_id, f, wanted)
    candidates.sort(key=lambda r: (r.score is None, -(r.score or 0.0),
                                   -r.created_at.timestamp(), r.kind, r.item_id))
    return distinct((Quote(r.kind, r.item_id, r.text.strip(), r.service,
                           _(SOURCE_LABELS.get(r.source, "Family feedback")), _month(r.created_at),
                           r.score) for r in candidates), limit, exclude)


def distinct(quotes, limit: int, exclude=()) -> list:
    """The first ``limit`` quotes whose ``quote_key`` is not seen before (nor in ``exclude``)."""
    seen = set(exclude)
    out = []
    for quote in quotes:
        key = quote_key(quote.text)
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(quote)
        if len(out) >= limit:
            break
    return out

