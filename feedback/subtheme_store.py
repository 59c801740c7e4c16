"""What a full analysis run keeps of its sub-themes, and what the next run is told.

Contract (called by ``analysis_bridge`` inside its run; these functions flush, never commit):

- ``upsert(run, result, themes_by_key, keys)``: one ``Subtheme`` row per sub-theme the engine
  found, keyed by the engine's id ("T3.2", which the engine keeps across runs) as
  ``theme_keys.KeyMap`` maps it (an id that would bring back an older row gets a fresh key). A row keeps its curated
  name, hidden flag and merge; its ``theme_id`` is the theme the items are shown under (the
  engine's parent theme, or the theme that absorbed it). Returns engine id -> the row the items
  go to (a merged sub-theme's items go to the sub-theme it was merged into, as for themes).
- ``previous_items()``: each item's current theme key ("card:12" -> "T3"), from the stored
  assignments (automatic ones only: items a person moved keep their row anyway), so that the
  engine keeps an item where it was unless its nearest centre has clearly changed.
- ``refresh_sizes()``: ``Subtheme.size`` = items in it now.
"""
from __future__ import annotations

from sqlalchemy import func, select

from .extensions import db
from .models import Subtheme, Theme, ThemeAssignment

MAX_KEYWORDS = 8


def _final(sub: Subtheme) -> Subtheme:
    """The sub-theme that holds a merged one's items (follows merges, never loops)."""
    seen = set()
    while sub.merged_into is not None and sub.id not in seen:
        seen.add(sub.id)
        sub = sub.merged_into
    return sub


def upsert(run, result, themes_by_key: dict[str, Theme], keys) -> dict[str, Subtheme]:
    existing = {s.key: s for s in db.session.execute(select(Subtheme)).scalars()}
    found: dict[str, Subtheme] = {}
    for theme in result.themes:
        parent = themes_by_key[theme.id]
        for sub in theme.subthemes:
            key = keys.subtheme(sub.id)
            row = existing.get(key)
            if row is None:
                row = Subtheme(key=key, theme_id=parent.id, label=sub.label[:200],
                               first_run_id=run.id)
                db.session.add(row)
            row.theme_id = parent.id
            row.label = sub.label[:200]
            row.keywords = list(sub.keywords[:MAX_KEYWORDS])
            row.last_run_id = run.id
            found[sub.id] = row
    db.session.flush()
    out = {}
    for key, row in found.items():
        target = _final(row)
        # A sub-theme only ever holds items of the theme it shows under.
        out[key] = target if target.theme_id == row.theme_id else row
    return out


def previous_items() -> list[dict]:
    """[{"id": "card:12", "theme": "T3"}, ...] for every automatically placed item."""
    out = []
    for column, kind in ((ThemeAssignment.card_id, "card"),
                         (ThemeAssignment.feedback_entry_id, "feedback")):
        rows = db.session.execute(
            select(column, Theme.key).join(Theme, Theme.id == ThemeAssignment.theme_id)
            .where(column.is_not(None), ThemeAssignment.method != "manual"))
        out += [{"id": f"{kind}:{item_id}", "theme": key} for item_id, key in rows]
    return out


def refresh_sizes() -> None:
    counts = dict(db.session.execute(
        select(ThemeAssignment.subtheme_id, func.count())
        .where(ThemeAssignment.subtheme_id.is_not(None))
        .group_by(ThemeAssignment.subtheme_id)).all())
    for sub in db.session.execute(select(Subtheme)).scalars():
        sub.size = int(counts.get(sub.id, 0))
    db.session.flush()
