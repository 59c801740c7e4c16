"""What the database holds of the themes, for ``analysis_bridge`` and the pages that curate
them: reads and writes only (it never imports ``analysis``; these functions flush at most,
never commit).

- ``published_items(only_unanalysed)``: every approved, unflagged card and feedback entry
  (redacted text when there is any), as engine input.
- ``previous_for_engine()``: the last full run's summary with the curated names written in
  and each item's current theme, so a new run keeps ids and items where they are.
- ``upsert_themes``, ``replace_assignments``, ``add_assignments``, ``assignment_row`` and
  ``write_sentiment``: what a run stores (items a person moved keep their theme).
- ``refresh_theme_sizes()``, ``training_data()``, ``live_themes_by_key()``,
  ``latest_classifier_run()``, ``has_classifier()``, ``unanalysed_count()`` and
  ``mark_for_reanalysis(kind, item_id)``.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, delete, func, select, update

from . import subtheme_store
from .extensions import db
from .models import ActionCard, AnalysisRun, FeedbackEntry, Theme, ThemeAssignment
from .models.base import utcnow
from .theme_keys import KeyMap

MAX_KEYWORDS = 8


@dataclass(frozen=True)
class Item:
    kind: str  # "card" | "feedback"
    id: int
    text: str

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.id}"


def _card_text():
    return func.coalesce(ActionCard.text_redacted, ActionCard.text)


def published_items(only_unanalysed: bool = False) -> list[Item]:
    """Every approved, unflagged card and feedback entry, as engine input."""
    cards = select(ActionCard.id, _card_text()).where(ActionCard.is_published)
    entries = select(FeedbackEntry.id,
                     func.coalesce(FeedbackEntry.went_well_redacted, FeedbackEntry.went_well),
                     func.coalesce(FeedbackEntry.could_be_better_redacted,
                                   FeedbackEntry.could_be_better)).where(FeedbackEntry.is_published)
    if only_unanalysed:
        cards = cards.where(ActionCard.sentiment.is_(None))
        entries = entries.where(FeedbackEntry.sentiment.is_(None))
    items = [Item("card", i, t or "") for i, t in db.session.execute(cards.order_by(ActionCard.id))]
    items += [Item("feedback", i, "\n".join(x for x in (a, b) if x))
              for i, a, b in db.session.execute(entries.order_by(FeedbackEntry.id))]
    return items


def previous_for_engine() -> dict | None:
    """The last full run's summary, with today's curated names written in, and the theme
    each item is in now (so the engine keeps items where they are)."""
    last = db.session.execute(
        select(AnalysisRun).where(AnalysisRun.kind == "full", AnalysisRun.status == "succeeded",
                                  AnalysisRun.previous_state.is_not(None))
        .order_by(AnalysisRun.id.desc()).limit(1)).scalar_one_or_none()
    if last is None:
        return None
    names = dict(db.session.execute(select(Theme.key, Theme.curated_name)).all())
    previous = []
    for entry in last.previous_state.get("themes", []):
        entry = dict(entry)
        entry["name"] = names.get(entry["id"]) or entry.get("name")
        previous.append(entry)
    return {"run": {"n_items": last.previous_state.get("n_items")}, "themes": previous,
            "items": subtheme_store.previous_items()}


def upsert_themes(run: AnalysisRun, result, keys: KeyMap) -> dict[str, Theme]:
    """Engine id -> the theme row its items go to (a merged theme's: the one it was merged into)."""
    existing = {t.key: t for t in db.session.execute(select(Theme)).scalars()}
    by_key = {}
    for found in result.themes:
        theme = existing.get(keys.theme(found.id))
        if theme is None:
            theme = Theme(key=keys.theme(found.id), label=found.label[:200], first_run_id=run.id)
            db.session.add(theme)
        theme.label = found.label[:200]
        theme.keywords = list(found.keywords[:MAX_KEYWORDS])
        theme.sentiment = found.sentiment
        theme.emerging = bool(found.emerging)
        theme.last_run_id = run.id
        # A merged theme's items go to the theme that absorbed it.
        target = theme
        seen = set()
        while target.merged_into is not None and target.id not in seen:
            seen.add(target.id)
            target = target.merged_into
        by_key[found.id] = target
    db.session.flush()
    return by_key


def replace_assignments(run: AnalysisRun, items: list[Item], result, by_key: dict[str, Theme],
                        subs: dict) -> None:
    """The run's assignments in place of the last run's automatic ones (an item a person
    moved keeps its theme and sub-theme), and every item's sentiment."""
    manual_cards = set(db.session.execute(select(ThemeAssignment.card_id).where(
        ThemeAssignment.method == "manual", ThemeAssignment.card_id.is_not(None))).scalars())
    manual_entries = set(db.session.execute(select(ThemeAssignment.feedback_entry_id).where(
        ThemeAssignment.method == "manual",
        ThemeAssignment.feedback_entry_id.is_not(None))).scalars())
    db.session.execute(delete(ThemeAssignment).where(ThemeAssignment.method != "manual"))
    rows, scored = [], []
    for item, themed in zip(items, result.items):
        scored.append((item, themed.sentiment))
        if themed.theme is None:
            continue
        if item.id in (manual_cards if item.kind == "card" else manual_entries):
            continue
        theme = by_key[themed.theme]
        sub = subs.get(themed.subtheme) if themed.subtheme else None
        rows.append(assignment_row(
            item, run.id, theme.id,
            sub.id if sub is not None and sub.theme_id == theme.id else None,
            themed.confidence, "cluster"))
    add_assignments(rows)
    write_sentiment(scored)


def assignment_row(item: Item, run_id: int, theme_id: int, subtheme_id: int | None,
                   confidence: float, method: str) -> dict:
    """One ``ThemeAssignment`` of ``item``, as a row for ``add_assignments``."""
    return {"theme_id": theme_id, "run_id": run_id, "subtheme_id": subtheme_id,
            "card_id": item.id if item.kind == "card" else None,
            "feedback_entry_id": item.id if item.kind == "feedback" else None,
            "confidence": float(confidence), "method": method, "created_at": utcnow()}


def add_assignments(rows: list[dict]) -> None:
    if rows:
        db.session.execute(ThemeAssignment.__table__.insert(), rows)


def write_sentiment(scored: list[tuple[Item, float]]) -> None:
    """Each item's sentiment score (to 4 places), one bulk UPDATE per table."""
    card_sent, entry_sent = [], []
    for item, sentiment in scored:
        (card_sent if item.kind == "card" else entry_sent).append(
            {"b_id": item.id, "b_sentiment": round(float(sentiment), 4)})
    for model, values in ((ActionCard, card_sent), (FeedbackEntry, entry_sent)):
        if values:
            table = model.__table__
            db.session.execute(
                table.update().where(table.c.id == bindparam("b_id"))
                .values(sentiment=bindparam("b_sentiment")), values,
                execution_options={"synchronize_session": False})


def refresh_theme_sizes() -> None:
    """``Theme.size`` and ``Subtheme.size`` = items assigned now (merged ones end at 0)."""
    counts = dict(db.session.execute(select(ThemeAssignment.theme_id, func.count())
                                     .group_by(ThemeAssignment.theme_id)).all())
    for theme in db.session.execute(select(Theme)).scalars():
        theme.size = int(counts.get(theme.id, 0))
    subtheme_store.refresh_sizes()


def live_themes_by_key() -> dict[str, Theme]:
    """Theme key -> theme, for every theme not merged into another."""
    return {t.key: t for t in db.session.execute(
        select(Theme).where(Theme.merged_into_id.is_(None))).scalars()}


def training_data() -> tuple[list[str], list[str]]:
    """Texts and theme keys of every assigned, published item (curated themes included)."""
    texts, labels = [], []
    card_rows = db.session.execute(
        select(_card_text(), Theme.key).join(ThemeAssignment, ThemeAssignment.card_id == ActionCard.id)
        .join(Theme, Theme.id == ThemeAssignment.theme_id)
        .where(Theme.merged_into_id.is_(None), ActionCard.is_published))
    for text, key in card_rows:
        texts.append(text or "")
        labels.append(key)
    entry_rows = db.session.execute(
        select(func.coalesce(FeedbackEntry.went_well_redacted, FeedbackEntry.went_well),
               func.coalesce(FeedbackEntry.could_be_better_redacted, FeedbackEntry.could_be_better),
               Theme.key)
        .join(ThemeAssignment, ThemeAssignment.feedback_entry_id == FeedbackEntry.id)
        .join(Theme, Theme.id == ThemeAssignment.theme_id)
        .where(Theme.merged_into_id.is_(None), FeedbackEntry.is_published))
    for a, b, key in entry_rows:
        texts.append("\n".join(x for x in (a, b) if x))
        labels.append(key)
    return texts, labels


def latest_classifier_run() -> AnalysisRun | None:
    return db.session.execute(
        select(AnalysisRun).where(AnalysisRun.classifier.is_not(None),
                                  AnalysisRun.status == "succeeded")
        .order_by(AnalysisRun.id.desc()).limit(1)).scalar_one_or_none()


def has_classifier() -> bool:
    """Whether a finished run holds a classifier (reads ids only, not the model)."""
    return db.session.execute(
        select(AnalysisRun.id).where(AnalysisRun.classifier.is_not(None),
                                     AnalysisRun.status == "succeeded").limit(1)
    ).first() is not None


def unanalysed_count() -> int:
    """Published items waiting for classification."""
    total = 0
    for model in (ActionCard, FeedbackEntry):
        total += db.session.execute(
            select(func.count()).select_from(model).where(
                model.is_published,
                model.sentiment.is_(None))).scalar_one()
    return total


def mark_for_reanalysis(kind: str, item_id: int) -> None:
    """Forget an item's analysis (its text changed): it is classified again (flushes)."""
    model = ActionCard if kind == "card" else FeedbackEntry
    db.session.execute(update(model).where(model.id == item_id).values(sentiment=None))
    column = ThemeAssignment.card_id if kind == "card" else ThemeAssignment.feedback_entry_id
    db.session.execute(delete(ThemeAssignment).where(column == item_id,
                                                     ThemeAssignment.method != "manual"))
    db.session.flush()

