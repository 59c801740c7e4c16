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
- What a run reads and stores in the database is in ``theme_store`` (which never imports
  ``analysis``); this module runs the engine and the classifier between those reads and
  writes, and commits the run's progress.
"""
from __future__ import annotations

import functools
import logging
import time
import traceback

import analysis

from . import subtheme_store, theme_store
from .extensions import db
from .models import AnalysisRun
from .models.base import utcnow
from .theme_keys import KeyMap

log = logging.getLogger("feedback.analysis")

# A new item joins a theme only when the classifier is at least this sure.
CLASSIFY_MIN_CONFIDENCE = 0.35


def embed(texts: list[str]):
    """Unit text vectors of ``texts`` (the process's one table set): for callers outside the
    themes, such as the demo's matching of answers to cards."""
    return analysis.vectors.default_vectors().embed(texts)


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


def _full(run: AnalysisRun, timings: dict) -> None:
    tick = time.perf_counter()
    items = theme_store.published_items()
    run.n_items = len(items)
    timings["read"] = round(time.perf_counter() - tick, 3)
    _progress(run, 15, f"Finding themes in {len(items):,} items")

    tick = time.perf_counter()
    seed = int((run.params or {}).get("seed", 0))
    previous = theme_store.previous_for_engine()
    n_themes = (run.params or {}).get("themes", "auto")
    result = analysis.find_themes([i.text for i in items], ids=[i.ref for i in items],
                                  n_themes=n_themes, seed=seed, previous=previous)
    timings["themes"] = round(time.perf_counter() - tick, 3)
    _progress(run, 70, "Saving themes")

    tick = time.perf_counter()
    keys = KeyMap.build(result, previous)
    by_key = theme_store.upsert_themes(run, result, keys)
    subs = subtheme_store.upsert(run, result, by_key, keys)
    theme_store.replace_assignments(run, items, result, by_key, subs)
    timings["save"] = round(time.perf_counter() - tick, 3)
    _progress(run, 85, "Training the classifier for new items")

    tick = time.perf_counter()
    run.classifier = _train_bytes()
    theme_store.refresh_theme_sizes()
    run.n_themes = len(result.themes)
    run.previous_state = {"themes": keys.previous_state(result.to_previous()),
                          "n_items": result.n_items, "retired": list(result.retired)}
    timings["classifier"] = round(time.perf_counter() - tick, 3)


def _train_bytes() -> bytes | None:
    texts, labels = theme_store.training_data()
    if len(set(labels)) < 2:
        return None
    model = analysis.train_classifier(texts, labels, min_confidence=CLASSIFY_MIN_CONFIDENCE)
    return model.to_bytes()


def train_classifier_from_assignments(run: AnalysisRun) -> None:
    """Retrain after curation so new items follow the curated themes (flushes only)."""
    run.classifier = _train_bytes()
    db.session.flush()


# Items approved while a classify run is working are left to it (one run at a
# time), so it looks again when it finishes; a bound keeps a flood finite.
CLASSIFY_PASSES = 5


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
    items = theme_store.published_items(only_unanalysed=True)
    timings["read"] = round(timings.get("read", 0) + time.perf_counter() - tick, 3)
    if not items:
        return 0
    _progress(run, 30, f"Classifying {len(items):,} new items")
    tick = time.perf_counter()
    sentiments = analysis.score_sentiment([i.text for i in items])
    source = theme_store.latest_classifier_run()
    answers = []
    if source is not None:
        try:
            model = analysis.Classifier.from_bytes(source.classifier)
        except analysis.ModelVersionError:
            model = analysis.Classifier.from_bytes(_retrained(source))
        answers = model.classify([i.text for i in items])
    timings["classify"] = round(timings.get("classify", 0) + time.perf_counter() - tick, 3)
    keys = theme_store.live_themes_by_key()
    rows, texts = [], []
    for n, item in enumerate(items):
        answer = answers[n] if answers else None
        theme = keys.get(answer.label) if answer is not None and answer.label else None
        if theme is None:
            continue
        texts.append(item.text)
        rows.append(theme_store.assignment_row(item, run.id, theme.id, None,
                                               answer.scores.get(answer.label, 0.0),
                                               "classifier"))
    subtheme_store.place(rows, texts, lambda more: analysis.vectors.default_vectors().embed(more),
                         analysis.stability.decode_centre)
    theme_store.add_assignments(rows)
    theme_store.write_sentiment(list(zip(items, sentiments)))
    theme_store.refresh_theme_sizes()
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
