"""Command line: ``python -m analysis themes ...``, ``python -m analysis classify ...`` and
``python -m analysis distil`` (makes the distilled vector table once) and
``python -m analysis train-sentiment`` (makes the sentiment model again from the shared data).

Exit codes: 0 success, 2 bad input or usage (one line on stderr starting "error:").
JSON formats are documented in docs/analysis.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from . import sentiment_train
from .io import InputError, read_rows


def _themes_arg(value: str):
    if value == "auto":
        return "auto"
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError("must be 'auto' or a positive whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be 'auto' or a positive whole number")
    return n


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis",
                                     description="Themes, sentiment and classification of feedback text.")
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("themes", help="find themes in the text column of a CSV file")
    t.add_argument("input", metavar="INPUT.csv")
    t.add_argument("--text-column", required=True)
    t.add_argument("--id-column")
    t.add_argument("--themes", type=_themes_arg, default="auto", help="auto (default) or a number")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--previous", metavar="PREVIOUS.json", help="an earlier themes output, to keep ids and names")
    t.add_argument("--out", required=True, metavar="OUT.json")
    c = sub.add_parser("classify", help="train on labelled rows, then classify the rows of INPUT.csv")
    c.add_argument("--train", required=True, metavar="TRAIN.csv")
    c.add_argument("--text-column", required=True)
    c.add_argument("--label-column", required=True)
    c.add_argument("--label-separator", default=";",
                   help="separator of several labels in one cell (multi-label training); default ';'")
    c.add_argument("--seed", type=int, default=0)
    c.add_argument("input", metavar="INPUT.csv")
    c.add_argument("--out", required=True, metavar="OUT.json")
    d = sub.add_parser("distil", help="make the MiniLM token table that the text vectors use (once, about a minute)")
    d.add_argument("--out-dir", metavar="FOLDER", help="default: ANALYSIS_CACHE_DIR or ~/.cache/yourvoice-analysis")
    d.add_argument("--if-missing", action="store_true", help="do nothing when the table is already there")
    sentiment_train.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "distil":
        return run_distil(args)
    if args.command == "train-sentiment":
        return sentiment_train.run(args)
    try:
        result = run_themes(args) if args.command == "themes" else run_classify(args)
        _write_json(args.out, result)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def run_distil(args) -> int:
    from .distil import distil  # noqa: PLC0415
    from .vectors import MINILM_FILE, VectorsMissing, cache_dir  # noqa: PLC0415

    folder = args.out_dir or cache_dir()
    if args.if_missing and (Path(folder) / MINILM_FILE).is_file():
        return 0
    try:
        distil(folder, log=lambda m: print(m, file=sys.stderr))
    except (VectorsMissing, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def run_themes(args) -> dict:
    from .themes import find_themes  # noqa: PLC0415  (keeps --help fast)

    started = time.perf_counter()
    previous = _read_previous(args.previous) if args.previous else None
    required = [args.text_column] + ([args.id_column] if args.id_column else [])
    rows = read_rows(args.input, required)
    texts = [r[args.text_column] or "" for r in rows]
    ids = [r[args.id_column] for r in rows] if args.id_column else None
    result = find_themes(texts, ids=ids, n_themes=args.themes, seed=args.seed, previous=previous)
    out = result.to_json()
    out["run"].update(command="themes", input=os.path.basename(args.input), text_column=args.text_column,
                      id_column=args.id_column, previous=os.path.basename(args.previous) if args.previous else None,
                      seconds=round(time.perf_counter() - started, 3))
    return out


def run_classify(args) -> dict:
    from .classify import train_classifier  # noqa: PLC0415

    train = read_rows(args.train, [args.text_column, args.label_column])
    rows = read_rows(args.input, [args.text_column])
    sep = args.label_separator
    cells = [(r[args.text_column] or "", (r[args.label_column] or "").strip()) for r in train]
    multi = bool(sep) and any(sep in label for _, label in cells)
    if multi:
        texts = [t for t, _ in cells]
        labels = [[x.strip() for x in label.split(sep) if x.strip()] for _, label in cells]
    else:
        cells = [(t, label) for t, label in cells if label]
        texts, labels = [t for t, _ in cells], [label for _, label in cells]
    try:
        model = train_classifier(texts, labels, seed=args.seed, multi_label=multi)
    except ValueError as exc:
        raise InputError(f"{args.train}: {exc}") from None
    results = model.classify([r[args.text_column] or "" for r in rows])
    return {"labels": list(model.labels), "multi_label": multi,
            "items": [{"row": i, "labels": list(c.labels), "scores": c.scores} for i, c in enumerate(results)]}


def _read_previous(path: str):
    if not os.path.isfile(path):
        raise InputError(f"{path}: no such file")
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a themes JSON file ({exc.__class__.__name__})") from None
    themes = data.get("themes") if isinstance(data, dict) else data
    if not isinstance(themes, list) or not all(isinstance(t, dict) and "id" in t for t in themes):
        raise InputError(f"{path}: not a themes JSON file (expected a 'themes' list with ids)")
    return data


def _write_json(path: str, data: dict) -> None:
    try:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror})") from None
