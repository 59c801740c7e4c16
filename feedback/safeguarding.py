"""Safeguarding: screening free text for possible risk, and raising the alarm.

``screen(text) -> Screening`` is a pure function. It only raises priority: a
flagged item goes to a safeguarding lead, who decides. It never decides that
a child is safe. Phrase lists live in ``feedback/safeguarding_phrases/`` as
plain text a safeguarding lead can edit (syntax in that folder's README.md).

``escalate(submission)`` sends the alert for a flagged card or feedback entry
(email through MAIL_SERVER to SAFEGUARDING_ALERT_TO, or a log line when no
mail server is configured) and audits it. Call it after the submission is
committed. The alert never contains the child's words: only what it is, the
categories and where to find it.
"""
from __future__ import annotations

import logging
import re
import smtplib
import unicodedata
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import lru_cache
from pathlib import Path

log = logging.getLogger("feedback.safeguarding")

PHRASE_FOLDER = Path(__file__).resolve().parent / "safeguarding_phrases"

CATEGORIES = {
    "self_harm": "Self-harm or suicidal thoughts",
    "abuse": "Abuse",
    "neglect": "Neglect",
    "domestic_abuse": "Domestic abuse",
    "exploitation": "Exploitation (county lines, grooming)",
    "threats": "Threats or weapons",
    "unsafe_home": "Feeling unsafe at home or in placement",
    "missing": "Going missing",
    "worker_harm": "A worker or carer hurting them",
    "said_unsafe": "Said they do not feel safe",
}
SPECIAL_FILES = {"ordinary", "textspeak"}
GAP = 3  # words allowed by "..."


@dataclass(frozen=True)
class Match:
    category: str
    phrase: str
    text: str  # the normalised words that matched


@dataclass(frozen=True)
class Screening:
    """The result of screening one text.

    ``flagged`` is True when any category matched. ``categories`` are keys of
    ``CATEGORIES`` in first-seen order; ``matches`` say which phrase fired on
    which words (for the lead's screen and for tuning the lists).
    """

    flagged: bool
    categories: tuple[str, ...] = ()
    matches: tuple[Match, ...] = field(default=(), repr=False)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(CATEGORIES.get(c, c) for c in self.categories)


# A phrase is a tuple of positions; each position is a tuple of alternatives
# (word, is_prefix), or the GAP marker.
_GAP = "..."


@dataclass(frozen=True)
class PhraseBook:
    phrases: tuple[tuple[str, str, tuple], ...]  # (category, source line, compiled)
    ordinary: tuple[tuple[str, tuple], ...]
    rewrites: tuple[tuple[re.Pattern, str], ...]


def _compile(line: str) -> tuple:
    positions = []
    for part in line.split():
        if part == _GAP:
            positions.append(_GAP)
            continue
        alts = []
        for alt in part.split("|"):
            alt = alt.strip()
            if alt:
                alts.append((alt.rstrip("*"), alt.endswith("*")))
        positions.append(tuple(alts))
    return tuple(positions)


def _lines(path: Path) -> list[str]:
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip().lower() if not raw.lstrip().startswith("#") else ""
        if line:
            out.append(line)
    return out


def load_phrase_book(folder: Path | str = PHRASE_FOLDER) -> PhraseBook:
    """Read every phrase file in ``folder`` (see its README.md)."""
    folder = Path(folder)
    phrases = []
    for path in sorted(folder.glob("*.txt")):
        if path.stem in SPECIAL_FILES:
            continue
        for line in _lines(path):
            phrases.append((path.stem, line, _compile(line)))
    ordinary = tuple((line, _compile(line)) for line in _lines(folder / "ordinary.txt")) \
        if (folder / "ordinary.txt").exists() else ()
    rewrites = []
    if (folder / "textspeak.txt").exists():
        pairs = []
        for line in _lines(folder / "textspeak.txt"):
            if "=" in line:
                source, target = (s.strip() for s in line.split("=", 1))
                if source:
                    pairs.append((source, target))
        # Longest first, so "step dad" wins over "dad".
        for source, target in sorted(pairs, key=lambda p: -len(p[0])):
            rewrites.append((re.compile(r"(?<![a-z0-9])" + re.escape(source) + r"(?![a-z0-9])"),
                             target))
    return PhraseBook(tuple(phrases), ordinary, tuple(rewrites))


@lru_cache(maxsize=1)
def default_phrase_book() -> PhraseBook:
    return load_phrase_book(PHRASE_FOLDER)


_CONTRACTIONS = (
    (re.compile(r"\bcan'?t\b"), "can not"), (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\bain'?t\b"), "am not"), (re.compile(r"n't\b"), " not"),
    (re.compile(r"'m\b"), " am"), (re.compile(r"'re\b"), " are"), (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"), (re.compile(r"'d\b"), " would"),
)
_REPEATS = re.compile(r"([a-z])\1{2,}")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_LEET = str.maketrans({"@": "a", "$": "s", "3": "e", "0": "o", "1": "i", "!": "i"})


def normalise(text: str, book: PhraseBook | None = None) -> list[str]:
    """Lower-case words with contractions opened, repeats squeezed and
    text-speak rewritten: the form phrases are matched against."""
    book = book or default_phrase_book()
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = text.replace("'", "")
    # Words mixing letters with digits or symbols ("k1ll", "d3ad") are read as letters.
    text = re.sub(r"\b(?=[a-z0-9@$!]*[a-z])(?=[a-z0-9@$!]*[0-9@$!])[a-z0-9@$!]{3,}\b",
                  lambda m: m.group(0).translate(_LEET) if not m.group(0).isdigit() else m.group(0),
                  text)
    text = _REPEATS.sub(r"\1\1", text)
    joined = " ".join(w for w in _NON_WORD.split(text) if w)
    for pattern, replacement in book.rewrites:
        joined = pattern.sub(replacement, joined)
    return joined.split()


def _close(word: str, target: str) -> bool:
    """One edit apart (insert, delete, substitute or swap), for long words."""
    if abs(len(word) - len(target)) > 1 or word[0] != target[0]:
        return False
    if len(word) == len(target):
        diffs = [i for i, (a, b) in enumerate(zip(word, target)) if a != b]
        if len(diffs) == 1:
            return True
        return (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                and word[diffs[0]] == target[diffs[1]] and word[diffs[1]] == target[diffs[0]])
    short, long_ = (word, target) if len(word) < len(target) else (target, word)
    for i in range(len(long_)):
        if long_[:i] + long_[i + 1:] == short:
            return True
    return False


@lru_cache(maxsize=200_000)
def _word_matches(word: str, alts) -> bool:
    for stem, prefix in alts:
        if prefix:
            if word.startswith(stem):
                return True
        elif word == stem or (len(stem) >= 7 and len(word) >= 6 and _close(word, stem)):
            return True
    return False


def _match_at(words: list[str], start: int, phrase: tuple) -> int | None:
    """End index (exclusive) when ``phrase`` matches at ``start``, else None."""
    def go(i: int, p: int) -> int | None:
        if p == len(phrase):
            return i
        position = phrase[p]
        if position == _GAP:
            for skip in range(GAP + 1):
                end = go(i + skip, p + 1)
                if end is not None:
                    return end
            return None
        if i < len(words) and _word_matches(words[i], position):
            return go(i + 1, p + 1)
        return None
    return go(start, 0)


def _spans(words: list[str], phrase: tuple):
    for start in range(len(words)):
        end = _match_at(words, start, phrase)
        if end is not None:
            yield start, end


def screen(text: str, book: PhraseBook | None = None) -> Screening:
    """Screen ``text`` for words that may disclose risk to a child.

    Pure: the same text and phrase book always give the same answer. Ordinary
    phrases (``ordinary.txt``) veto only matches lying wholly inside them.
    """
    book = book or default_phrase_book()
    words = normalise(text, book)
    if not words:
        return Screening(False)
    ordinary = [span for _, compiled in book.ordinary for span in _spans(words, compiled)]
    categories: list[str] = []
    matches: list[Match] = []
    for category, line, compiled in book.phrases:
        for start, end in _spans(words, compiled):
            if any(o_start <= start and end <= o_end for o_start, o_end in ordinary):
                continue
            matches.append(Match(category, line, " ".join(words[start:end])))
            if category not in categories:
                categories.append(category)
            break
    return Screening(bool(categories), tuple(categories), tuple(matches))


# --- Escalation ---------------------------------------------------------------

def _kind_of(submission) -> str:
    return "card" if submission.__tablename__ == "action_card" else "feedback"


def alert_message(submission, config, link: str | None = None) -> EmailMessage:
    """The alert email. Deliberately without the child's words."""
    kind = _kind_of(submission)
    what = "An action card" if kind == "card" else "A feedback entry"
    labels = ", ".join(CATEGORIES.get(c, c) for c in (submission.safeguarding_categories or [])) \
        or "not given"
    message = EmailMessage()
    message["Subject"] = f"Safeguarding: {what.lower()} needs a person to look at it"
    message["From"] = config.get("MAIL_FROM") or "no-reply@voice.invalid"
    message["To"] = config["SAFEGUARDING_ALERT_TO"] or "safeguarding@voice.invalid"
    body = [
        f"{what} (number {submission.id}) was flagged as possibly showing risk to a child.",
        f"Why it was flagged: {labels}.",
        "",
        "Sign in to the safeguarding queue to read it and record what was done:",
        link or "/safeguarding",
        "",
        "The words are not included in this email on purpose.",
    ]
    message.set_content("\n".join(body))
    return message


def send_alert(message: EmailMessage, config) -> str:
    """Send through MAIL_SERVER. Returns "sent", "logged" (no server or no
    recipient configured) or "failed" (the server refused or was unreachable)."""
    if not config.get("MAIL_SERVER") or not config.get("SAFEGUARDING_ALERT_TO"):
        log.warning("SAFEGUARDING ALERT (no mail server configured): %s", message["Subject"])
        return "logged"
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT") or 25, timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
        return "sent"
    except (OSError, smtplib.SMTPException) as exc:
        log.error("SAFEGUARDING ALERT NOT SENT (%s): %s", exc.__class__.__name__,
                  message["Subject"])
        return "failed"


def escalate(submission, config=None, link: str | None = None) -> str:
    """Alert the safeguarding lead about a committed, flagged ``submission``
    (an ActionCard or FeedbackEntry), audit the alert and commit that audit.

    Never raises for mail problems: the submission is already safe in the
    database and shows first in the safeguarding queue either way. Returns
    the outcome of ``send_alert``.
    """
    from flask import current_app, url_for

    from . import audit
    from .extensions import db

    config = config or current_app.config
    if link is None:
        try:
            link = url_for("cards.safeguarding_queue", _external=True)
        except Exception:  # noqa: BLE001 - outside a request, or the queue not installed
            link = "/safeguarding"
    outcome = send_alert(alert_message(submission, config, link), config)
    audit.record("safeguarding.alert", None, submission, outcome=outcome,
                 categories=list(submission.safeguarding_categories or []))
    db.session.commit()
    return outcome
