"""The only importer of ``analysis/``: approved items -> engine -> stored themes.

Contract:

- ``execute_run(run_id)`` performs a queued ``AnalysisRun`` (kind "full" or
  "classify") in the current app context and commits its progress as it goes.
  It never raises for engine or data errors: the run ends ``failed`` with the
  error text, so no page ever crashes because of the engine.
- A full run themes every published item (approved, not safeguarding-flagged),
  passing the last run's plain-data summary as ``previous`` with the curated
  names written in and each item's current theme, so theme and sub-theme ids
  (``Theme.key``, ``Subtheme.key``), curated names, hidden and reviewed flags
  survive, and an item moves only when the engine's nearest centre has clearly
  changed. Items a person moved by hand keep their theme and sub-theme.
  Merged themes and sub-themes: whatever the engine finds under a merged key
  goes to the theme (sub-theme) it was merged into (``subtheme_store``).
- A classify run places published items not yet analysed (``sentiment`` is
  NULL) into the curated themes with the classifier trained at the end of the
  last full run or curation (``train_classifier_from_assignments``), and each
  into the nearest sub-theme of its theme (``subtheme_store.place``).
- Only redacted text is given to the engine when there is any; the engine's
  own quotes are not stored (pages quote from the redacted columns).
"""
from __future__ import annotations

import functools
import logging
import time
import traceback
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update

import analysis

from . import subtheme_store
from .theme_keys import KeyMap
from .extensions import db
from .models import ActionCard, AnalysisRun, FeedbackEntry, Theme, ThemeAssignment
from .models.base import utcnow

log = logging.getLogger("feedback.analysis")

# A new item joins a theme only when the classifier is at least this sure.
CLASSIFY_MIN_CONFIDENCE = 0.35
MAX_KEYWORDS = 8


@dataclass(frozen=True)
class Item:
    kind: str  # "card" | "feedback"
    id: int
    text: str

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.id}"


def embed(texts: list[str]):
    """Unit text vectors of ``texts`` (the process's one table set): for callers outside the
    themes, such as the demo's matching of answers to cards."""
    return analysis.vectors.default_vectors().embed(texts)


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


def _progress(run: AnalysisRun, progress: int, stage: str) -> None:
    run.progress, run.stage = progress, stage
    db.session.commit()


def execute_run(run_id: int) -> AnalysisRun | None:
    """Perform the queued run ``run_id``; record success or failure on it."""
    run = db.session.get(AnalysisRun, run_id)
    if run is None or run.status not in ("queued", "running"):
        return run
    started = time.perf_counter()
    run.status, run.started_at, run.error = "running", utcnow(), None
    _progress(run, 5, "Reading approved cards and feedback")
    timings: dict[str, float] = {}
    try:
        if run.kind == "classify":
            _classify(run, timings)
        else:
            _full(run, timings)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded, never raised
        db.session.rollback()
        run = db.session.get(AnalysisRun, run_id)
        run.status, run.finished_at = "failed", utcnow()
        run.error = f"{exc.__class__.__name__}: {exc}\n\n{traceback.format_exc(limit=5)}"[:8000]
        run.stage = "Stopped by an error"
        db.session.commit()
        return run
    timings["total"] = round(time.perf_counter() - started, 3)
    run.timings = timings
    run.status, run.progress, run.stage, run.finished_at = "succeeded", 100, "Finished", utcnow()
    db.session.commit()
    return run


def _previous_for_engine() -> dict | None:
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


def _full(run: AnalysisRun, timings: dict) -> None:
    tick = time.perf_counter()
    items = published_items()
    run.n_items = len(items)
    timings["read"] = round(time.perf_counter() - tick, 3)
    _progress(run, 15, f"Finding themes in {len(items):,} items")

    tick = time.perf_counter()
    seed = int((run.params or {}).get("seed", 0))
    previous = _previous_for_engine()
    n_themes = (run.params or {}).get("themes", "auto")
    result = analysis.find_themes([i.text for i in items], ids=[i.ref for i in items],
                                  n_themes=n_themes, seed=seed, previous=previous)
    timings["themes"] = round(time.perf_counter() - tick, 3)
    _progress(run, 70, "Saving themes")

    tick = time.perf_counter()
    keys = KeyMap.build(result, previous)
    by_key = _upsert_themes(run, result, keys)
    subs = subtheme_store.upsert(run, result, by_key, keys)
    _replace_assignments(run, items, result, by_key, subs)
    timings["save"] = round(time.perf_counter() - tick, 3)
    _progress(run, 85, "Training the classifier for new items")

    tick = time.perf_counter()
    run.classifier = _train_bytes()
    refresh_theme_sizes()
    run.n_themes = len(result.themes)
    run.previous_state = {"themes": keys.previous_state(result.to_previous()),
                          "n_items": result.n_items, "retired": list(result.retired)}
    timings["classifier"] = round(time.perf_counter() - tick, 3)


def _upsert_themes(run: AnalysisRun, result, keys: KeyMap) -> dict[str, Theme]:
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


def _replace_assignments(run, items, result, by_key, subs) -> None:
    manual_cards = set(db.session.execute(select(ThemeAssignment.card_id).where(
        ThemeAssignment.method == "manual", ThemeAssignment.card_id.is_not(None))).scalars())
    manual_entries = set(db.session.execute(select(ThemeAssignment.feedback_entry_id).where(
        ThemeAssignment.method == "manual",
        ThemeAssignment.feedback_entry_id.is_not(None))).scalars())
    db.session.execute(delete(ThemeAssignment).where(ThemeAssignment.method != "manual"))
    rows, card_sent, entry_sent = [], [], []
    for item, themed in zip(items, result.items):
        sentiment = round(float(themed.sentiment), 4)
        (card_sent if item.kind == "card" else entry_sent).append(
            {"b_id": item.id, "b_sentiment": sentiment})
        if themed.theme is None:
            continue
        if item.id in (manual_cards if item.kind == "card" else manual_entries):
            continue
        theme = by_key[themed.theme]
        sub = subs.get(themed.subtheme) if themed.subtheme else None
        rows.append({"theme_id": theme.id, "run_id": run.id,
                     "subtheme_id": sub.id if sub is not None and sub.theme_id == theme.id else None,
                     "card_id": item.id if item.kind == "card" else None,
                     "feedback_entry_id": item.id if item.kind == "feedback" else None,
                     "confidence": float(themed.confidence), "method": "cluster",
                     "created_at": utcnow()})
    if rows:
        db.session.execute(ThemeAssignment.__table__.insert(), rows)
    _write_sentiment(card_sent, entry_sent)


def _write_sentiment(card_sent: list[dict], entry_sent: list[dict]) -> None:
    from sqlalchemy import bindparam

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


def _training_data() -> tuple[list[str], list[str]]:
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


def _train_bytes() -> bytes | None:
    texts, labels = _training_data()
    if len(set(labels)) < 2:
        return None
    model = analysis.train_classifier(texts, labels, min_confidence=CLASSIFY_MIN_CONFIDENCE)
    return model.to_bytes()


def train_classifier_from_assignments(run: AnalysisRun) -> None:
    """Retrain after curation so new items follow the curated themes (flushes only)."""
    run.classifier = _train_bytes()
    db.session.flush()


def latest_classifier_run() -> AnalysisRun | None:
    return db.session.execute(
        select(AnalysisRun).where(AnalysisRun.classifier.is_not(None),
                                  AnalysisRun.status == "succeeded")
        .order_by(AnalysisRun.id.desc()).limit(1)).scalar_one_or_none()


# Items approved while a classify run is working are left to it (one run at a
# time), so it looks again when it finishes; a bound keeps a flood finite.
CLASSIFY_PASSES = 5


def has_classifier() -> bool:
    """Whether a finished run holds a classifier (reads ids only, not the model)."""
    return db.session.execute(
        select(AnalysisRun.id).where(AnalysisRun.classifier.is_not(None),
                                     AnalysisRun.status == "succeeded").limit(1)
    ).first() is not None


def _classify(run: AnalysisRun, timings: dict) -> None:
    """Place every published item without sentiment, including items approved
    while this run was working (up to ``CLASSIFY_PASSES`` looks)."""
    total, themes = 0, set()
    for _ in range(CLASSIFY_PASSES):
        done = _classify_pass(run, timings, themes)
        if not done:
            break
        total += done
        db.session.commit()
    run.n_items, run.n_themes = total, len(themes)


def _classify_pass(run: AnalysisRun, timings: dict, themes: set) -> int:
    tick = time.perf_counter()
    items = published_items(only_unanalysed=True)
    timings["read"] = round(timings.get("read", 0) + time.perf_counter() - tick, 3)
    if not items:
        return 0
    _progress(run, 30, f"Classifying {len(items):,} new items")
    tick = time.perf_counter()
    sentiments = analysis.score_sentiment([i.text for i in items])
    source = latest_classifier_run()
    answers = []
    if source is not None:
        try:
            model = analysis.Classifier.from_bytes(source.classifier)
        except analysis.ModelVersionError:
            model = analysis.Classifier.from_bytes(_retrained(source))
        answers = model.classify([i.text for i in items])
    timings["classify"] = round(timings.get("classify", 0) + time.perf_counter() - tick, 3)
    keys = {t.key: t for t in db.session.execute(
        select(Theme).where(Theme.merged_into_id.is_(None))).scalars()}
    rows, texts, card_sent, entry_sent = [], [], [], []
    for n, item in enumerate(items):
        (card_sent if item.kind == "card" else entry_sent).append(
            {"b_id": item.id, "b_sentiment": round(float(sentiments[n]), 4)})
        answer = answers[n] if answers else None
        theme = keys.get(answer.label) if answer is not None and answer.label else None
        if theme is None:
            continue
        texts.append(item.text)
        rows.append({"theme_id": theme.id, "run_id": run.id, "subtheme_id": None,
                     "card_id": item.id if item.kind == "card" else None,
                     "feedback_entry_id": item.id if item.kind == "feedback" else None,
                     "confidence": float(answer.scores.get(answer.label, 0.0)),
                     "method": "classifier", "created_at": utcnow()})
    subtheme_store.place(rows, texts, lambda more: analysis.vectors.default_vectors().embed(more),
                         analysis.stability.decode_centre)
    if rows:
        db.session.execute(ThemeAssignment.__table__.insert(), rows)
    _write_sentiment(card_sent, entry_sent)
    refresh_theme_sizes()
    themes.update(r["theme_id"] for r in rows)
    return len(items)


def _retrained(source: AnalysisRun) -> bytes:
    """A stored model from another scikit-learn version: retrain and keep it."""
    data = _train_bytes()
    if data is None:
        raise ValueError("no curated themes to train a classifier from")
    source.classifier = data
    db.session.flush()
    return data


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


# The cut-offs of the "mixed or neutral" band when the sentiment model cannot be read.
FALLBACK_CUTOFFS = (-0.05, 0.05)


@functools.cache
def sentiment_cutoffs() -> tuple[float, float]:
    """``(negative_below, positive_above)``: the scores stored on items are counted as
    negative, neutral or positive by these (the shipped sentiment model's, read once)."""
    from analysis.sentiment_model import SentimentModelMissing, cutoffs  # noqa: PLC0415
    try:
        return cutoffs()
    except SentimentModelMissing as exc:
        log.error("Sentiment shares use the fallback cut-offs: %s", exc)
        return FALLBACK_CUTOFFS
