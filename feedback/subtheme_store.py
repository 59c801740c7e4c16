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
- ``place(rows, texts, embed, decode)``: items the classifier put in a theme between full runs
  go to the nearest of that theme's sub-themes (cosine to the centres the last full run stored).
- ``refresh_sizes()``: ``Subtheme.size`` = items in it now.
"""
from __future__ import annotations

import logging

import numpy as np
from sqlalchemy import func, select

from .extensions import db
from .models import AnalysisRun, Subtheme, Theme, ThemeAssignment

log = logging.getLogger("feedback.analysis")

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


def _stored_centres() -> dict[str, str]:
    """Sub-theme key -> its centre (text), from the last full run's stored summary."""
    state = db.session.execute(
        select(AnalysisRun.previous_state).where(
            AnalysisRun.kind == "full", AnalysisRun.status == "succeeded",
            AnalysisRun.previous_state.is_not(None))
        .order_by(AnalysisRun.id.desc()).limit(1)).scalar_one_or_none() or {}
    return {str(s["id"]): s["centre"] for t in state.get("themes") or ()
            for s in t.get("subthemes") or () if s.get("centre")}


def place(rows: list[dict], texts: list[str], embed, decode) -> None:
    """Set ``subtheme_id`` on each new assignment row (``texts[n]`` is row n's text): the
    theme's sub-theme whose centre is nearest, when the theme has two or more with a centre.
    ``embed(texts)`` gives unit rows, ``decode(centre, dim)`` a centre's vector (or None).
    Leaves the rows as they are when the text vectors cannot be had (logged)."""
    if not rows:
        return
    centres = _stored_centres()
    subs: dict[int, list] = {}
    for sub in db.session.execute(select(Subtheme).where(
            Subtheme.merged_into_id.is_(None),
            Subtheme.theme_id.in_({r["theme_id"] for r in rows}))).scalars():
        if sub.key in centres:
            subs.setdefault(sub.theme_id, []).append((sub.id, centres[sub.key]))
    if not any(len(v) > 1 for v in subs.values()):
        return
    try:
        vectors = np.asarray(embed(texts), dtype=np.float32)
    except Exception as exc:  # noqa: BLE001 - no sub-theme is better than no theme
        log.warning("New items were not placed in sub-themes: %s", exc)
        return
    decoded = {theme_id: [(sub_id, v) for sub_id, c in found
                          if (v := decode(c, vectors.shape[1])) is not None]
               for theme_id, found in subs.items()}
    for n, row in enumerate(rows):
        found = decoded.get(row["theme_id"], [])
        if len(found) > 1:
            row["subtheme_id"] = max(found, key=lambda f: float(f[1] @ vectors[n]))[0]


def refresh_sizes() -> None:
    counts = dict(db.session.execute(
        select(ThemeAssignment.subtheme_id, func.count())
        .where(ThemeAssignment.subtheme_id.is_not(None))
        .group_by(ThemeAssignment.subtheme_id)).all())
    for sub in db.session.execute(select(Subtheme)).scalars():
        sub.size = int(counts.get(sub.id, 0))
    db.session.flush()
