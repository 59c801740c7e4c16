"""The review pack's feeling: the share of negative and positive voices in the period, read
from the items with words and a score, and the sentence saying why some voices counted in the
volume are not in it (waiting for moderation or the safeguarding check, no words to read, not
analysed yet), the gap given as a number only when it is not a small group itself.
"""
from __future__ import annotations

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import analysis_bridge, disclosure
from ..i18n import N_
from ..insight.feeling import share_words
from ..models import FeedbackEntry
from .pack_types import SMALL_GROUP, Sentiment, shown, suppress

# Why an item counted among the voices is not read for feeling, in the order they are named.
UNREAD_REASONS = {
    "waiting": N_("waiting for moderation or the safeguarding check"),
    "no_words": N_("with no words to read"),
    "analysing": N_("not analysed yet"),
}


def _words_of(item) -> str:
    if isinstance(item, FeedbackEntry):
        return "\n".join(t for t in (item.went_well_redacted or item.went_well,
                                     item.could_be_better_redacted or item.could_be_better) if t)
    return item.text_redacted or item.text or ""


def _unread_reason(item) -> str | None:
    """Why ``item`` has no feeling to read (a key of ``UNREAD_REASONS``), or None."""
    if not _words_of(item).strip():
        return "no_words"  # a score for no words (the engine gives 0) is not a feeling
    if item.sentiment is not None:
        return None
    return "analysing" if item.is_published else "waiting"


def _unread(reasons: list[str], scored: int, total) -> str | None:
    """The sentence saying why ``len(reasons)`` voices are not read for feeling. The gap is
    given as a number only when it is not a small group itself (``disclosure``); which
    reasons apply is said without numbers."""
    if not reasons:
        return None
    named = format_list([_(UNREAD_REASONS[key]) for key in UNREAD_REASONS if key in reasons],
                        style="or", locale=get_locale() or "en")
    if not shown(total):
        return _("Feeling is read from %(scored)s items: some voices are not in it, because "
                 "they are %(reasons)s.", scored=f"{scored:,}", reasons=named)
    if disclosure.is_small(len(reasons), SMALL_GROUP):
        return _("Feeling is read from %(scored)s items: a few voices (fewer than 10) are not "
                 "in it, because they are %(reasons)s.", scored=f"{scored:,}", reasons=named)
    return _("Feeling is read from %(scored)s of the %(total)s voices: the other %(gap)s are "
             "%(reasons)s.", scored=f"{scored:,}", total=f"{total:,}",
             gap=f"{len(reasons):,}", reasons=named)


def pack_sentiment(items, total=None) -> Sentiment:
    """The period's feeling from the items with words and a score; ``total``: the voices
    the volume table shows (a number, or its text when not shown)."""
    why = [(item, _unread_reason(item)) for item in items]
    reasons = [reason for _item, reason in why if reason is not None]
    scores = [item.sentiment for item, reason in why if reason is None]
    if len(scores) < SMALL_GROUP:
        return Sentiment(suppress(len(scores)), None, None, None)
    below, above = analysis_bridge.sentiment_cutoffs()
    positive, negative = sum(s > above for s in scores), sum(s < below for s in scores)
    return Sentiment(len(scores), None, round(100 * positive / len(scores)),
                     round(100 * negative / len(scores)),
                     share_words(negative, positive, len(scores)),
                     unread=_unread(reasons, len(scores), total))
