"""What a theme run shows a person: text vectors in, labels, keywords, quotes, sizes and
sentiment out, for themes and their sub-themes.

- ``embed_texts(texts, vectoriser, seed)``: unit rows for the distinct texts and the function
  that embeds label candidates in the same space. ``"vectors"`` (default) uses the static token
  tables (``vectors.default_vectors``); when a table is not installed the run falls back to
  ``"tfidf"`` and says so in ``run.vectoriser``.
- ``sentiments_of(texts)``: the sentiment model's score per item, each distinct text scored once,
  reading the text vectors the run already has (``vectors.KnownVectors``).
- ``describe_groups(...)``: one dict per theme (the fields of ``Theme`` without ids) with a
  ``subthemes`` list of dicts (the fields of ``SubTheme`` without ids and centres).

Labels come from ``phrases.label_groups`` (phrases of the texts, near the group's centre and
typical of it); keywords from class-based TF-IDF over the analysed terms (``labelling.py``),
both on a seeded sample of at most ``phrases.SAMPLE`` texts per theme. A sub-theme's label
reads the members of its theme's sample, topped up to ``SUB_LABEL_SAMPLE`` (so 100,000 texts
are not all read for phrases: the sub-themes' samples used to cover most of them).
"""

from __future__ import annotations

import numpy as np

from .labelling import class_tfidf, keywords, representative_quotes, top_terms
from .phrases import SAMPLE, label_groups, surface_forms, vocabulary
from .prepare import SurfaceForms, analyse
from .sentiment import score_sentiment, start_text_part

SUB_LABEL_SAMPLE = 400  # members at least read for a sub-theme's label (a theme reads SAMPLE)


def embed_texts(texts: list[str], vectoriser: str, seed: int):
    """(unit rows float32, embed(list[str]) -> unit rows, the vectoriser actually used)."""
    if vectoriser == "vectors":
        from .vectors import VectorsMissing, default_vectors  # noqa: PLC0415

        try:
            vectors = default_vectors()
        except VectorsMissing:
            vectoriser = "tfidf"
        else:
            return vectors.embed(texts), vectors.embed, "vectors:" + vectors.name
    from .vectorise import make_vectoriser  # noqa: PLC0415

    vec = make_vectoriser(vectoriser, seed=seed)
    if not texts:
        return np.zeros((0, 1), np.float32), lambda more: np.zeros((len(more), 1), np.float32), vectoriser
    X = np.asarray(vec.fit_transform(texts), dtype=np.float32)
    return X, lambda more: np.asarray(vec.transform(list(more)), dtype=np.float32), vectoriser


def _index(texts: list[str]) -> tuple[np.ndarray, list[str]]:
    index: dict[str, int] = {}
    where = np.fromiter((index.setdefault(t, len(index)) for t in texts), np.int64, len(texts))
    return where, list(index)


def start_sentiments(texts: list[str], analyser=None):
    """Start the part of ``sentiments_of(texts, analyser)`` that needs no text vectors in a
    second process when that pays (``sentiment.start_text_part``); None otherwise."""
    return start_text_part(_index(texts)[1], analyser)


def sentiments_of(texts: list[str], analyser=None, vectors=None, pending=None) -> np.ndarray:
    """Sentiment score of every text (the model's, or ``analyser``'s); identical texts are
    scored once. ``vectors``: the run's text vectors already computed (``KnownVectors``);
    ``pending``: ``start_sentiments`` of the same texts and analyser."""
    where, distinct = _index(texts)
    scores = np.array(score_sentiment(distinct, analyser, vectors=vectors, pending=pending), dtype=np.float64)
    return scores[where] if len(texts) else np.zeros(0)


def _centroid(X: np.ndarray, members: np.ndarray, weights: np.ndarray) -> np.ndarray:
    c = (X[members] * weights[members, None]).sum(axis=0) if len(members) else np.zeros(X.shape[1])
    norm = float(np.linalg.norm(c))
    return (c / norm if norm > 0 else c).astype(np.float32)


def describe_groups(texts, counts, assign, sub_of, sim, item_unique, sentiments, centres, sub_centres,
                    X, embed, *, seed: int = 0, n_keywords: int = 8, n_quotes: int = 3) -> list[dict]:
    """The shown fields of every theme and sub-theme (see the module docstring)."""
    k = len(centres)
    if not k:
        return []
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(assign == n) for n in range(k)]
    sampled = [g if len(g) <= SAMPLE else np.sort(rng.choice(g, SAMPLE, replace=False)) for g in groups]
    read = sorted({int(i) for g in sampled for i in g})
    vocab, forms = vocabulary([texts[i] for i in read]), surface_forms([texts[i] for i in read])
    surface = SurfaceForms()
    terms = {i: analyse(texts[i], surface=surface) for i in read}

    raw = np.vstack([_centroid(X, g, counts) for g in groups])
    labels = label_groups(texts, counts, groups, raw, embed, seed=seed, vocab=vocab, forms=forms)
    weights = _weights(terms, sampled, counts)
    item_theme = assign[item_unique]
    item_sub = sub_of[item_unique]
    taken = {label.lower() for label in labels}  # no label twice in the whole run
    out = []
    for n, members in enumerate(groups):
        words = keywords(top_terms(weights[n]), surface, n_keywords)
        closeness = np.zeros(len(texts), np.float32)
        closeness[members] = X[members] @ raw[n]
        draft = dict(label=labels[n], keywords=words, terms=top_terms(weights[n]),
                     size=int(counts[members].sum()),
                     sentiment=round(float(sentiments[item_theme == n].mean()), 4),
                     quotes=representative_quotes(texts, closeness, members, n_quotes),
                     subthemes=[])
        n_subs = len(sub_centres[n])
        if n_subs:
            subs = [members[sub_of[members] == m] for m in range(n_subs)]
            sub_raw = np.vstack([_centroid(X, g, counts) for g in subs])
            sub_sampled = [np.intersect1d(g, sampled[n]) for g in subs]
            sub_labels = label_groups(texts, counts, subs, sub_raw, embed, seed=seed,
                                      taken=taken, vocab=vocab, forms=forms,
                                      samples=_topped_up(subs, sub_sampled, rng))
            sub_weights = _weights(terms, sub_sampled, counts)
            mine = item_theme == n
            for m, g in enumerate(subs):
                closeness[g] = X[g] @ sub_raw[m]
                draft["subthemes"].append(dict(
                    label=sub_labels[m], keywords=keywords(top_terms(sub_weights[m]), surface, n_keywords),
                    size=int(counts[g].sum()),
                    sentiment=round(float(sentiments[mine & (item_sub == m)].mean()), 4),
                    quotes=representative_quotes(texts, closeness, g, n_quotes)))
        out.append(draft)
    return out


def _topped_up(groups: list[np.ndarray], read: list[np.ndarray], rng) -> list[np.ndarray]:
    """The members a sub-theme's label is chosen from: those of its theme's sample (already
    read for the theme's label, so their phrases are known), topped up with other members
    to at least ``SUB_LABEL_SAMPLE`` (or all of a smaller sub-theme)."""
    out = []
    for g, have in zip(groups, read):
        short = min(len(g), SUB_LABEL_SAMPLE) - len(have)
        if short > 0:
            extra = rng.choice(np.setdiff1d(g, have), short, replace=False)
            have = np.sort(np.concatenate([have, extra]))
        out.append(have)
    return out


def _weights(terms: dict[int, list[str]], groups: list[np.ndarray], counts: np.ndarray):
    rows = [i for g in groups for i in g]
    assignment = [n for n, g in enumerate(groups) for _ in g]
    return class_tfidf([terms[int(i)] for i in rows], assignment, len(groups),
                       [int(counts[i]) for i in rows])
