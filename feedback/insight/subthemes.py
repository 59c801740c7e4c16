"""Sub-themes on the web: the list on a theme's page and each sub-theme's own page.

Counts are people for the selection (``Filters``), as on the theme page. The theme's people
and its sub-theme cells (plus "not in a sub-theme") are one table, put through the one
disclosure rule (``disclosure.protect``): a sub-theme of fewer than 10 reads "fewer than 10",
and when the theme's total would let it be worked out by subtraction the next smallest cell is
"not shown" too. Every sub-theme, hidden ones included, is a cell of that one table, so the theme
page (which lists the shown sub-themes) and each sub-theme page (which shows its own cell) never
together reveal more than the table allows. A sub-theme page lists its quotes and items only
when its own count may be shown.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from .. import audit, disclosure
from ..errors import NotAllowed
from ..extensions import db
from ..models import ActionCard, FeedbackEntry, Subtheme, Theme, ThemeAssignment
from ..permissions import can_view_insight
from . import queries
from .filters import Filters, period_label
from .quotes import theme_quotes

REST = ("rest",)


@dataclass(frozen=True)
class SubthemeRow:
    subtheme_id: int | None  # None: the theme's items that are in no sub-theme
    name: str
    people: int
    text: str
    shown: bool
    hidden: bool = False


@dataclass
class Listing:
    """A theme's sub-themes for one selection: ``rows`` to list (hidden sub-themes left out),
    and whether the breakdown could be given at all."""

    theme: Theme
    people: int
    rows: list = field(default_factory=list)
    broken_down: bool = True
    hidden_ones: list = field(default_factory=list)

    def cell(self, subtheme_id: int) -> SubthemeRow | None:
        return self._cells.get(subtheme_id)

    _cells: dict = field(default_factory=dict)


def _guard(actor) -> None:
    if not can_view_insight(actor):
        raise NotAllowed()


def _with_subtheme(f: Filters, theme_id: int):
    """The theme's items for ``f`` (``queries.items_subquery``, the one home of the filters)
    as a FROM clause with each item's sub-theme id beside it. Two equality joins (cards,
    feedback) on the (item, theme) indexes, so a large theme is not compared item by item."""
    items = queries.items_subquery(f, theme_id=theme_id)
    card, entry = aliased(ThemeAssignment), aliased(ThemeAssignment)
    joined = (items.outerjoin(card, and_(items.c.kind == "card", card.card_id == items.c.item_id,
                                         card.theme_id == items.c.theme_id))
              .outerjoin(entry, and_(items.c.kind == "feedback",
                                     entry.feedback_entry_id == items.c.item_id,
                                     entry.theme_id == items.c.theme_id)))
    return items, joined, func.coalesce(card.subtheme_id, entry.subtheme_id)


def people_by_subtheme(f: Filters, theme_id: int) -> dict[int | None, int]:
    items, joined, subtheme = _with_subtheme(f, theme_id)
    stmt = select(subtheme, func.sum(items.c.people)).select_from(joined).group_by(subtheme)
    return {key: int(n or 0) for key, n in db.session.execute(stmt)}


def listing(theme: Theme, f: Filters) -> Listing:
    """The theme's sub-theme table for ``f``, protected (no audit: the theme page audits)."""
    counts = people_by_subtheme(f, theme.id)
    subs = {s.id: s for s in db.session.execute(
        select(Subtheme).where(Subtheme.theme_id == theme.id,
                               Subtheme.merged_into_id.is_(None))).scalars()}
    # Items counted under a sub-theme that no longer shows under this theme count as "rest".
    rest = sum(n for key, n in counts.items() if key is None or key not in subs)
    total = sum(counts.values())
    out = Listing(theme, total)
    if not total or not subs:
        return out  # nothing to break down (a theme the engine did not split lists none)
    values = {("total",): total, REST: rest}
    values.update({("sub", key): counts.get(key, 0) for key in subs})
    cells = [REST] + [("sub", key) for key in subs]
    protected = disclosure.protect(values, [(("total",), cells)], keep=[("total",)])
    if total < disclosure.THRESHOLD or not protected.shows(("total",)):
        out.broken_down = False
        return out
    for key, sub in subs.items():
        n = values[("sub", key)]
        shown = protected.shows(("sub", key))
        row = SubthemeRow(key, sub.name, n, protected.text(("sub", key), n), shown, sub.hidden)
        out._cells[key] = row
        if not n:
            continue
        (out.hidden_ones if sub.hidden else out.rows).append(row)
    out.rows.sort(key=lambda r: (not r.shown, -r.people if r.shown else 0, r.name.lower()))
    out.hidden_ones.sort(key=lambda r: r.name.lower())
    if rest:
        out.rows.append(SubthemeRow(None, _("Not in a sub-theme"), rest,
                                    protected.text(REST, rest), protected.shows(REST)))
    return out


def theme_listing(theme_id: int, f: Filters, actor) -> Listing:
    """The sub-theme list for the theme page (the theme page itself is audited)."""
    _guard(actor)
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.merged_into_id is not None:
        raise LookupError(theme_id)
    return listing(theme, f)


@dataclass
class SubthemePage:
    subtheme: Subtheme
    theme: Theme
    period: str
    text: str
    shown: bool
    quotes: list = field(default_factory=list)
    cards: list = field(default_factory=list)
    feedback: list = field(default_factory=list)
    others: list = field(default_factory=list)


def find(theme_id: int, subtheme_id: int) -> Subtheme:
    """The sub-theme ``subtheme_id`` of the live theme ``theme_id`` (merged ones included),
    else LookupError: an id of another theme's sub-theme is not found here."""
    sub = db.session.get(Subtheme, subtheme_id)
    theme = db.session.get(Theme, theme_id)
    if sub is None or theme is None or sub.theme_id != theme_id or theme.merged_into_id is not None:
        raise LookupError(subtheme_id)
    return sub


def subtheme_page(theme_id: int, subtheme_id: int, f: Filters, actor) -> SubthemePage:
    """One sub-theme: its people (protected as on the theme page), quotes and items."""
    _guard(actor)
    sub = find(theme_id, subtheme_id)
    if sub.merged_into_id is not None:
        raise LookupError(subtheme_id)
    table = listing(sub.theme, f)
    cell = table.cell(sub.id) if table.broken_down else None
    if cell is None:
        text = queries.SUPPRESSED_TEXT if 0 < table.people < disclosure.THRESHOLD else (
            "0" if not table.people else disclosure.WITHHELD_TEXT)
        page = SubthemePage(sub, sub.theme, period_label(f), text, False)
    else:
        page = SubthemePage(sub, sub.theme, period_label(f), cell.text, cell.shown and cell.people > 0)
    if page.shown:
        cards, entries = _item_ids(f, sub)
        wanted = {("card", i) for i in cards} | {("feedback", i) for i in entries}
        page.quotes = [q for q in theme_quotes(theme_id, f, limit=1000)
                       if (q.kind, q.item_id) in wanted][:6]
        page.cards = list(db.session.execute(
            select(ActionCard).where(ActionCard.id.in_(cards or [-1]))
            .order_by(ActionCard.created_at.desc()).limit(100)).scalars())
        page.feedback = list(db.session.execute(
            select(FeedbackEntry).where(FeedbackEntry.id.in_(entries or [-1]))
            .order_by(FeedbackEntry.created_at.desc()).limit(100)).scalars())
    page.others = [s for s in live_subthemes(theme_id) if s.id != sub.id]
    audit.record_now("subtheme.viewed", actor, sub, theme=theme_id, cards_listed=len(page.cards),
                     feedback_listed=len(page.feedback))
    return page


def _item_ids(f: Filters, sub: Subtheme) -> tuple[list[int], list[int]]:
    items, joined, subtheme = _with_subtheme(f, sub.theme_id)
    stmt = select(items.c.kind, items.c.item_id).select_from(joined).where(subtheme == sub.id)
    cards, entries = [], []
    for kind, item_id in db.session.execute(stmt):
        (cards if kind == "card" else entries).append(int(item_id))
    return cards, entries


def live_subthemes(theme_id: int) -> list[Subtheme]:
    """The theme's sub-themes that are not merged away, by name (for merge choices)."""
    return sorted(db.session.execute(select(Subtheme).where(
        Subtheme.theme_id == theme_id, Subtheme.merged_into_id.is_(None))).scalars(),
        key=lambda s: s.name.lower())
