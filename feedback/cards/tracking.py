"""What the track page shows the person holding a receipt code.

``describe(kind, item)`` gives the current status in plain words, the item's
(redacted) words, every response (the commissioner's answers), the provider's
published replies apart from them, and one dated line per change: sent,
checked by a moderator, then each answer status move. A feedback entry's
first "received" history row is the sending itself, so it is not a second line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .. import redaction
from ..models.submissions import STATUSES

_MODERATED = {"approved": "Approved by a moderator",
              "rejected": "Checked by a moderator: not published"}


@dataclass(frozen=True)
class Step:
    label: str
    at: datetime
    reason: str | None = None


@dataclass(frozen=True)
class Tracked:
    kind: str  # "card" | "feedback"
    item: object
    current: str = ""
    words: list = field(default_factory=list)  # [(heading, redacted text)]
    steps: list = field(default_factory=list)
    responses: list = field(default_factory=list)
    replies: list = field(default_factory=list)  # the provider's published replies


def _redacted(redacted: str | None, original: str | None) -> str:
    if redacted is not None:
        return redacted
    return redaction.redact(original or "")


def _words(kind: str, item) -> list[tuple[str, str]]:
    if kind == "card":
        return [("What you wrote", _redacted(item.text_redacted, item.text))]
    words = [("What went well", _redacted(item.went_well_redacted, item.went_well)),
             ("What could be better", _redacted(item.could_be_better_redacted,
                                                item.could_be_better))]
    return [(heading, text) for heading, text in words if text.strip()]


def _current(item) -> str:
    return item.current_label  # the one home of these words (``models.submissions``)


def _steps(item) -> list[Step]:
    steps = [Step("Received", item.created_at)]
    # A flagged item stays with the safeguarding lead whatever a moderator did:
    # the page says no more than "received" about it.
    if item.moderated_at is not None and item.moderation_state in _MODERATED \
            and not item.safeguarding_flagged:
        steps.append(Step(_MODERATED[item.moderation_state], item.moderated_at))
    for change in item.history:
        if change.to_status == "received" and change.from_status is None:
            continue  # the sending itself, already the first line
        steps.append(Step(STATUSES.get(change.to_status, change.to_status), change.changed_at,
                          change.reason))
    return sorted(steps, key=lambda step: step.at)


def describe(kind: str, item) -> Tracked:
    return Tracked(kind, item, _current(item), _words(kind, item), _steps(item),
                   sorted(item.responses, key=lambda r: r.created_at),
                   [reply for reply in item.provider_replies if reply.is_published])
