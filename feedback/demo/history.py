"""What happens to a demo card or feedback entry after it is sent: when, in
what order, and the commissioner's answer.

Every instant is after the item was sent and no later than ``limit`` (the
demo's "now"): a gap that would pass it is shrunk, never dropped, so dates stay
in order and none is in the future. Answers come from the corpus
(``answers.tsv``): an item is answered only when an answer for its service (or
thematic area) shares enough rare words with it and means much the same (the
text vectors of ``analysis/vectors.py``), no answer is given to more than a few
items, and the item reaches that answer's status (done, action planned or not
possible).
"""
from __future__ import annotations

import math
import random
import re
from datetime import datetime, timedelta

from ..models import Response, StatusChange
from . import partnership as P
from .corpus import SERVICE_AREAS, Answer

DEMO_DAYS = 18 * 30
ANSWERED = ("action_planned", "done", "not_possible")
# Words that say nothing about what a text is about (besides the service's own name).
STOP_WORDS = set("""a an and are as at be been but by can do for from has have he her his i in
is it its me my no not now of on or our she so that the their them there they this to us was
we were what when which who will with you your im ive dont cant didnt doesnt isnt wont
service services young people person please get gets got more like just want wanted need needs
help helped time times make made know one also really very much would could should thing things
every all any some only even still been being after before about into out over than then too way
lot lots because always never back new year years day days week weeks month months good great
nice better best bad felt feel feels say said tell told ask asked go going went come came where
move start stop change session sessions hour hours minute minutes carer carers worker workers""".split())
# How much an answer must share with a text (summed rarity of shared words, and
# how many words) to be its answer: below it, the item is not answered yet.
MATCH_SCORE, MATCH_WORDS = 5.0, 2
# How close in meaning (cosine of the two texts' vectors) an answer must be. Read off the
# demo's own pairs: below about 0.5 most answers were about something else.
MATCH_MEANING = 0.5
# A commissioner answers a few cards alike, not a dozen: the same answer six times over on
# the public page reads as a form letter.
MAX_USES = 3
# Thanks with nothing asked for needs no answer.
PRAISE = re.compile(r"\b(thank|amazing|brilliant|lifeline|best thing|saved|helped (me|us))", re.I)
ASKING = re.compile(r"\b(but|stop|please|should|need|more|wish|why|can you|could)\b", re.I)


def sent_at(rng: random.Random, limit: datetime, days: int = DEMO_DAYS) -> datetime:
    """A moment in the ``days`` before ``limit``, at least a minute before it."""
    return limit - timedelta(minutes=rng.randint(1, days * 24 * 60))


def later(rng: random.Random, start: datetime, limit: datetime, gaps_days) -> list[datetime]:
    """One instant per wanted gap (in days) after ``start``, in order, the last no
    later than ``limit``: when the gaps do not fit, they all shrink in proportion."""
    wanted = [max(g, 0.01) * 86400 for g in gaps_days]
    room = max((limit - start).total_seconds(), 0) * 0.95
    scale = min(1.0, room / sum(wanted)) if wanted and sum(wanted) else 1.0
    moments, when = [], start
    for gap in wanted:
        when = when + timedelta(seconds=gap * scale)
        moments.append(when)
    return moments


def age_days(created: datetime, limit: datetime) -> float:
    return (limit - created).total_seconds() / 86400


def status_path(rng: random.Random, age: float, answer: Answer | None) -> list[str]:
    """The statuses an item has been through: recent ones are still being looked
    at; an older one whose text a corpus answer fits has reached that answer's status."""
    if age < 5 or rng.random() < 0.15:
        return ["received"]
    if answer is None or age < 20 or rng.random() < 0.15:
        return ["received", "being_looked_at"]
    if answer.status == "done":
        return ["received", "being_looked_at", "action_planned", "done"]
    return ["received", "being_looked_at", answer.status]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[:-len(suffix)]
    return word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z]+", text.lower().replace("'", ""))
            if len(w) > 2 and w not in STOP_WORDS}


class Answerer:
    """Finds each item's answer in the corpus: one for the same service (or its
    thematic area) that shares enough rare words with the item's text, the least
    used first among equals; None when no answer fits (the item is not answered)."""

    def __init__(self, answers: list[Answer], texts: list[str], rng: random.Random,
                 embed=None) -> None:
        if embed is None:
            from ..analysis_bridge import embed
        self._embed = embed
        self._meaning = {id(a): v for a, v in zip(answers, embed([a.text for a in answers]))}
        self._by: dict[str, list[Answer]] = {}
        for answer in answers:
            self._by.setdefault(answer.about, []).append(answer)
        seen: dict[str, int] = {}
        for text in texts:
            for word in _words(text):
                seen[word] = seen.get(word, 0) + 1
        self._rarity = {w: math.log(len(texts) / (1 + n)) for w, n in seen.items()}
        self._words = {id(a): _words(a.text) for a in answers}
        self._names = {name: _words(f"{name} {plain}") for name, plain, *_ in P.SERVICES}
        self._used: dict[int, int] = {}
        self._rng = rng

    def __len__(self) -> int:
        return len(self._words)

    def best(self, service_name: str, text: str) -> Answer | None:
        if PRAISE.search(text) and not ASKING.search(text):
            return None
        words = _words(text) - self._names.get(service_name, set())
        scored, meaning = [], None
        for answer in (self._by.get(service_name, [])
                       + self._by.get(SERVICE_AREAS.get(service_name, ""), [])):
            used = self._used.get(id(answer), 0)
            shared = words & self._words[id(answer)]
            score = sum(self._rarity.get(w, 0.0) for w in shared)
            if used >= MAX_USES or score < MATCH_SCORE or len(shared) < MATCH_WORDS:
                continue
            if meaning is None:
                meaning = self._embed([text])[0]
            closeness = float(meaning @ self._meaning[id(answer)])
            if closeness >= MATCH_MEANING:
                scored.append((closeness * 10 + score - 2.0 * used, self._rng.random(), answer))
        if not scored:
            return None
        answer = max(scored, key=lambda t: t[:2])[2]
        self._used[id(answer)] = self._used.get(id(answer), 0) + 1
        return answer


def apply_history(item, path: list[str], created: datetime, first_step: datetime,
                  limit: datetime, commissioner, answer: Answer | None,
                  rng: random.Random) -> None:
    """Record ``path`` on ``item``: "received" at ``created``, the later statuses
    after ``first_step`` and no later than ``limit``; the last status, when it is
    an answered one, carries ``answer`` (a "not possible" answer is also its reason)."""
    item.history.append(StatusChange(from_status=None, to_status="received", changed_at=created))
    moments = later(rng, first_step, limit, [rng.uniform(2, 30) for _ in path[1:]])
    previous = "received"
    for status, when in zip(path[1:], moments):
        final = status == path[-1] and status in ANSWERED and answer is not None
        body = answer.text if final else None
        item.history.append(StatusChange(
            from_status=previous, to_status=status, changed_at=when, changed_by=commissioner,
            reason=body if status == "not_possible" else None))
        if body:
            item.responses.append(Response(body=body, author=commissioner, created_at=when))
        if final and status == "not_possible":
            item.status_reason = body
        previous = status
    item.status = path[-1]
    item.status_changed_at = item.history[-1].changed_at
