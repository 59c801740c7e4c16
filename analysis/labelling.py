"""Theme labels, keywords and representative quotes.

Distinctive terms come from class-based TF-IDF (c-TF-IDF): each theme's items are pooled into
one document, term frequencies are normalised per theme and weighted by
``log(1 + mean_terms_per_theme / frequency_of_term_over_all_themes)``, so words common to every
theme (e.g. "staff" in a staff-heavy corpus) rank below words that set a theme apart.
Keywords are shown in the original words (``SurfaceForms``), never as stems.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from .prepare import SurfaceForms

# Words that help group texts but make poor labels on their own.
WEAK_LABEL_WORDS = frozenset({"not", "no", "more", "less", "least", "never", "none", "again",
                              "enough", "like", "get", "know", "make", "thing", "got", "need"})


def class_tfidf(term_lists: list[list[str]], assignment: list[int], n_themes: int,
                weights: list[int] | None = None) -> list[dict[str, float]]:
    """Return, for each theme 0..n_themes-1, a dict term -> c-TF-IDF weight.

    ``term_lists[i]`` are the analysed terms of item i, ``assignment[i]`` its theme index
    (negative for "other", ignored) and ``weights[i]`` how many times it occurs."""
    per_theme = [Counter() for _ in range(n_themes)]
    for i, terms in enumerate(term_lists):
        k = assignment[i]
        if k < 0 or not terms:
            continue
        w = weights[i] if weights is not None else 1
        for term in set(terms):  # presence per item: one long text must not dominate
            per_theme[k][term] += w
    totals: Counter = Counter()
    for c in per_theme:
        totals.update(c)
    mean_terms = np.mean([sum(c.values()) for c in per_theme]) if per_theme else 0.0
    out = []
    for c in per_theme:
        size = sum(c.values()) or 1
        out.append({t: (n / size) * float(np.log1p(mean_terms / totals[t])) for t, n in c.items()
                    if n >= 2 or size <= 20})
    return out


def top_terms(weights: dict[str, float], n: int = 30) -> tuple[tuple[str, float], ...]:
    """The ``n`` heaviest terms, ties broken alphabetically (deterministic)."""
    ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return tuple((t, round(w, 5)) for t, w in ranked)


def keywords(terms: tuple[tuple[str, float], ...], surface: SurfaceForms, n: int = 8) -> tuple[str, ...]:
    """Readable keywords from weighted terms, best first, without repeating each other: a
    phrase whose words are already shown replaces the first of them ("short breaks" rather than
    "breaks", "short"), and a word already inside a shown phrase is skipped."""
    chosen: list[tuple[str, set[str]]] = []  # (term, its parts)
    for term, _ in terms:
        if term in WEAK_LABEL_WORDS:
            continue
        parts = {term} if term.startswith("emoji_") else set(term.replace("NOT_", "").split("_"))
        if len(parts) == 1 and any(parts <= p for _, p in chosen):
            continue
        if len(parts) > 1:
            covering = [i for i, (t, p) in enumerate(chosen) if len(p) == 1 and p <= parts]
            if covering and {x for i in covering for x in chosen[i][1]} == parts:
                chosen[covering[0]] = (term, parts)
                chosen = [c for i, c in enumerate(chosen) if i not in covering[1:]]
                continue
            if any(parts == p for _, p in chosen):
                continue
        chosen.append((term, parts))
        if len(chosen) == n:
            break
    words: list[str] = []
    for term, _ in chosen:
        word = surface.readable(term)
        if word not in words:
            words.append(word)
    return tuple(words)


def make_label(words: tuple[str, ...], n: int = 3) -> str:
    """A short human-readable name from the best keywords: "Waiting, appointments and referral"."""
    words = [w for w in words[:n] if w]
    if not words:
        return "Unlabelled"
    text = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return text[0].upper() + text[1:]


def representative_quotes(texts: list[str], similarity: np.ndarray, members: np.ndarray,
                          n: int = 3, max_chars: int = 300, term_lists: list[list[str]] | None = None,
                          weights: dict[str, float] | None = None) -> tuple[str, ...]:
    """Up to ``n`` distinct texts among ``members`` (indices) that best represent a theme:
    close to its centre (``similarity``) and, when ``term_lists``/``weights`` are given, using
    its distinctive terms; texts of 4..60 words come first; trimmed to ``max_chars``."""
    if len(members) == 0:
        return ()
    score = similarity[members].astype(np.float64)
    if term_lists is not None and weights:
        cover = np.array([sum(weights.get(t, 0.0) for t in set(term_lists[i])) / np.sqrt(len(set(term_lists[i])) or 1)
                          for i in members])
        if cover.max() > 0:
            score = score * (0.5 + 0.5 * cover / cover.max())
    lengths = np.array([len(texts[i].split()) for i in members])
    good = (lengths >= 4) & (lengths <= 60)
    order = members[np.lexsort((-score, ~good))]  # readable length first, then best score
    quotes: list[str] = []
    seen: set[str] = set()
    for i in order:
        text = " ".join(str(texts[i]).split())
        key = text.lower()
        if not text or key in seen:
            continue
        seen.add(key)
        quotes.append(text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "\u2026")
        if len(quotes) == n:
            break
    return tuple(quotes)
