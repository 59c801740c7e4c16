"""What the safeguarding screen cannot read (docs/safeguarding.md).

The screen (feedback/safeguarding.py) and its phrase lists and model read English only. A card
or feedback entry written in Welsh is held for a person: ``unscreened_reason`` gives the
moderation reason to store, or None for text the screen can read. Pure: no Flask, no database.
"""
from __future__ import annotations

import re

WELSH_REASON = "written in Welsh: the screen reads English only"

# Common Welsh words, including the short ones every sentence has. English shares a few
# ("a", "i", "o", "am", "at", "dim", "help"): those count only beside other Welsh words.
_WELSH_WORDS = frozenset("""
a ac ar am at y yr yn ei eu ein eich fy dy mae maen oedd oes bod wedi ddim dim nid na nad
ond os gyda gan efo i o fi ti fe fo hi ni chi nhw hwn hon hyn hynny yma yna beth pam pryd
sut lle pwy ydw ydy ydyn wyt dwi dw rwy rydw rydyn roedd fydd bydd gallu gall eisiau isio
angen hefyd iawn mwy llawer rhaid gwneud cael mynd dod gweld dweud ysgol athro athrawon
gwasanaeth plant plentyn teulu mam dad helpu help diolch mae'r i'r o'r yn y ar y dydw
dydy does fydda hoffi gweithiwr cymdeithasol clwb ieuenctid cartref
""".split())
_SHARED = frozenset({"a", "i", "o", "am", "at", "dim", "help"})
_WORD = re.compile(r"[a-zâêîôûŵŷäëïöüẅÿáéíóúẃýàèìòùẁỳ']+")
MIN_WORDS = 6
WELSH_SHARE = 0.25


def looks_welsh(text: str | None) -> bool:
    """True when at least a quarter of the words (of six or more) are common Welsh words
    English does not share. A simple rule by design: it routes to a person, never decides."""
    words = _WORD.findall((text or "").lower())
    if len(words) < MIN_WORDS:
        return False
    welsh = sum(1 for word in words if word in _WELSH_WORDS and word not in _SHARED)
    return welsh / len(words) >= WELSH_SHARE


def unscreened_reason(*texts: str | None, page_language: str | None = None) -> str | None:
    """The moderation reason for texts the screen cannot read: the page was in Welsh, or
    any text looks Welsh. None when the screen's English reading can be trusted."""
    if page_language == "cy" or any(looks_welsh(text) for text in texts):
        return WELSH_REASON
    return None
