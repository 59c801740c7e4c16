"""Theme curation by commissioners: rename, merge, split, hide, mark reviewed.

Each function is one use case: it checks, changes, audits and commits. Every
change that moves items retrains the classifier (on the latest run) so new
items follow the curated themes; curated names, hidden and reviewed flags
and manual moves survive full re-runs (see ``analysis_bridge``).
"""
from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from .. import analysis_bridge, audit, theme_store
from ..errors import FieldError, NotAllowed
from ..extensions import db
from ..models import ActionCard, FeedbackEntry, Subtheme, Theme, ThemeAssignment
from ..models.base import utcnow
from ..permissions import can_view_insight


class CurationError(FieldError):
    """A curation step that cannot be made as asked."""


def _theme(theme_id: int, actor) -> Theme:
    if not can_view_insight(actor):
        raise NotAllowed()
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.merged_into_id is not None:
        raise LookupError(theme_id)
    return theme


def live_theme(theme_id: int) -> Theme | None:
    """A theme that has not been merged into another (None for a merged or unknown id)."""
    theme = db.session.get(Theme, theme_id)
    return None if theme is None or theme.merged_into_id is not None else theme


def themes_for_merge(exclude: int | None, hidden: bool = False) -> list[Theme]:
    """Themes still standing (and not hidden, unless ``hidden``), by name, without ``exclude``."""
    stmt = select(Theme).where(Theme.merged_into_id.is_(None))
    if not hidden:
        stmt = stmt.where(Theme.hidden.is_(False))
    if exclude is not None:
        stmt = stmt.where(Theme.id != exclude)
    # By the name people see (a person's name, else the engine's label), the same on both
    # databases: ordering by the two columns put every unnamed theme first on SQLite (NULL
    # first) and last on PostgreSQL.
    shown = func.lower(func.coalesce(Theme.curated_name, Theme.label))
    return list(db.session.execute(stmt.order_by(shown, Theme.id)).scalars())


def _retrain() -> None:
    run = theme_store.latest_classifier_run()
    if run is not None:
        analysis_bridge.train_classifier_from_assignments(run)


def rename_theme(theme_id: int, name: str, actor) -> Theme:
    theme = _theme(theme_id, actor)
    name = " ".join((name or "").split())
    if not name:
        raise CurationError(_("Enter a name for the theme"), "name")
    before = theme.name
    theme.curated_name = name
    audit.record("theme.renamed", actor, theme, before=before, after=name)
    db.session.commit()
    return theme


def merge_themes(theme_id: int, into_id: int, actor) -> Theme:
    """Move every item of ``theme_id`` into ``into_id``; the first is kept as a record (links
    to it say where it went). Its sub-themes move with their items and show under ``into_id``."""
    theme = _theme(theme_id, actor)
    if into_id == theme_id:
        raise CurationError(_("Select a different theme to merge into"), "into")
    try:
        target = _theme(into_id, actor)
    except LookupError:
        raise CurationError(_("Select the theme to merge into"), "into") from None
    moved = db.session.execute(update(ThemeAssignment).where(ThemeAssignment.theme_id == theme.id)
                               .values(theme_id=target.id)).rowcount
    db.session.execute(update(Subtheme).where(Subtheme.theme_id == theme.id)
                       .values(theme_id=target.id))
    theme.merged_into_id = target.id
    theme.hidden = True
    theme_store.refresh_theme_sizes()
    audit.record("theme.merged", actor, theme, into=target.id, items=moved)
    _retrain()
    db.session.commit()
    return target


def split_theme(theme_id: int, item_refs: list[str], name: str, actor) -> Theme:
    """Move the chosen items ("card:12", "feedback:3") to a new curated theme."""
    theme = _theme(theme_id, actor)
    name = " ".join((name or "").split())
    if not name:
        raise CurationError(_("Enter a name for the new theme"), "name")
    cards, entries = _parse_refs(item_refs)
    if not cards and not entries:
        raise CurationError(_("Select at least one item to move"), "items")
    new = Theme(key=f"C{uuid.uuid4().hex[:10]}", label=name[:200], curated_name=name,
                keywords=[], reviewed=True, reviewed_at=utcnow(),
                reviewed_by_id=getattr(actor, "id", None))
    db.session.add(new)
    db.session.flush()
    moved = db.session.execute(
        update(ThemeAssignment).where(ThemeAssignment.theme_id == theme.id, items_chosen(cards, entries))
        .values(theme_id=new.id, subtheme_id=None, method="manual", confidence=1.0)).rowcount
    if not moved:
        db.session.rollback()
        raise CurationError(_("Select at least one item from this theme"), "items")
    theme_store.refresh_theme_sizes()
    audit.record("theme.split", actor, theme, new_theme=new.id, items=moved, name=name)
    _retrain()
    db.session.commit()
    return new


def items_chosen(cards: list[int], entries: list[int]):
    """The SQL condition for theme assignments of the chosen cards and feedback entries."""
    conditions = []
    if cards:
        conditions.append(ThemeAssignment.card_id.in_(cards))
    if entries:
        conditions.append(ThemeAssignment.feedback_entry_id.in_(entries))
    return or_(*conditions)


def _parse_refs(refs: list[str]) -> tuple[list[int], list[int]]:
    cards, entries = [], []
    for ref in refs or ():
        kind, _colon, number = str(ref).partition(":")
        if number.isdigit():
            (cards if kind == "card" else entries if kind == "feedback" else []).append(int(number))
    return cards, entries


def set_hidden(theme_id: int, hidden: bool, actor) -> Theme:
    theme = _theme(theme_id, actor)
    theme.hidden = hidden
    audit.record("theme.hidden" if hidden else "theme.shown", actor, theme)
    db.session.commit()
    return theme


def set_reviewed(theme_id: int, reviewed: bool, actor) -> Theme:
    theme = _theme(theme_id, actor)
    theme.reviewed = reviewed
    theme.reviewed_at = utcnow() if reviewed else None
    theme.reviewed_by_id = actor.id if reviewed else None
    audit.record("theme.reviewed" if reviewed else "theme.unreviewed", actor, theme)
    db.session.commit()
    return theme


def theme_items(theme_id: int, limit: int = 200) -> list[tuple[str, str]]:
    """(ref, redacted text) for the split form: the theme's items, cards first."""
    out = []
    cards = db.session.execute(
        select(ActionCard.id, ActionCard.text_redacted)
        .join(ThemeAssignment, ThemeAssignment.card_id == ActionCard.id)
        .where(ThemeAssignment.theme_id == theme_id).order_by(ActionCard.id).limit(limit))
    out += [(f"card:{i}", t or "(no redacted text yet)") for i, t in cards]
    entries = db.session.execute(
        select(FeedbackEntry.id, FeedbackEntry.could_be_better_redacted,
               FeedbackEntry.went_well_redacted)
        .join(ThemeAssignment, ThemeAssignment.feedback_entry_id == FeedbackEntry.id)
        .where(ThemeAssignment.theme_id == theme_id).order_by(FeedbackEntry.id)
        .limit(max(limit - len(out), 0)))
    out += [(f"feedback:{i}", (a or b or "(no redacted text yet)")) for i, a, b in entries]
    return out
