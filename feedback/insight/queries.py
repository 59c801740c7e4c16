"""Aggregated questions about published items, with small-group suppression.

Every function takes a ``Filters`` value (and plain ids) and answers with
GROUP BY queries over one UNION ALL of action cards and feedback entries:
no Python loops over items. Only published items count (approved by a
moderator and not held back by safeguarding).

People: an action card is one person; a feedback entry counts its
``families_represented`` (a forum entry may speak for several families).
Any group of fewer than ``threshold`` people (10) is *suppressed*: shown as
"fewer than 10", with no sentiment, change or further breakdown, on screen and
in exports alike. Where the totals of a view would let a small group be worked
out, the views withhold another cell too ("not shown"): ``feedback.disclosure``
decides, ``protection`` holds each view's sums. Reusable by other features
(the contract review pack).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, literal, select, union_all

from .. import analysis_bridge, clock, disclosure
from ..extensions import db
from ..models import ActionCard, FeedbackEntry, Service, Theme, ThemeAssignment
from .coverage import fully_held, no_data_why, scope_conditions
from .feeling import share_words
from .filters import Filters

THRESHOLD = disclosure.THRESHOLD
SUPPRESSED_TEXT = disclosure.SMALL_TEXT


def _people_text(people: int, suppressed: bool) -> str:
    """"fewer than 10" for a small group, "not shown" for a cell withheld to protect one."""
    if not suppressed:
        return f"{people:,}"
    return disclosure.WITHHELD_TEXT if people >= THRESHOLD else SUPPRESSED_TEXT


@dataclass(frozen=True)
class ThemeRow:
    theme_id: int
    name: str
    people: int
    items: int
    me_too: int
    sentiment: float | None
    previous_people: int | None
    emerging: bool
    reviewed: bool
    suppressed: bool
    # Of the items with a sentiment score: how many read negative and positive, and in all.
    negative: int = 0
    positive: int = 0
    scored: int = 0
    # False when the platform holds no data for part of the period before
    # (``coverage``): no change is given against it.
    compared: bool = True

    @property
    def people_text(self) -> str:
        return _people_text(self.people, self.suppressed)

    @property
    def change(self) -> int | None:
        """Change in people against the previous period; None when either side is small."""
        if (self.suppressed or not self.compared or self.previous_people is None
                or self.previous_people < THRESHOLD):
            return None
        return self.people - self.previous_people

    @property
    def change_text(self) -> str:
        """"Up 12 (+15%)", "Down 3 (-4%)", "No change"; or why no change is shown."""
        if self.change is None:
            return _("Not shown") if self.suppressed else _("No comparison")
        if self.change == 0:
            return _("No change")
        share = round(100 * self.change / self.previous_people)
        values = {"number": f"{abs(self.change):,}", "share": f"{share:+d}"}
        return (_("Up %(number)s (%(share)s%%)", **values) if self.change > 0
                else _("Down %(number)s (%(share)s%%)", **values))

    @property
    def change_why(self) -> str | None:
        """Why "No comparison", in brief: part of the period before has no data (``coverage``)
        or it had fewer than 10 people in the theme. None for all time (no period before)."""
        if self.suppressed or self.change is not None:
            return None
        if not self.compared:
            return no_data_why()
        return None if self.previous_people is None else _(
            "Fewer than 10 people in the period before.")

    @property
    def sentiment_text(self) -> str:
        if self.suppressed or self.sentiment is None or not self.scored:
            return _("Not shown") if self.suppressed else _("Not known")
        return share_words(self.negative, self.positive, self.scored)


@dataclass(frozen=True)
class CountRow:
    key: object
    label: str
    people: int
    suppressed: bool
    # Why a hidden row has no number (``disclosure.Protected.why``), set by ``protection``.
    why: str | None = None

    @property
    def people_text(self) -> str:
        return _people_text(self.people, self.suppressed)


def _common(model, f: Filters) -> list:
    conds = [model.is_published]
    if f.start_at is not None:
        conds.append(model.created_at >= f.start_at)
    if f.end_at is not None:
        conds.append(model.created_at < f.end_at)
    conds += scope_conditions(model, f)
    if f.area_id is not None:
        conds.append(model.area_id == f.area_id)
    return conds


def card_conditions(f: Filters) -> list:
    """Every condition ``f`` puts on published action cards."""
    conds = _common(ActionCard, f)
    if f.cohort:
        conds.append(getattr(ActionCard, f.cohort).is_(True))
    if f.age_band:
        conds.append(ActionCard.age_band == f.age_band)
    return conds


def feedback_conditions(f: Filters) -> list:
    """Every condition ``f`` puts on published feedback entries."""
    conds = _common(FeedbackEntry, f)
    if f.source:
        conds.append(FeedbackEntry.source == f.source)
    if f.rating is not None:
        conds.append(FeedbackEntry.rating == f.rating)
    if f.age_band:
        conds.append(FeedbackEntry.child_age_band == f.age_band)
    if f.cohort == "send":
        conds.append(FeedbackEntry.disability_send == "yes")
    if f.collected == "independent":
        conds.append(FeedbackEntry.collected_by_id.is_(None))
    elif f.collected == "provider":
        conds.append(FeedbackEntry.collected_by_id.is_not(None))
    return conds


def items_subquery(f: Filters, theme_id: int | None = None, themed: bool = True):
    """One row per published item (per theme when ``themed``) matching ``f``."""
    branches = []
    if f.includes_cards:
        stmt = select(literal("card").label("kind"), ActionCard.id.label("item_id"),
                      literal("card").label("source"), literal(1).label("people"),
                      ActionCard.me_too_count.label("me_too"), ActionCard.sentiment.label("sentiment"),
                      ActionCard.created_at.label("created_at"),
                      ActionCard.service_id.label("service_id"),
                      *([ThemeAssignment.theme_id.label("theme_id"),
                         ThemeAssignment.confidence.label("confidence")] if themed else []))
        if themed:
            stmt = stmt.join(ThemeAssignment, ThemeAssignment.card_id == ActionCard.id)
        conds = card_conditions(f)
        if theme_id is not None:
            conds.append(ThemeAssignment.theme_id == theme_id)
        branches.append(stmt.where(and_(*conds)))
    if f.includes_feedback:
        stmt = select(literal("feedback").label("kind"), FeedbackEntry.id.label("item_id"),
                      FeedbackEntry.source.label("source"),
                      FeedbackEntry.families_represented.label("people"),
                      literal(0).label("me_too"), FeedbackEntry.sentiment.label("sentiment"),
                      FeedbackEntry.created_at.label("created_at"),
                      FeedbackEntry.service_id.label("service_id"),
                      *([ThemeAssignment.theme_id.label("theme_id"),
                         ThemeAssignment.confidence.label("confidence")] if themed else []))
        if themed:
            stmt = stmt.join(ThemeAssignment, ThemeAssignment.feedback_entry_id == FeedbackEntry.id)
        conds = feedback_conditions(f)
        if theme_id is not None:
            conds.append(ThemeAssignment.theme_id == theme_id)
        branches.append(stmt.where(and_(*conds)))
    if not branches:
        # Contradictory filters (a rating for action cards): nothing matches.
        return select(literal("card").label("kind"), literal(0).label("item_id"),
                      literal("card").label("source"), literal(0).label("people"),
                      literal(0).label("me_too"), literal(0.0).label("sentiment"),
                      # typed, so PostgreSQL can take its month (timezone() of an untyped NULL fails)
                      literal(None, FeedbackEntry.created_at.type).label("created_at"),
                      literal(0).label("service_id"),
                      *([literal(0).label("theme_id"), literal(0.0).label("confidence")]
                        if themed else [])).where(literal(1) == 0).subquery()
    return (branches[0] if len(branches) == 1 else union_all(*branches)).subquery("items")


def theme_counts(f: Filters) -> dict[int, tuple]:
    """{theme id: (people, items, me too, mean sentiment, negative, positive, scored)} for
    ``f`` (not suppressed); negative and positive by the sentiment model's cut-offs."""
    items = items_subquery(f)
    below, above = analysis_bridge.sentiment_cutoffs()
    score = items.c.sentiment
    stmt = select(items.c.theme_id, func.sum(items.c.people), func.count(),
                  func.sum(items.c.me_too), func.avg(score),
                  func.sum(case((score < below, 1), else_=0)),
                  func.sum(case((score > above, 1), else_=0)),
                  func.count(score)).group_by(items.c.theme_id)
    return {row[0]: row[1:] for row in db.session.execute(stmt)}


def theme_summary(f: Filters, threshold: int = THRESHOLD, include_hidden: bool = False,
                  counts: dict | None = None) -> list[ThemeRow]:
    """Themes ranked by people, with change against the previous period.

    Suppressed themes (fewer than ``threshold`` people) come last, by name,
    so their position does not hint at their size.
    """
    counts = theme_counts(f) if counts is None else counts
    if not counts:
        return []
    previous = f.previous()
    compared = previous is not None and fully_held(previous)
    before = theme_counts(previous) if compared else {}
    stmt = select(Theme).where(Theme.id.in_(counts), Theme.merged_into_id.is_(None))
    if not include_hidden:
        stmt = stmt.where(Theme.hidden.is_(False))
    rows = []
    for theme in db.session.execute(stmt).scalars():
        people, n_items, me_too, sentiment, negative, positive, scored = counts[theme.id]
        people = int(people or 0)
        prev = before.get(theme.id)
        rows.append(ThemeRow(theme.id, theme.name, people, int(n_items), int(me_too or 0),
                             None if sentiment is None else float(sentiment),
                             int(prev[0] or 0) if prev else (0 if compared else None),
                             theme.emerging, theme.reviewed, people < threshold,
                             int(negative or 0), int(positive or 0), int(scored or 0),
                             compared=previous is None or compared))
    rows.sort(key=lambda r: (r.suppressed, -r.people if not r.suppressed else 0, r.name.lower()))
    return rows


def total_people(f: Filters, themed: bool = False) -> int:
    items = items_subquery(f, themed=themed)
    return int(db.session.execute(select(func.coalesce(func.sum(items.c.people), 0))).scalar_one())


def _month(column):
    """The UK month of each item, as a grouping key (see ``_month_key``)."""
    if db.engine.dialect.name == "postgresql":
        # date_trunc on a plain timestamp is much cheaper per row than to_char.
        return func.date_trunc("month", func.timezone(clock.LONDON.key, column))
    # SQLite keeps UTC text and knows no time zones: the UTC month is the UK month
    # except in the last hour of a month in summer time, so items in a month's
    # last UTC hour are keyed by their hour and placed in Python.
    month, hour = func.strftime("%Y-%m", column), func.strftime("%Y-%m-%d %H", column)
    return case((func.strftime("%Y-%m", column, "+1 hour") != month, hour), else_=month)


def _month_key(value) -> str | None:
    """"YYYY-MM" (UK month) from a grouping key of ``_month``."""
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) == 7:
            return value
        from datetime import datetime, timezone
        moment = datetime.strptime(value, "%Y-%m-%d %H").replace(tzinfo=timezone.utc)
        return f"{clock.uk_date_of(moment):%Y-%m}"
    return f"{value:%Y-%m}"


def _dimension(items, dimension: str):
    if dimension == "service":
        return items.c.service_id
    if dimension == "month":
        return _month(items.c.created_at)
    if dimension == "source":
        return items.c.source
    raise ValueError(f"unknown dimension {dimension!r}")


def breakdowns(f: Filters, dimensions: tuple[str, ...], theme_id: int | None = None,
               threshold: int = THRESHOLD) -> dict[str, list[CountRow]]:
    """People per service, month and/or source, from ONE grouped query.

    The query groups by every dimension at once (a few hundred groups at
    most); each dimension's exact totals are summed from those groups before
    any suppression, then each small group is suppressed. One scan of the
    items instead of one per dimension.
    """
    items = items_subquery(f, theme_id=theme_id, themed=theme_id is not None)
    keys = [_dimension(items, d).label(f"k_{d}") for d in dimensions]
    stmt = select(*keys, func.sum(items.c.people)).group_by(*keys)
    totals: dict[str, dict] = {d: {} for d in dimensions}
    for row in db.session.execute(stmt):
        people = int(row[-1] or 0)
        for n, dimension in enumerate(dimensions):
            key = _month_key(row[n]) if dimension == "month" else row[n]
            totals[dimension][key] = totals[dimension].get(key, 0) + people
    out = {}
    for dimension, found in totals.items():
        ordered = sorted(found.items(), key=lambda kv: (kv[0] is None, str(kv[0])))
        labels = _labels(dimension, [k for k, _n in ordered])
        rows = [CountRow(k, labels.get(k, _("Not known")), n, n < threshold) for k, n in ordered]
        if dimension != "month":
            rows.sort(key=lambda r: (r.suppressed, -r.people if not r.suppressed else 0, r.label))
        out[dimension] = rows
    return out


def breakdown(f: Filters, dimension: str, theme_id: int | None = None,
              threshold: int = THRESHOLD) -> list[CountRow]:
    """People per service, month or source; each small group suppressed."""
    return breakdowns(f, (dimension,), theme_id, threshold)[dimension]


def _labels(dimension: str, keys: list) -> dict:
    if dimension == "service":
        ids = [k for k in keys if k is not None]
        return dict(db.session.execute(select(Service.id, Service.name).where(Service.id.in_(ids))).all()) if ids else {}
    if dimension == "source":
        from .filters import SOURCES
        return {key: _(label) for key, label in SOURCES.items()}
    from datetime import date
    out = {}
    for k in keys:
        if k:
            year, month = (int(x) for x in str(k).split("-"))
            out[k] = f"{date(year, month, 1):%B %Y}"
    return out


def theme_cards(theme_id: int, f: Filters, statuses: tuple[str, ...] = (),
                limit: int = 100) -> list[ActionCard]:
    """The published action cards behind a theme (newest first), for answering."""
    stmt = (select(ActionCard).join(ThemeAssignment, ThemeAssignment.card_id == ActionCard.id)
            .where(ThemeAssignment.theme_id == theme_id, *_common(ActionCard, f))
            .order_by(ActionCard.created_at.desc()).limit(limit))
    if statuses:
        stmt = stmt.where(ActionCard.status.in_(statuses))
    return list(db.session.execute(stmt).scalars())


def theme_feedback(theme_id: int, f: Filters, limit: int = 100) -> list[FeedbackEntry]:
    """The published feedback entries behind a theme (newest first), for answering."""
    if not f.includes_feedback:
        return []
    stmt = (select(FeedbackEntry)
            .join(ThemeAssignment, ThemeAssignment.feedback_entry_id == FeedbackEntry.id)
            .where(ThemeAssignment.theme_id == theme_id, *_common(FeedbackEntry, f))
            .order_by(FeedbackEntry.created_at.desc()).limit(limit))
    return list(db.session.execute(stmt).scalars())
