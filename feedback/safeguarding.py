"""Safeguarding: screening free text for possible risk, and raising the alarm.

``screen(text) -> Screening`` is a pure function with two signals: the phrase
lists in ``feedback/safeguarding_phrases/`` (plain text a safeguarding lead can
edit; syntax in that folder's README.md) and a learned model
(``feedback/safeguarding_model/``, trained on ``feedback/safeguarding_corpus/``
by ``flask --app wsgi safeguarding train``). A text is flagged when a phrase
matches or the model's score passes its threshold. It only raises priority: a
flagged item goes to a safeguarding lead, who decides. It never decides that a
child is safe. A missing or damaged model file leaves the phrase lists in use
and is logged as an error (and shown by ``/health``): never a silent pass.

``escalate(submission)`` sends the alert for a flagged card or feedback entry
(email through MAIL_SERVER to SAFEGUARDING_ALERT_TO, or a log line when no
mail server is configured) and audits it. Call it after the submission is
committed. The alert never contains the child's words: only what it is, the
categories and where to find it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext

from . import messages
from .safeguarding_matcher import GAP, SPECIAL_FILES, PhraseBook, PhraseLibrary, find
from .safeguarding_matcher import load_phrase_book as _load
from .safeguarding_matcher import normalise as _normalise

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
    # Kinds of harm the learned model names (see docs/safeguarding.md).
    "physical_abuse": "Physical abuse",
    "sexual_abuse": "Sexual abuse or grooming",
    "emotional_abuse": "Emotional abuse",
    "online_grooming": "Online grooming or sextortion",
    "substance_misuse": "Drugs or alcohol",
    "homeless": "Nowhere to live",
    "bullying": "Bullying or threats of violence",
    "parent_report": "Signs or words reported by a parent or carer",
}
# The model's kinds that share a phrase-list category.
MODEL_KINDS = {"unsafe_place": "unsafe_home"}
__all__ = ["CATEGORIES", "GAP", "MODEL_KINDS", "SPECIAL_FILES", "Match", "PhraseBook",
           "Screening", "default_phrase_book", "escalate", "escalate_batch", "load_phrase_book",
           "model_status", "normalise", "screen"]


@dataclass(frozen=True)
class Match:
    category: str
    phrase: str
    text: str  # the normalised words that matched


@dataclass(frozen=True)
class Screening:
    """The result of screening one text.

    ``flagged`` is True when a phrase matched or the model's score passed its
    threshold. ``categories`` are keys of ``CATEGORIES``: the phrase lists'
    first, in the order of the phrase files (by file name, then line), then
    the model's kinds not already named. ``matches`` say which phrase fired on
    which words, one per phrase, in the same order. ``score`` is the model's
    calibrated probability of concern (None when no model is in use),
    ``model_flagged`` whether it passed the threshold, and ``reasons`` the
    words that weighed most (when it did), for the lead's screen.
    """

    flagged: bool
    categories: tuple[str, ...] = ()
    matches: tuple[Match, ...] = field(default=(), repr=False)
    score: float | None = None
    model_flagged: bool = False
    reasons: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(CATEGORIES.get(c, c) for c in self.categories)


_LIBRARY = PhraseLibrary(PHRASE_FOLDER)


def load_phrase_book(folder: Path | str = PHRASE_FOLDER) -> PhraseBook:
    """Read every phrase file in ``folder`` (see its README.md)."""
    return _load(folder)


def default_phrase_book() -> PhraseBook:
    """The shipped phrase book, read again within seconds of a file changing."""
    return _LIBRARY.book()


def normalise(text: str, book: PhraseBook | None = None) -> list[str]:
    """Lower-case words with contractions opened, repeats squeezed and
    text-speak rewritten: the form phrases are matched against."""
    return _normalise(text, book or default_phrase_book())


_DEFAULT = object()


def model_status() -> str:
    """"loaded", or why the learned screen is not in use (the phrase lists still are)."""
    from .concern_bridge import concern_model_status
    return concern_model_status()


def screen(text: str, book: PhraseBook | None = None, model=_DEFAULT) -> Screening:
    """Screen ``text`` for words that may disclose risk to a child.

    Pure: the same text, phrase book and model always give the same answer.
    An ordinary phrase (``ordinary.txt``) vetoes a phrase match when it covers
    the match's last word; it never vetoes the model. ``model``: a loaded
    ``ConcernModel``, None for the phrase lists alone, or (by default) the
    shipped model, loaded once per process.
    """
    book = book or default_phrase_book()
    words = _normalise(text, book)
    if not words:
        return Screening(False)
    categories: list[str] = []
    matches: list[Match] = []
    for number, start, end in find(book, words):
        category, line = book.phrases[number]
        matches.append(Match(category, line, " ".join(words[start:end])))
        if category not in categories:
            categories.append(category)
    if model is _DEFAULT:
        from .concern_bridge import default_concern_model
        model = default_concern_model()
    if model is None:
        return Screening(bool(categories), tuple(categories), tuple(matches))
    result = model.score(text)
    if result.flagged:
        for kind in result.kinds:
            category = MODEL_KINDS.get(kind, kind)
            if category not in categories:
                categories.append(category)
    return Screening(bool(categories) or result.flagged, tuple(categories), tuple(matches),
                     score=round(result.score, 4), model_flagged=result.flagged,
                     reasons=result.reasons)


# --- Escalation ---------------------------------------------------------------

def _kind_of(submission) -> str:
    return "card" if submission.__tablename__ == "action_card" else "feedback"


def _alert(subject: str, lines: list[str], config) -> messages.Message:
    return messages.Message(to=config.get("SAFEGUARDING_ALERT_TO") or "safeguarding@voice.invalid",
                            subject=subject, body="\n".join(lines), kind="safeguarding_alert")


def alert_message(submission, config, link: str | None = None) -> messages.Message:
    """The alert email. Deliberately without the child's words."""
    kind = _kind_of(submission)
    labels = ", ".join(CATEGORIES.get(c, c) for c in (submission.safeguarding_categories or [])) \
        or gettext("not given")
    if kind == "card":
        flagged = gettext("An action card (number %(id)s) was flagged as possibly showing risk "
                          "to a child.", id=submission.id)
        subject = gettext("Safeguarding: an action card needs a person to look at it")
    else:
        flagged = gettext("A feedback entry (number %(id)s) was flagged as possibly showing "
                          "risk to a child.", id=submission.id)
        subject = gettext("Safeguarding: a feedback entry needs a person to look at it")
    body = [
        flagged,
        gettext("Why it was flagged: %(labels)s.", labels=labels),
        "",
        gettext("Sign in to the safeguarding queue to read it and record what was done:"),
        link or "/safeguarding",
        "",
        gettext("The words are not included in this email on purpose."),
    ]
    return _alert(subject, body, config)


def send_alert(message: messages.Message, config) -> str:
    """Send through the message layer. Returns "sent", "logged" (no server or no
    recipient configured) or "failed" (the server refused or was unreachable)."""
    if not config.get("MAIL_SERVER") or not config.get("SAFEGUARDING_ALERT_TO"):
        log.warning("SAFEGUARDING ALERT (no mail server configured): %s", message.subject)
        return messages.LOGGED
    outcome = messages.send(message, config)
    if outcome == messages.FAILED:
        log.error("SAFEGUARDING ALERT NOT SENT: %s", message.subject)
    return outcome


def _queue_link(link: str | None) -> str:
    if link is not None:
        return link
    from flask import url_for
    try:
        return url_for("moderation.safeguarding_queue", _external=True)
    except Exception:  # noqa: BLE001 - outside a request, or the queue not installed
        return "/safeguarding"


def escalate(submission, config=None, link: str | None = None) -> str:
    """Alert the safeguarding lead about a committed, flagged ``submission``
    (an ActionCard or FeedbackEntry), audit the alert and commit that audit.

    Never raises for mail problems: the submission is already safe in the
    database and shows first in the safeguarding queue either way. Returns
    the outcome of ``send_alert``.
    """
    from flask import current_app

    from . import audit
    from .extensions import db

    config = config or current_app.config
    outcome = send_alert(alert_message(submission, config, _queue_link(link)), config)
    audit.record("safeguarding.alert", None, submission, outcome=outcome,
                 categories=list(submission.safeguarding_categories or []))
    db.session.commit()
    return outcome


def batch_alert_message(batch, flagged: int, categories: dict[str, int], config,
                        link: str | None = None) -> messages.Message:
    """One alert for every flagged entry of an import. Deliberately without the
    families' words, the file name or row contents: only counts and where to look."""
    labels = "; ".join(f"{CATEGORIES.get(c, c)}: {n:,}" for c, n in
                       sorted(categories.items(), key=lambda item: (-item[1], item[0])))
    entries, need = ("1 entry", "needs") if flagged == 1 else (f"{flagged:,} entries", "need")
    return _alert(f"Safeguarding: {entries} from a forum import {need} a person to look", [
        f"A forum import (import number {batch.id}) brought in {entries} flagged as possibly "
        "showing risk to a child. They are held back from publishing and wait first in the "
        "safeguarding queue.",
        f"Why they were flagged: {labels or 'not given'}.",
        "",
        "Sign in to the safeguarding queue to read them and record what was done:",
        link or "/safeguarding",
        "",
        "The words are not included in this email on purpose.",
    ], config)


def escalate_batch(batch, flagged: int, categories: dict[str, int], config=None,
                   link: str | None = None) -> str:
    """ONE alert for the ``flagged`` entries of a committed import ``batch``
    (``categories``: how many flagged entries raised each category), audited
    against the batch and committed. A bulk import never sends one email per row.
    Never raises for mail problems; returns the outcome of ``send_alert``."""
    from flask import current_app

    from . import audit
    from .extensions import db

    config = config or current_app.config
    message = batch_alert_message(batch, flagged, categories, config, _queue_link(link))
    outcome = send_alert(message, config)
    audit.record("safeguarding.alert", None, batch, outcome=outcome, flagged=flagged,
                 categories=dict(sorted(categories.items())))
    db.session.commit()
    return outcome
