"""Curation of sub-themes: rename, merge (into another sub-theme of the same theme), split
(chosen items to a new sub-theme of the same theme), hide and show.

The same rules as theme curation (``curation.py``): only those who may curate themes
(``can_view_insight``), each use case checks, changes, audits ("subtheme.renamed",
"subtheme.merged", "subtheme.split", "subtheme.hidden", "subtheme.shown") and commits, and
what people decide survives full re-runs: names, hidden flags and merges live on the
``Subtheme`` row (keyed by the engine's id), and items split off are marked as moved by a
person, so the next run leaves them where they were put.
"""
from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import update

from .. import audit, theme_store
from ..extensions import db
from ..models import Subtheme, ThemeAssignment
from ..permissions import can_view_insight
from ..errors import NotAllowed
from .curation import CurationError, _parse_refs, items_chosen
from .subthemes import find


def _subtheme(theme_id: int, subtheme_id: int, actor) -> Subtheme:
    if not can_view_insight(actor):
        raise NotAllowed()
    sub = find(theme_id, subtheme_id)
    if sub.merged_into_id is not None:
        raise LookupError(subtheme_id)
    return sub


def _clean(name: str) -> str:
    return " ".join((name or "").split())


def rename_subtheme(theme_id: int, subtheme_id: int, name: str, actor) -> Subtheme:
    sub = _subtheme(theme_id, subtheme_id, actor)
    name = _clean(name)
    if not name:
        raise CurationError(_("Enter a name for the sub-theme"), "name")
    if len(name) > 200:
        raise CurationError(_("Name must be 200 characters or fewer"), "name")
    before = sub.name
    sub.curated_name = name
    audit.record("subtheme.renamed", actor, sub, theme=theme_id, before=before, after=name)
    db.session.commit()
    return sub


def merge_subthemes(theme_id: int, subtheme_id: int, into_id: int | None, actor) -> Subtheme:
    """Move every item of one sub-theme into another sub-theme of the same theme."""
    sub = _subtheme(theme_id, subtheme_id, actor)
    if into_id == subtheme_id:
        raise CurationError(_("Select a different sub-theme to merge into"), "into")
    try:
        target = _subtheme(theme_id, into_id, actor) if into_id else None
    except LookupError:
        target = None
    if target is None:
        raise CurationError(_("Select the sub-theme to merge into"), "into")
    moved = db.session.execute(update(ThemeAssignment)
                               .where(ThemeAssignment.subtheme_id == sub.id)
                               .values(subtheme_id=target.id)).rowcount
    sub.merged_into_id = target.id
    sub.hidden = True
    theme_store.refresh_theme_sizes()
    audit.record("subtheme.merged", actor, sub, theme=theme_id, into=target.id, items=moved)
    db.session.commit()
    return target


def split_subtheme(theme_id: int, subtheme_id: int, item_refs: list[str], name: str,
                   actor) -> Subtheme:
    """Move the chosen items ("card:12", "feedback:3") to a new sub-theme of the same theme."""
    sub = _subtheme(theme_id, subtheme_id, actor)
    name = _clean(name)
    if not name:
        raise CurationError(_("Enter a name for the new sub-theme"), "name")
    if len(name) > 200:
        raise CurationError(_("Name must be 200 characters or fewer"), "name")
    cards, entries = _parse_refs(item_refs)
    if not cards and not entries:
        raise CurationError(_("Select at least one item to move"), "items")
    new = Subtheme(theme_id=theme_id, key=f"{sub.theme.key}.C{uuid.uuid4().hex[:10]}",
                   label=name, curated_name=name, keywords=[])
    db.session.add(new)
    db.session.flush()
    moved = db.session.execute(
        update(ThemeAssignment).where(ThemeAssignment.subtheme_id == sub.id, items_chosen(cards, entries))
        .values(subtheme_id=new.id, method="manual", confidence=1.0)).rowcount
    if not moved:
        db.session.rollback()
        raise CurationError(_("Select at least one item from this sub-theme"), "items")
    theme_store.refresh_theme_sizes()
    audit.record("subtheme.split", actor, sub, theme=theme_id, new_subtheme=new.id, items=moved,
                 name=name)
    db.session.commit()
    return new


def set_subtheme_hidden(theme_id: int, subtheme_id: int, hidden: bool, actor) -> Subtheme:
    sub = _subtheme(theme_id, subtheme_id, actor)
    sub.hidden = hidden
    audit.record("subtheme.hidden" if hidden else "subtheme.shown", actor, sub, theme=theme_id)
    db.session.commit()
    return sub


def subtheme_items(subtheme_id: int, limit: int = 200) -> list[tuple[str, str]]:
    """(ref, redacted text) of a sub-theme's items, for the split form."""
    from sqlalchemy import select

    from ..models import ActionCard, FeedbackEntry
    out = [(f"card:{i}", t or "(no redacted text yet)") for i, t in db.session.execute(
        select(ActionCard.id, ActionCard.text_redacted)
        .join(ThemeAssignment, ThemeAssignment.card_id == ActionCard.id)
        .where(ThemeAssignment.subtheme_id == subtheme_id).order_by(ActionCard.id).limit(limit))]
    out += [(f"feedback:{i}", a or b or "(no redacted text yet)") for i, a, b in db.session.execute(
        select(FeedbackEntry.id, FeedbackEntry.could_be_better_redacted,
               FeedbackEntry.went_well_redacted)
        .join(ThemeAssignment, ThemeAssignment.feedback_entry_id == FeedbackEntry.id)
        .where(ThemeAssignment.subtheme_id == subtheme_id).order_by(FeedbackEntry.id)
        .limit(max(limit - len(out), 0)))]
    return out
