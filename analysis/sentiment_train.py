"""Training data for the sentiment model and ``python -m analysis train-sentiment``.

``read_rated(data_dir)`` reads the rated comments of the two shared NHS files:
``nhs-feedback-themes.csv`` (``criticality`` -5..5; rows with other values such as "NA" are
skipped) and ``nhs-feedback-multilabel.csv`` (``Comment sentiment`` 1..5; blank skipped), puts
both ratings on one scale (see ``analysis.sentiment_model``) and gives each text a group: texts
that read the same once case, spaces and punctuation are folded (the files share a few hundred
such texts, "Nothing." and "nothing" among them) share a group, so a held-out fold never holds
a text the model was trained on.

``held_out_report(rated, oof)`` gives the Spearman correlation of out-of-fold predictions with
the original ratings per file (and for the themes file without its "Couldn't be improved" rows).
"""

from __future__ import annotations

import csv
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .settings import data_dir

THEMES_FILE = "nhs-feedback-themes.csv"
MULTI_FILE = "nhs-feedback-multilabel.csv"
_FOLD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Rated:
    """Rated comments: ``texts``, ``targets`` (-1..1), ``ratings`` (the file's own value,
    signed so that higher is more positive), ``sources`` (file stem), ``groups`` and
    ``nothing_to_improve`` (the themes file's "Couldn't be improved" rows)."""

    texts: list[str]
    targets: np.ndarray
    ratings: np.ndarray
    sources: np.ndarray
    groups: np.ndarray
    nothing_to_improve: np.ndarray


def text_group(text: str) -> str:
    from .vectors import clean_text  # noqa: PLC0415  (keeps the command line's start fast)

    return _FOLD.sub(" ", clean_text(text).lower()).strip()


def _rows(path: Path) -> list[dict]:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file (the shared data folder holds it)")
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        return list(csv.DictReader(handle))


def read_rated(data_dir: str | Path) -> Rated:
    """Both files' rated comments (see the module docstring). FileNotFoundError names a
    missing file."""
    data_dir = Path(data_dir)
    out: list[tuple[str, float, float, str, bool]] = []
    for r in _rows(data_dir / THEMES_FILE):
        try:
            c = int(r.get("criticality") or "")
        except ValueError:
            continue
        if -5 <= c <= 5 and (r.get("feedback") or "").strip():
            out.append((r["feedback"], min(max(c / 4, -1.0), 1.0), float(c), "themes",
                        r.get("label") == "Couldn't be improved"))
    for r in _rows(data_dir / MULTI_FILE):
        s = (r.get("Comment sentiment") or "").strip()
        if s in {"1", "2", "3", "4", "5"} and (r.get("FFT answer") or "").strip():
            out.append((r["FFT answer"], (3 - int(s)) / 2, -float(s), "multilabel", False))
    keys: dict[str, int] = {}
    groups = np.array([keys.setdefault(text_group(t), len(keys)) for t, *_ in out])
    return Rated([t for t, *_ in out], np.array([o[1] for o in out]), np.array([o[2] for o in out]),
                 np.array([o[3] for o in out]), groups, np.array([o[4] for o in out]))


def held_out_report(rated: Rated, predictions: np.ndarray) -> dict[str, dict]:
    """Spearman of ``predictions`` with the ratings: per file, and for the themes file
    without its "Couldn't be improved" rows."""
    from .evaluate import sentiment_correlation  # noqa: PLC0415

    parts = {"themes": rated.sources == "themes",
             "themes without Couldn't be improved": (rated.sources == "themes") & ~rated.nothing_to_improve,
             "multilabel": rated.sources == "multilabel"}
    return {name: {"texts": int(mask.sum()),
                   "spearman": round(sentiment_correlation(predictions[mask], rated.ratings[mask]), 3)}
            for name, mask in parts.items() if mask.any()}


def default_data_dir() -> str:
    return data_dir()


def add_parser(sub) -> None:
    p = sub.add_parser("train-sentiment", help="train the sentiment model on the shared rated feedback")
    p.add_argument("--data-dir", default=default_data_dir(),
                   help="folder with nhs-feedback-themes.csv and nhs-feedback-multilabel.csv "
                        "(default: ANALYSIS_DATA_DIR, else ../shared/data beside the repository)")
    p.add_argument("--out", metavar="MODEL.npz", help="default: analysis/models/sentiment.npz")


def run(args) -> int:
    """``python -m analysis train-sentiment``: 0 on success, 2 with one "error:" line."""
    from .sentiment_model import MODEL_PATH, train_sentiment  # noqa: PLC0415
    from .vectors import VectorsMissing, default_vectors  # noqa: PLC0415

    started = time.perf_counter()
    try:
        rated = read_rated(args.data_dir)
        model, oof = train_sentiment(rated.texts, rated.targets, default_vectors(), groups=rated.groups)
    except (FileNotFoundError, VectorsMissing, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    model.info["held_out"] = held_out_report(rated, oof)
    out = Path(args.out) if args.out else MODEL_PATH
    try:
        model.save(out)
    except OSError as exc:
        print(f"error: {out}: cannot write ({exc.strerror})", file=sys.stderr)
        return 2
    print(f"sentiment model: {len(rated.texts)} texts, {time.perf_counter() - started:.1f} s -> {out}",
          file=sys.stderr)
    for name, figures in model.info["held_out"].items():
        print(f"  held out (grouped 5-fold) {name}: Spearman {figures['spearman']:.3f} "
              f"on {figures['texts']} texts", file=sys.stderr)
    return 0
