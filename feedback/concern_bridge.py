"""The bridge to ``analysis.concern``: the learned safeguarding screen's model file.

Contract:

- ``default_concern_model()`` is the shipped model (``feedback/safeguarding_model/concern.npz``),
  loaded once per process with the text vectors it was trained with. When the file is
  missing or damaged, or those vectors are not installed, it returns None, logs an error
  once and ``concern_model_status()`` says why: the phrase lists stay in use (never a 500,
  never a silent pass).
- ``train_concern_model()`` fits a model on the training corpus
  (``feedback/safeguarding_corpus/train/``) and writes it; ``evaluate_screen()`` measures
  the whole screen (phrase lists or model) on the frozen evaluation part
  (``feedback/safeguarding_corpus/eval/`` to ``eval7/``), which training never reads.
- Importers of ``analysis/`` are this module and ``analysis_bridge`` only (a test checks).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis.concern import ConcernModel, ConcernModelError
from analysis.concern_train import TrainingReport, train
from analysis.concern_eval import Measure, digest, in_budget, measure, read_corpus, writer_of

from . import clock

log = logging.getLogger("feedback.safeguarding")

HERE = Path(__file__).resolve().parent
MODEL_PATH = HERE / "safeguarding_model" / "concern.npz"
CORPUS = HERE / "safeguarding_corpus"
TRAIN_CORPUS = CORPUS / "train"
EVAL_CORPUS = CORPUS / "eval"
EVAL2_CORPUS = CORPUS / "eval2"  # the second frozen part, written later by another writer
EVAL3_CORPUS = CORPUS / "eval3"  # the third, by a ninth writer, measured before any use
EVAL4_CORPUS = CORPUS / "eval4"  # the fourth, by a twelfth writer, measured before any use
EVAL5_CORPUS = CORPUS / "eval5"  # the fifth, by a fourteenth writer, measured before any use
EVAL6_CORPUS = CORPUS / "eval6"  # the sixth, by an eighteenth writer, measured before any use
EVAL7_CORPUS = CORPUS / "eval7"  # the seventh, by a nineteenth writer, measured before any use
FROZEN_PARTS = (EVAL_CORPUS, EVAL2_CORPUS, EVAL3_CORPUS, EVAL4_CORPUS, EVAL5_CORPUS, EVAL6_CORPUS,
                EVAL7_CORPUS)
MAX_FALSE_ALARMS = 0.05  # the whole screen's budget of false alarms on ordinary texts
MAX_WRITER_FOLDS = 10  # up to this many writers, one writer held out per fold; more: 10 folds
# The word n-gram block's weight beside the character block: chosen on writer-held-out
# figures (docs/safeguarding.md, "Validation by writer held out").
WORD_WEIGHT = 3.0

_lock = threading.Lock()
_state: dict = {"loaded": False, "model": None, "status": "not loaded yet"}


def text_vectors():
    """The text vectors the screen uses (the table distilled from MiniLM by
    ``python -m analysis distil``, which ``make install`` runs), or None when they cannot be
    loaded (the reason is logged)."""
    from analysis.vectors import TextVectors, VectorsMissing, load_minilm

    try:
        return TextVectors([load_minilm()])
    except (VectorsMissing, OSError, ValueError) as exc:
        log.error("Text vectors unavailable for the safeguarding model: %s", exc)
        return None


def load_concern_model(path: Path | str = MODEL_PATH) -> ConcernModel:
    """Read a model file with the vectors it needs. Raises ``ConcernModelError``."""
    return ConcernModel.load(path, vectors=text_vectors())


def default_concern_model() -> ConcernModel | None:
    """The shipped model, loaded on first use; None (logged once) when it cannot be used."""
    if _state["loaded"]:
        return _state["model"]
    with _lock:
        if not _state["loaded"]:
            try:
                _state["model"] = load_concern_model(MODEL_PATH)
                _state["status"] = "loaded"
            except ConcernModelError as exc:
                _state["model"] = None
                _state["status"] = str(exc)
                log.error("SAFEGUARDING MODEL NOT IN USE, phrase lists only: %s", exc)
            _state["loaded"] = True
    return _state["model"]


def concern_model_status() -> str:
    default_concern_model()
    return _state["status"]


def reset_concern_model() -> None:
    """Forget the loaded model (after retraining, and in tests)."""
    with _lock:
        _state.update(loaded=False, model=None, status="not loaded yet")


@dataclass(frozen=True)
class Trained:
    path: Path
    rows: int
    concerning: int
    report: TrainingReport
    corpus_digest: str


def train_concern_model(corpus: Path | str = TRAIN_CORPUS, out: Path | str = MODEL_PATH,
                        use_vectors: bool = True, seed: int = 0, C: float = 16.0,
                        segmented: bool = False, per_group: bool = False,
                        by_writer: bool = True, *,
                        flagged_by_lists: Callable[[str], bool]) -> Trained:
    """Fit the model on every row of ``corpus`` and write it to ``out``. The threshold keeps
    the whole screen (phrase lists or model) within ``MAX_FALSE_ALARMS`` of the ordinary
    training texts, out of fold; with ``per_group`` within it for the look-alikes and for the
    general texts each (fewer false alarms, less recall: docs/safeguarding.md).
    ``by_writer``: the out-of-fold scores the threshold is chosen on come from models that
    never saw the writer of the text (training files are named by writer, ``w3_...``), as the
    screen meets new writers; otherwise from ordinary 5-fold (docs/safeguarding.md,
    "Validation by writer held out").
    The ordinary rows of contrast-pair files do not count in that budget
    (``analysis.concern_eval.in_budget``).
    ``flagged_by_lists(text)`` says whether the phrase lists alone flag a text (the caller
    passes the screen, which itself loads this module's model: no import back)."""
    rows = read_corpus(corpus)
    vectors = text_vectors() if use_vectors else None
    if use_vectors and vectors is None:
        raise ConcernModelError("the text vectors could not be loaded (see the log); "
                                "run make install, or train without vectors")
    corpus_digest = digest(rows)
    by_lists = [bool(flagged_by_lists(r.text)) for r in rows]
    model, report = train([r.text for r in rows], [r.concerning for r in rows],
                          [r.kind for r in rows], vectors=vectors, seed=seed, C=C,
                          segmented=segmented, max_false_alarms=MAX_FALSE_ALARMS,
                          word_weight=WORD_WEIGHT,
                          flagged_anyway=by_lists,
                          budget_groups=[_budget_group(r) for r in rows] if per_group else None,
                          budget=[in_budget(r) for r in rows],
                          groups=[writer_of(r) for r in rows] if by_writer else None,
                          folds=MAX_WRITER_FOLDS if by_writer else 5,
                          info={"corpus": corpus_digest, "rows": len(rows),
                                "trained": clock.today().isoformat()})
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    reset_concern_model()
    return Trained(out, len(rows), sum(r.concerning for r in rows), report, corpus_digest)


def _budget_group(row) -> str:
    """The group an ordinary training text's false alarms are counted in: look-alikes (texts
    that borrow the words of a kind of harm) apart from general feedback."""
    return "general" if row.kind == "general" else "look-alike"


def evaluate_screen(screen, corpus: Path | str = EVAL_CORPUS) -> Measure:
    """Measure ``screen(text) -> flagged`` on the rows of ``corpus``."""
    return measure(read_corpus(corpus), screen)
