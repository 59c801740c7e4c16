"""Hashed character n-grams inside word boundaries, counted a word at a time.

``CharGrams(bits).counts(texts)`` gives exactly the matrix of scikit-learn's
``HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=2**bits,
alternate_sign=False, norm=None, lowercase=False)`` (same columns, same counts: a test
compares them on every text of the shared data sets and on awkward Unicode), but each
distinct word's n-grams are made and hashed once and remembered. scikit-learn's analyser
builds every n-gram of every text in Python, which was half of the time the themes spent
on sentiment for 30,000 distinct texts; texts share most of their words, so the cache
turns that into one dictionary lookup per word.

Used by the sentiment model (``sentiment_model.features``) and the safeguarding model
(``concern``), so both read text the same way they were trained to.
"""
from __future__ import annotations

from threading import Lock
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.utils import murmurhash3_32

CACHE_LIMIT = 200_000  # distinct words remembered; the cache is emptied when full


def wb_grams(word: str, min_n: int = 2, max_n: int = 5) -> list[str]:
    """The character n-grams of one word padded with a space each side, in scikit-learn's
    ``char_wb`` order (a word shorter than ``n`` counts once, whole)."""
    padded = f" {word} "
    length = len(padded)
    grams: list[str] = []
    for n in range(min_n, max_n + 1):
        if length <= n:
            grams.append(padded)
            break
        grams.extend(padded[i:i + n] for i in range(length - n + 1))
    return grams


class CharGrams:
    """Hashed ``char_wb`` n-gram counts of texts, with a per-word cache (thread-safe: the
    cache only ever gains true facts, and is swapped whole when full)."""

    def __init__(self, bits: int, ngram_range: tuple[int, int] = (2, 5)) -> None:
        self.width = 2 ** bits
        self.min_n, self.max_n = ngram_range
        self._cache: dict[str, np.ndarray] = {}
        self._lock = Lock()

    def _column(self, gram: str) -> int:
        h = murmurhash3_32(gram, seed=0)
        # scikit-learn's rule, including for -2**31 (whose abs overflows an int32)
        return (2147483647 - (self.width - 1)) % self.width if h == -2147483648 \
            else abs(h) % self.width

    def word_ids(self, word: str) -> np.ndarray:
        """The columns of ``word``'s n-grams (with repeats), remembered."""
        found = self._cache.get(word)
        if found is None:
            found = np.fromiter((self._column(g) for g in wb_grams(word, self.min_n, self.max_n)),
                                dtype=np.int32)
            with self._lock:
                if len(self._cache) >= CACHE_LIMIT:
                    self._cache = {}
                self._cache[word] = found
        return found

    def counts(self, texts: Sequence[str], dtype=np.float32) -> sp.csr_matrix:
        """Sparse (len(texts), 2**bits) counts; words are split on whitespace, as
        scikit-learn's ``char_wb`` does."""
        ids = self.word_ids
        rows = [[ids(w) for w in text.split()] for text in texts]
        lengths = np.fromiter((sum(len(a) for a in row) for row in rows), np.int64, len(rows))
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        flat = [a for row in rows for a in row]
        indices = np.concatenate(flat) if flat else np.zeros(0, np.int32)
        matrix = sp.csr_matrix((np.ones(len(indices), dtype=dtype), indices, indptr),
                               shape=(len(rows), self.width))
        matrix.sum_duplicates()
        return matrix
