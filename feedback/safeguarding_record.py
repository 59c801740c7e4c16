"""What the screen leaves on a card or feedback entry for the safeguarding lead.

``screen()`` (``feedback.safeguarding``) answers for one text; this module turns
one or more of its answers into what is stored on the item at screening time,
so the lead later sees why it was raised even if the phrase lists or the model
have changed since:

- ``trigger``: ``{"phrases": [{"category", "phrase", "words"}], "reasons": [...]}``
  (the phrase lines that matched and the words they matched; the words that
  weighed most in the model's score), or None when nothing matched;
- ``score``: the model's calibrated probability of concern, the highest over
  the item's texts, or None when no model was in use.

``PRIORITY_CATEGORIES`` are the kinds of harm a lead reads first.
"""
from __future__ import annotations

from dataclasses import dataclass

# Self-harm, sexual abuse and exploitation first (the lead's queue order).
PRIORITY_CATEGORIES = ("self_harm", "sexual_abuse", "exploitation", "online_grooming")


@dataclass(frozen=True)
class Trigger:
    trigger: dict | None
    score: float | None


def trigger_of(*screenings) -> Trigger:
    """The stored trigger of an item whose texts gave ``screenings`` (Screening
    values; None for an empty text). Phrases and reasons keep their order, once each."""
    phrases: list[dict] = []
    reasons: list[str] = []
    scores: list[float] = []
    for screening in screenings:
        if screening is None:
            continue
        for match in screening.matches:
            found = {"category": match.category, "phrase": match.phrase, "words": match.text}
            if found not in phrases:
                phrases.append(found)
        for reason in screening.reasons or ():
            if reason not in reasons:
                reasons.append(str(reason))
        if screening.score is not None:
            scores.append(float(screening.score))
    trigger = {"phrases": phrases, "reasons": reasons} if phrases or reasons else None
    return Trigger(trigger, max(scores) if scores else None)


def is_priority(categories) -> bool:
    return any(c in PRIORITY_CATEGORIES for c in (categories or ()))
