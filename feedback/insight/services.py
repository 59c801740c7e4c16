"""Use cases behind the insight pages: dashboard, theme page, exports, runs and
the commissioner's "what needs attention" panel ("you said, we did" is in ``public``).

Services take plain values (a ``Filters``, ids, the acting user) and return
plain view objects; staff views of cards are audited.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit, clock, tasks, theme_store
from ..errors import NotAllowed
from ..exports import to_csv, to_xlsx
from ..extensions import db
from ..i18n import N_
from ..models import ActionCard, AnalysisRun, Area, Contract, Organisation, Service, Theme
from ..models.submissions import OPEN_STATUSES
from ..permissions import can_view_insight
from . import coverage, protection, queries
from .filters import Filters, comparison_note, period_dates, period_label, previous_label
from .quotes import theme_quotes


def _guard(actor) -> None:
    if not can_view_insight(actor):
        raise NotAllowed()


def filters_from(values: dict, today: date) -> Filters:
    """A ``Filters`` from validated form values (strings; "" means any)."""
    def number(key):
        value = values.get(key) or ""
        return int(value) if str(value).isdigit() else None
    period = values.get("period") or "quarter"
    start, end = period_dates(period, today)
    service = number("service")
    return Filters(start=start, end=end, service_ids=(service,) if service else (),
                   provider_id=number("provider"), contract_id=number("contract"),
                   thematic_area=values.get("thematic_area") or None, area_id=number("area"),
                   source=values.get("source") or None, cohort=values.get("cohort") or None,
                   age_band=values.get("age_band") or None, rating=number("rating"),
                   collected=values.get("collected") or None, period=period, as_of=today)


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Options for the filter selects that come from the database."""
    any_ = [("", _("Any"))]
    return {
        "service": any_ + [(str(i), n) for i, n in db.session.execute(
            select(Service.id, Service.name).order_by(Service.name))],
        "provider": any_ + [(str(i), n) for i, n in db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.kind == "provider")
            .order_by(Organisation.name))],
        "contract": any_ + [(str(i), f"{r} {t}") for i, r, t in db.session.execute(
            select(Contract.id, Contract.reference, Contract.title).order_by(Contract.reference))],
        "area": any_ + [(str(i), n) for i, n in db.session.execute(
            select(Area.id, Area.name).where(Area.kind.in_(("district", "borough")))
            .order_by(Area.name))],
    }


@dataclass
class Dashboard:
    filters: Filters
    period: str
    themes: list
    total: int
    themed: int
    sources: list
    months: list
    last_run: AnalysisRun | None
    waiting: int
    themed_shown: bool = True

    @property
    def compared_with(self) -> str | None:
        """The previous period's dates in words (None for all time)."""
        return previous_label(self.filters)

    @cached_property
    def comparison(self) -> str | None:
        """The sentence saying what the change column compares (a part with a like part),
        or that there is no comparison: the platform holds no data for part of the period
        before (``coverage``)."""
        gap = coverage.comparison_gap(self.filters)
        return f"{gap}." if gap else comparison_note(self.filters)

    @property
    def total_suppressed(self) -> bool:
        return self.total < queries.THRESHOLD

    @property
    def chart_max(self) -> int:
        shown = [r.people for r in self.themes if not r.suppressed]
        return max(shown) if shown else 1


def running_month(f: Filters, today: date | None = None) -> str | None:
    """The month key ("YYYY-MM") of today's UK month when the period takes in today (so the
    month is still running), else None."""
    today = today or clock.today()
    if (f.start and f.start > today) or (f.end and f.end <= today):
        return None
    return f"{today:%Y-%m}"


def dashboard(f: Filters, actor) -> Dashboard:
    """The dashboard's figures; reads only (approval queues classification)."""
    _guard(actor)
    waiting = theme_store.unanalysed_count()
    # One grouped query gives people by source and by month (and so the total),
    # one gives theme counts (and the themed total), one the previous period's.
    split = queries.breakdowns(f, ("source", "month"))
    total = sum(r.people for r in split["source"])
    if total < queries.THRESHOLD:
        return Dashboard(f, period_label(f), [], total, 0, [], [], latest_run(), waiting)
    counts = queries.theme_counts(f)
    sources, months, themes, themed_shown = protection.dashboard(
        total, split["source"], split["month"], queries.theme_summary(f, counts=counts), counts,
        running=running_month(f))
    return Dashboard(
        filters=f, period=period_label(f), themes=themes,
        total=total, themed=sum(int(c[0] or 0) for c in counts.values()),
        sources=sources, months=months, last_run=latest_run(), waiting=waiting,
        themed_shown=themed_shown)


@dataclass
class ThemePage:
    theme: Theme
    filters: Filters
    period: str
    people: int
    suppressed: bool
    quotes: list = field(default_factory=list)
    services: list = field(default_factory=list)
    months: list = field(default_factory=list)
    cards: list = field(default_factory=list)
    feedback: list = field(default_factory=list)

    @property
    def people_text(self) -> str:
        return queries.SUPPRESSED_TEXT if self.suppressed else f"{self.people:,}"


def theme_page(theme_id: int, f: Filters, actor) -> ThemePage:
    """The theme with quotes, services, timeline and cards; nothing broken down below 10."""
    _guard(actor)
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.merged_into_id is not None:
        raise LookupError(theme_id)
    # One grouped query: the exact total is summed before anything is shown.
    split = queries.breakdowns(f, ("service", "month"), theme_id=theme_id)
    people = sum(r.people for r in split["service"])
    page = ThemePage(theme, f, period_label(f), people, people < queries.THRESHOLD)
    if not page.suppressed:
        # Under 10 people nothing is broken down: no quotes, services, timeline
        # or list of the items behind it (they stay answerable from the
        # separate list of items waiting for an answer, which names no theme).
        page.quotes = theme_quotes(theme_id, f)
        page.services, page.months = protection.theme(people, split["service"], split["month"],
                                                      running=running_month(f))
        page.cards = queries.theme_cards(theme_id, f)
        page.feedback = queries.theme_feedback(theme_id, f)
    audit.record_now("theme.viewed", actor, theme, cards_listed=len(page.cards),
                     feedback_listed=len(page.feedback))
    return page


def theme_is_suppressed(theme_id: int, f: Filters) -> bool:
    """True when the theme has fewer than 10 people for ``f`` (nothing may list its items)."""
    items = queries.items_subquery(f, theme_id=theme_id)
    people = db.session.execute(select(func.coalesce(func.sum(items.c.people), 0))).scalar_one()
    return int(people) < queries.THRESHOLD


# --- exports -----------------------------------------------------------------

# Column headings of the download (translated where it is made).
THEME_HEADERS = (N_("Theme"), N_("People"), N_("Change on previous period"), N_("Sentiment"),
                 N_("Me too"), N_("Emerging"), N_("Reviewed"))


def export_themes(f: Filters, fmt: str, actor) -> bytes:
    """The dashboard's theme table as CSV or XLSX, suppressed exactly as on screen.

    People only: an item count beside the people would tell how many families
    a forum's entries spoke for."""
    _guard(actor)
    view = dashboard(f, actor)
    table = [(r.name, r.people_text if r.suppressed else r.people,
              "" if r.change is None else r.change_text, r.sentiment_text,
              "" if r.suppressed else r.me_too, r.emerging, r.reviewed) for r in view.themes]
    if view.total_suppressed:
        table = [(_("All items: %(number)s people", number=_(queries.SUPPRESSED_TEXT)),
                  "", "", "", "", "", "")]
    audit.record_now("insight.exported", actor, object_type="theme", object_id=None,
                     format=fmt, what="themes", period=period_label(f))
    return _write(fmt, [_(header) for header in THEME_HEADERS], table, _("Themes"))


def export_theme(theme_id: int, f: Filters, fmt: str, actor) -> bytes:
    """One theme: people per service and month, and its redacted quotes."""
    page = theme_page(theme_id, f, actor)
    table = [(_("Theme"), page.theme.name, page.people_text)]
    if not page.suppressed:
        table += [(_("Service"), r.label, r.people_text) for r in page.services]
        table += [(_("Month"), r.label, r.people_text) for r in page.months]
        table += [(_("Quote"), q.text, ", ".join(x for x in (q.source, q.service, q.month) if x))
                  for q in page.quotes]
    audit.record_now("insight.exported", actor, page.theme, format=fmt, what="theme")
    return _write(fmt, (_("Kind"), _("Value"), _("People or service")), table,
                  page.theme.name)


def _write(fmt: str, headers, rows, title: str) -> bytes:
    if fmt == "csv":
        return to_csv(headers, rows)
    if fmt == "xlsx":
        return to_xlsx(headers, rows, title)
    raise ValueError(fmt)


# --- runs ----------------------------------------------------------------------

def latest_run() -> AnalysisRun | None:
    return db.session.execute(select(AnalysisRun).order_by(AnalysisRun.id.desc()).limit(1)
                              ).scalar_one_or_none()


def waiting_for_analysis(actor) -> int:
    """Published items not yet placed in themes (the runs page says how many)."""
    _guard(actor)
    return theme_store.unanalysed_count()


def open_theme_cards(actor, theme_id: int, f: Filters) -> list[ActionCard]:
    """A theme's published cards still waiting for an answer, newest first (answered
    together on the bulk answer page)."""
    _guard(actor)
    return queries.theme_cards(theme_id, f, statuses=OPEN_STATUSES)


def recent_runs(actor, limit: int = 20) -> list[AnalysisRun]:
    """The latest runs, newest first. Runs whose worker died are marked failed
    first (and that is committed), so the page never shows a dead run as
    queued or running; the check is a query of the unfinished runs, plus one
    Redis lookup per unfinished RQ run."""
    _guard(actor)
    tasks.reap_dead_runs()
    return list(db.session.execute(select(AnalysisRun).order_by(AnalysisRun.id.desc())
                                   .limit(limit)).scalars())


def start_run(kind: str, actor) -> AnalysisRun:
    _guard(actor)
    return tasks.start_run(kind, actor)


# --- staff home and public page -----------------------------------------------

@dataclass(frozen=True)
class Attention:
    open_cards: int
    unanswered_old: int
    unreviewed_themes: int
    emerging_themes: int
    waiting: int
    last_run: AnalysisRun | None


def attention(actor, today: date) -> Attention | None:
    """What needs the commissioner's attention, or None for other roles."""
    if not can_view_insight(actor):
        return None
    from datetime import timedelta
    published = (ActionCard.is_published,)
    open_cards = db.session.execute(select(func.count()).select_from(ActionCard).where(
        *published, ActionCard.status.in_(OPEN_STATUSES))).scalar_one()
    cutoff = clock.start_of_uk_day(today - timedelta(days=28))
    old = db.session.execute(select(func.count()).select_from(ActionCard).where(
        *published, ActionCard.status == "received", ActionCard.created_at < cutoff)).scalar_one()
    live = (Theme.merged_into_id.is_(None), Theme.hidden.is_(False), Theme.size > 0)
    unreviewed = db.session.execute(select(func.count()).select_from(Theme).where(
        *live, Theme.reviewed.is_(False))).scalar_one()
    emerging = db.session.execute(select(func.count()).select_from(Theme).where(
        *live, Theme.emerging.is_(True))).scalar_one()
    return Attention(open_cards, old, unreviewed, emerging, theme_store.unanalysed_count(),
                     latest_run())
