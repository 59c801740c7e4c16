"""Reading the safeguarding corpus and measuring a concern model on it.

The corpus is tab-separated files with the header ``label  kind  register  text`` (see the
corpus folder's README). ``read_corpus`` reads every ``*.tsv`` below a folder;
``measure`` reports recall per kind of harm and false alarms per kind borrowed.
"""
from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

LABELS = ("concerning", "ordinary")


class CorpusError(ValueError):
    """A corpus file does not follow the format."""


@dataclass(frozen=True)
class CorpusRow:
    label: str
    kind: str
    register: str
    text: str
    source: str  # file name and line, for messages

    @property
    def concerning(self) -> bool:
        return self.label == "concerning"


def read_corpus(folder: str | Path) -> list[CorpusRow]:
    """Every row of every ``*.tsv`` file below ``folder``, files in name order. Raises
    ``CorpusError`` naming the file and line of the first malformed row."""
    rows: list[CorpusRow] = []
    files = sorted(Path(folder).rglob("*.tsv"))
    if not files:
        raise CorpusError(f"no .tsv files in {folder}")
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, None)
            if header != ["label", "kind", "register", "text"]:
                raise CorpusError(f"{path.name}: the first line must be the header "
                                  "label, kind, register, text")
            for number, fields in enumerate(reader, 2):
                if not fields or not "".join(fields).strip():
                    continue
                if len(fields) != 4 or fields[0] not in LABELS or not fields[3].strip():
                    raise CorpusError(f"{path.name} line {number}: expected 4 fields with a "
                                      "label of concerning or ordinary and a text")
                rows.append(CorpusRow(fields[0], fields[1].strip(), fields[2].strip(),
                                      " ".join(fields[3].split()), f"{path.name}:{number}"))
    return rows


def digest(rows: Iterable[CorpusRow]) -> str:
    """A digest of the rows' labels, kinds and texts: the model records the corpus it saw."""
    h = hashlib.sha256()
    for row in rows:
        h.update(f"{row.label}\t{row.kind}\t{row.text}\n".encode())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Measure:
    """``recall``: share of concerning rows flagged; ``false_alarms``: share of ordinary rows
    flagged; ``by_kind``: kind -> (flagged, total) of concerning rows; ``alarms_by_kind``:
    kind borrowed -> (flagged, total) of ordinary rows; ``by_register`` likewise for
    concerning rows; ``missed``: the concerning rows not flagged."""

    recall: float
    false_alarms: float
    concerning: int
    ordinary: int
    by_kind: dict[str, tuple[int, int]]
    alarms_by_kind: dict[str, tuple[int, int]]
    by_register: dict[str, tuple[int, int]]
    missed: tuple[CorpusRow, ...]
    alarms: tuple[CorpusRow, ...]


def measure(rows: Sequence[CorpusRow], flagged: Callable[[str], bool]) -> Measure:
    """Run ``flagged(text)`` over ``rows`` and count."""
    hits: dict[str, Counter] = defaultdict(Counter)
    alarms: dict[str, Counter] = defaultdict(Counter)
    registers: dict[str, Counter] = defaultdict(Counter)
    missed, false = [], []
    for row in rows:
        result = bool(flagged(row.text))
        if row.concerning:
            hits[row.kind]["total"] += 1
            registers[row.register]["total"] += 1
            hits[row.kind]["flagged"] += result
            registers[row.register]["flagged"] += result
            if not result:
                missed.append(row)
        else:
            alarms[row.kind]["total"] += 1
            alarms[row.kind]["flagged"] += result
            if result:
                false.append(row)
    n_c = sum(c["total"] for c in hits.values())
    n_o = sum(c["total"] for c in alarms.values())
    pairs = lambda table: {k: (v["flagged"], v["total"]) for k, v in sorted(table.items())}  # noqa: E731
    return Measure(
        recall=sum(c["flagged"] for c in hits.values()) / n_c if n_c else 0.0,
        false_alarms=sum(c["flagged"] for c in alarms.values()) / n_o if n_o else 0.0,
        concerning=n_c, ordinary=n_o, by_kind=pairs(hits), alarms_by_kind=pairs(alarms),
        by_register=pairs(registers), missed=tuple(missed), alarms=tuple(false))


_WRITER = re.compile(r"^(w\d+)_")


def in_budget(row: CorpusRow) -> bool:
    """Whether a training row counts in the false-alarm budget the threshold is chosen on:
    all but the ordinary rows of contrast-pair files (``w15_pairs_ordinary.tsv``), which are
    written to sit as close as possible to a concerning row (same topic, register and most of
    its words) and so teach the model without being a sample of ordinary messages."""
    return row.concerning or "_pairs" not in row.source.rsplit(":", 1)[0]


def writer_of(row: CorpusRow) -> str:
    """The writer of a training row, from its file's prefix (``w3_bullying.tsv`` -> ``w3``);
    a file without one is its own writer (its name without ``.tsv``)."""
    name = row.source.rsplit(":", 1)[0]
    found = _WRITER.match(name)
    return found.group(1) if found else name.removesuffix(".tsv")
