"""A theme's feeling in words, the one rule: the dashboard, its exports and the review pack
read a theme's sentiment as "Mostly negative: 7 in 10 negative, ..." from here."""
from __future__ import annotations

from flask_babel import gettext as _

from ..i18n import N_

# The one rule for a theme's feeling in words: "Mostly negative" when more than half of
# its scored items read negative and the share shown is more than 5 in 10 (15 of 29 is
# more than half, but reads "5 in 10 negative ... 5 in 10 positive": that is "Mixed"),
# "Mostly positive" likewise, "Mixed" otherwise. Items are negative, neutral or positive by
# the sentiment model's cut-offs (``analysis_bridge.sentiment_cutoffs``). No mean score is
# ever shown.
MOSTLY = 0.5


def feeling_word(negative: int, positive: int, scored: int) -> str:
    """"Mostly negative", "Mostly positive" or "Mixed" (the rule above)."""
    if not scored:
        return _("Mixed")
    neg, _mid, pos = tenths((negative, max(0, scored - negative - positive), positive), scored)
    if negative > MOSTLY * scored and neg > 5:
        return _("Mostly negative")
    if positive > MOSTLY * scored and pos > 5:
        return _("Mostly positive")
    return _("Mixed")


def tenths(counts: tuple[int, ...], scored: int) -> tuple[int, ...]:
    """Each count in tenths of ``scored``, rounded so that they add up to 10
    (largest remainders; of equal remainders the larger count first, so 11 of 20 reads 6 in
    10, not 5), so "7 in 10 ... 2 in 10 ... 1 in 10" reads whole."""
    exact = [10 * c / scored for c in counts]
    out = [int(x) for x in exact]
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - out[i]), -counts[i], i))
    for i in order[:10 - sum(out)]:
        out[i] += 1
    return tuple(out)


# One whole sentence for each set of parts that are not 0 in 10 (negative, mixed or
# neutral, positive), so a translation never joins pieces.
_SHARES = {
    (True, True, True): N_("%(feeling)s: %(negative)s in 10 negative, %(mixed)s in 10 mixed or "
                           "neutral, %(positive)s in 10 positive"),
    (True, True, False): N_("%(feeling)s: %(negative)s in 10 negative, %(mixed)s in 10 mixed "
                            "or neutral"),
    (True, False, True): N_("%(feeling)s: %(negative)s in 10 negative, %(positive)s in 10 "
                            "positive"),
    (False, True, True): N_("%(feeling)s: %(mixed)s in 10 mixed or neutral, %(positive)s in 10 "
                            "positive"),
    (True, False, False): N_("%(feeling)s: %(negative)s in 10 negative"),
    (False, True, False): N_("%(feeling)s: %(mixed)s in 10 mixed or neutral"),
    (False, False, True): N_("%(feeling)s: %(positive)s in 10 positive"),
}


def share_words(negative: int, positive: int, scored: int) -> str:
    """A theme's sentiment a person can read: "Mostly negative: 7 in 10 negative,
    2 in 10 mixed or neutral, 1 in 10 positive" (tenths of its scored items); a part that
    is 0 in 10 is left out ("Mixed: 5 in 10 negative, 5 in 10 positive"). The one home of
    these words: the dashboard, its exports and the review pack use it."""
    neutral = max(0, scored - negative - positive)
    neg, mid, pos = tenths((negative, neutral, positive), scored)
    return _(_SHARES[(neg > 0, mid > 0, pos > 0)], feeling=feeling_word(negative, positive, scored),
             negative=neg, mixed=mid, positive=pos)
