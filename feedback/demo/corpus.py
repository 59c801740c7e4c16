"""The demo corpus: the texts the demo's cards, feedback and answers are made of.

The corpus is plain tab-separated files in ``feedback/demo/corpus/`` (written by
the project's writers, made up; no real person, phone number or email):

- ``cards_<thematic area>.tsv``: ``service  kind  age_band  cohort  text``, young
  people's action cards (kind stop/start/change; age band 8-11, 12-15, 16-18, 19-25
  or empty; cohort empty, in_care, care_leaver, send or young_carer);
- ``feedback_<thematic area>.tsv``: ``service  rating  respondent  families  concern
  went_well  could_be_better``, families' feedback (respondent parent_carer, or
  forum_rep for a forum representative summarising an event for ``families``
  families; ``concern`` is "yes" where the writer meant a child may be at risk);
- ``answers.tsv``: ``about  status  text``, commissioners' answers ("you said, we
  did") for a service (its exact name) or a thematic area, and the status they go
  with (done, action_planned, not_possible: the last always gives its reason).

Readers return frozen rows and raise ``CorpusError`` naming the file and line of
anything malformed. ``deal`` chooses which texts a demo of a given size uses.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from . import partnership as P

FOLDER = Path(__file__).resolve().parent / "corpus"
SERVICE_AREAS = {name: area for name, _plain, area, *_rest in P.SERVICES}
THEMATIC_AREAS = tuple(dict.fromkeys(SERVICE_AREAS.values()))
KINDS = ("stop", "start", "change")
CARD_AGE_BANDS = ("8-11", "12-15", "16-18", "19-25")
COHORTS = ("in_care", "care_leaver", "send", "young_carer")
RESPONDENTS = ("parent_carer", "forum_rep")
ANSWER_STATUSES = ("done", "action_planned", "not_possible")
# The most often a demo uses one text: a commissioner never reads the same
# sentence as several quotes.
MAX_USES = 2

CARD_COLUMNS = ("service", "kind", "age_band", "cohort", "text")
FEEDBACK_COLUMNS = ("service", "rating", "respondent", "families", "concern", "went_well",
                    "could_be_better")
ANSWER_COLUMNS = ("about", "status", "text")


class CorpusError(ValueError):
    """A corpus file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class CardText:
    service: str
    kind: str
    age_band: str | None
    cohorts: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class FeedbackText:
    service: str
    rating: int | None
    respondent: str
    families: int | None
    concern: bool
    went_well: str
    could_be_better: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.went_well, self.could_be_better)


@dataclass(frozen=True)
class Answer:
    about: str  # a service's name or a thematic area
    status: str
    text: str


def _rows(path: Path, columns: tuple[str, ...]):
    """Yield (line number, {column: value}) for each non-empty line after the header."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or tuple(lines[0].split("\t")) != columns:
        raise CorpusError(f"{path.name}: the first line must be the columns "
                          f"{', '.join(columns)} separated by tabs")
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(columns):
            raise CorpusError(f"{path.name} line {number}: {len(cells)} columns, "
                              f"expected {len(columns)}")
        yield number, dict(zip(columns, (c.strip() for c in cells)))


def _check(ok: bool, path: Path, number: int, message: str) -> None:
    if not ok:
        raise CorpusError(f"{path.name} line {number}: {message}")


def _service(row: dict, path: Path, number: int, area: str) -> str:
    name = row["service"]
    _check(name in SERVICE_AREAS, path, number, f"unknown service {name!r}")
    _check(SERVICE_AREAS[name] == area, path, number,
           f"{name!r} is not in the thematic area {area!r}")
    return name


def _files(folder: Path, prefix: str):
    for area in THEMATIC_AREAS:
        path = folder / f"{prefix}_{area}.tsv"
        if path.exists():
            yield area, path


def card_texts(folder: Path = FOLDER) -> list[CardText]:
    """Every young person's card text, in file order (missing files give none)."""
    found = []
    for area, path in _files(folder, "cards"):
        for number, row in _rows(path, CARD_COLUMNS):
            service = _service(row, path, number, area)
            _check(row["kind"] in KINDS, path, number, f"kind must be one of {', '.join(KINDS)}")
            band = row["age_band"] or None
            _check(band is None or band in CARD_AGE_BANDS, path, number,
                   f"age band must be empty or one of {', '.join(CARD_AGE_BANDS)}")
            cohorts = tuple(c.strip() for c in row["cohort"].split(",") if c.strip())
            _check(all(c in COHORTS for c in cohorts), path, number,
                   f"cohort must be empty or one of {', '.join(COHORTS)}")
            _check(bool(row["text"]), path, number, "the text is empty")
            found.append(CardText(service, row["kind"], band, cohorts, row["text"]))
    return found


def feedback_texts(folder: Path = FOLDER) -> list[FeedbackText]:
    """Every family feedback text, in file order (missing files give none)."""
    found = []
    for area, path in _files(folder, "feedback"):
        for number, row in _rows(path, FEEDBACK_COLUMNS):
            service = _service(row, path, number, area)
            rating = row["rating"]
            _check(rating == "" or rating in {"1", "2", "3", "4", "5"}, path, number,
                   "rating must be empty or 1 to 5")
            _check(row["respondent"] in RESPONDENTS, path, number,
                   f"respondent must be one of {', '.join(RESPONDENTS)}")
            families = row["families"]
            if row["respondent"] == "forum_rep":
                _check(families.isdigit() and int(families) >= 2, path, number,
                       "a forum representative's row needs the number of families (2 or more)")
            else:
                _check(families == "", path, number, "families is only for forum_rep rows")
            _check(row["concern"] in ("", "yes"), path, number, "concern must be empty or yes")
            _check(bool(row["went_well"] or row["could_be_better"]), path, number,
                   "both texts are empty")
            found.append(FeedbackText(service, int(rating) if rating else None,
                                      row["respondent"], int(families) if families else None,
                                      row["concern"] == "yes", row["went_well"],
                                      row["could_be_better"]))
    return found


def answers(folder: Path = FOLDER) -> list[Answer]:
    """Every commissioner answer in ``answers.tsv`` (none when the file is missing)."""
    path = folder / "answers.tsv"
    if not path.exists():
        return []
    found = []
    for number, row in _rows(path, ANSWER_COLUMNS):
        _check(row["about"] in SERVICE_AREAS or row["about"] in THEMATIC_AREAS, path, number,
               f"about must be a service's exact name or a thematic area, not {row['about']!r}")
        _check(row["status"] in ANSWER_STATUSES, path, number,
               f"status must be one of {', '.join(ANSWER_STATUSES)}")
        _check(bool(row["text"]), path, number, "the text is empty")
        found.append(Answer(row["about"], row["status"], row["text"]))
    return found


def most_items(n_texts: int) -> int:
    """The largest demo that uses none of ``n_texts`` texts more than ``MAX_USES`` times."""
    return n_texts * MAX_USES


def deal(texts: list, n: int, rng: random.Random, first: list | None = None) -> list:
    """``n`` texts (at most ``most_items``) for a demo, none used more than ``MAX_USES`` times.

    Every text is used once before any is used again, so a demo smaller than the
    corpus repeats nothing. ``first`` (a part of ``texts``, e.g. the concerning
    ones) keeps at least its share of the hand and at least a few, so a small
    demo still has some."""
    n = min(n, most_items(len(texts)))
    first = list(first or [])
    picked = set(map(id, first))
    rest = [t for t in texts if id(t) not in picked]
    chosen: list = []
    if first:
        share = round(n * len(first) / max(len(texts), 1))
        n_first = max(share, min(3, len(first)), n - most_items(len(rest)))
        n_first = min(n_first, most_items(len(first)), n)
        chosen = _passes(first, n_first, rng, keep_order=True)
    chosen += _passes(rest, n - len(chosen), rng)
    rng.shuffle(chosen)
    return chosen


def _passes(texts: list, n: int, rng: random.Random, keep_order: bool = False) -> list:
    """``n`` of ``texts``: one shuffled pass, then a second if needed. ``keep_order``
    takes the first pass in the given order (the caller's preference)."""
    hand: list = []
    for i in range(MAX_USES):
        order = list(texts)
        if not (keep_order and i == 0):
            rng.shuffle(order)
        hand += order[:max(n - len(hand), 0)]
    return hand
