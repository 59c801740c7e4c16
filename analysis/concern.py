"""A learned safeguarding screen: how likely a text is to show a child at risk.

Pure: plain texts and labels in, a ``ConcernModel`` out; no web framework or database.
The model is a calibrated linear one (scikit-learn logistic regression) over three blocks:

- word 1-2-grams and character 2-5-grams (inside word boundaries, so misspellings and
  text-speak share most of their features with the spelling they stand for), hashed into a
  fixed space so the saved model needs no vocabulary;
- optionally the semantic text vectors of ``analysis.vectors`` (any object with ``dim`` and
  ``embed(texts) -> (n, dim)`` rows), so "he grabs my arm" is near "he hurts me".

A text is scored whole; a model trained with ``segmented=True`` also scores it clause by
clause and takes the highest (so a disclosure at the end of a long complaint is not diluted),
which trades some recall elsewhere: docs/safeguarding.md gives the measured choice.
``ConcernModel.score(text)`` gives the calibrated probability, whether it passes the
threshold (chosen for recall on out-of-fold scores of the training texts, never on the
evaluation texts), the likely kinds of harm and the words that weighed most.

The saved form is a NumPy ``.npz`` of arrays and one JSON header: no pickle is ever loaded.
"""
from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, HashingVectorizer
from sklearn.utils import murmurhash3_32

from .hashing import CharGrams
from .vectors import same_fingerprint

FORMAT = 1
WORD_BITS = 18
CHAR_BITS = 18
KIND_BITS = 16
MAX_SEGMENTS = 16
_CACHE_LIMIT = 200_000
# Words never given as a reason on their own (they weigh, but tell a lead nothing).
_QUIET_WORDS = frozenset(ENGLISH_STOP_WORDS) | {"im", "dont", "didnt", "cant", "its", "ive"}


class ConcernModelError(RuntimeError):
    """The model file is missing, damaged or was made for other text vectors."""


class Vectors(Protocol):
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class ConcernScore:
    """``score``: calibrated probability (0 to 1) that the text shows possible risk.
    ``flagged``: ``score >= threshold``. ``kinds``: likely kinds of harm, most likely first
    (only when flagged). ``reasons``: the words or word pairs that weighed most towards
    concern, strongest first (only when flagged)."""

    score: float
    flagged: bool
    kinds: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


# --- Text --------------------------------------------------------------------------

_APOSTROPHES = re.compile(r"['\u2018\u2019`]")
_NON_WORD = re.compile(r"[^\w\s]+")
_REPEATS = re.compile(r"(\w)\1{2,}")
_SPACES = re.compile(r"\s+")
# Sentence ends are consumed (they become spaces anyway); before a joining word the split is
# zero-width, so the words of the segments are exactly the words of the whole text.
_SEGMENT_SPLIT = re.compile(r"[.!?;\n]+|(?=\b(?:but|and then|then|also|btw|oh and)\b)", re.I)


def normalise(text: str) -> str:
    """Lower case, compatibility-folded, apostrophes dropped ("don't" -> "dont"), letters
    repeated three or more times squeezed to two, punctuation to spaces."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _APOSTROPHES.sub("", text)
    text = _REPEATS.sub(r"\1\1", text)
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def segments(text: str, max_segments: int = MAX_SEGMENTS) -> list[str]:
    """The text's sentences and clauses, a very short one joined to the one before (and one
    after a clause of under four words), at most ``max_segments`` (the rest joined to the last)."""
    parts = [p.strip() for p in _SEGMENT_SPLIT.split(text or "") if p and p.strip()]
    out: list[str] = []
    for part in parts:
        if out and (len(out[-1].split()) < 4 or len(part.split()) < 3):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    if len(out) > max_segments:
        out = out[:max_segments - 1] + [" ".join(out[max_segments - 1:])]
    return out


def _word_hasher(bits: int) -> HashingVectorizer:
    return HashingVectorizer(n_features=2 ** bits, analyzer="word", ngram_range=(1, 2),
                             token_pattern=r"(?u)\b\w+\b", alternate_sign=False, norm=None,
                             lowercase=False, dtype=np.float32)


def _l2_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))).ravel()
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


@dataclass
class _Featuriser:
    """Texts -> one sparse row each: [words | characters | vectors], each block L2-normed and
    weighted. Rows of the same text are the same whatever else is in the batch.

    ``word_weight`` scales the word block for fitting; ``fold`` turns weights fitted on such
    rows into weights over unscaled rows (the same margins), so a saved model and its fast
    scorer never need to know it."""

    word_bits: int
    char_bits: int
    vector_weight: float
    vectors: Vectors | None = None
    word_weight: float = 1.0  # training only: a saved model has it folded into its weights
    _word: HashingVectorizer = field(init=False, repr=False)
    chars: CharGrams = field(init=False, repr=False)  # char_wb 2-5-grams, hashed per word

    def __post_init__(self) -> None:
        self._word = _word_hasher(self.word_bits)
        self.chars = CharGrams(self.char_bits)

    @property
    def uses_vectors(self) -> bool:
        return self.vectors is not None and self.vector_weight > 0

    @property
    def width(self) -> int:
        extra = self.vectors.dim if self.uses_vectors else 0
        return 2 ** self.word_bits + 2 ** self.char_bits + extra

    def counts(self, normalised: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        return sp.csr_matrix(self._word.transform(normalised)), self.chars.counts(normalised)

    def rows(self, words: sp.csr_matrix, chars: sp.csr_matrix,
             raw: Sequence[str] | None) -> sp.csr_matrix:
        blocks = [_l2_rows(words) * self.word_weight if self.word_weight != 1 else
                  _l2_rows(words), _l2_rows(chars)]
        if self.uses_vectors:
            assert raw is not None
            embedded = np.asarray(self.vectors.embed(list(raw)), dtype=np.float32)
            blocks.append(sp.csr_matrix(embedded * self.vector_weight))
        return sp.csr_matrix(sp.hstack(blocks, format="csr"))

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        words, chars = self.counts([normalise(t) for t in texts])
        return self.rows(words, chars, texts)

    def fold(self, coef: np.ndarray) -> np.ndarray:
        """Weights over these rows -> the same model's weights over rows with word weight 1."""
        coef = np.array(coef, dtype=np.float32).ravel()
        coef[:2 ** self.word_bits] *= self.word_weight
        return coef


# --- The model -----------------------------------------------------------------------

@dataclass
class ConcernModel:
    """A fitted screen. ``coef``/``intercept``: the concern model's weights over the full
    feature row; ``calibration``: (a, b) of the Platt curve p = 1 / (1 + exp(-(a m + b)))
    over the margin m; ``threshold``: the probability at or above which a text is flagged.
    ``kind_coef``/``kind_intercept``: a multinomial model of the kind of harm over a smaller
    feature row (``kind_bits``). ``info``: how it was made (corpus digest, figures)."""

    coef: np.ndarray
    intercept: float
    calibration: tuple[float, float]
    threshold: float
    kinds: tuple[str, ...]
    kind_coef: np.ndarray
    kind_intercept: np.ndarray
    vector_weight: float
    vectors_id: str | None
    word_bits: int = WORD_BITS
    char_bits: int = CHAR_BITS
    kind_bits: int = KIND_BITS
    segmented: bool = False
    info: dict = field(default_factory=dict)
    vectors: Vectors | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._features = _Featuriser(self.word_bits, self.char_bits, self.vector_weight,
                                     self.vectors)
        self._kind_features = _Featuriser(self.kind_bits, self.kind_bits, self.vector_weight,
                                          self.vectors)
        self._coef = np.asarray(self.coef, dtype=np.float32)
        self._kind_coef = np.asarray(self.kind_coef, dtype=np.float32)
        self._n_word, self._n_char = 2 ** self.word_bits, 2 ** self.char_bits
        self._word_cache: dict[str, int] = {}

    # Scoring ---------------------------------------------------------------------------
    def _probability(self, margins: np.ndarray) -> np.ndarray:
        a, b = self.calibration
        return 1.0 / (1.0 + np.exp(-(a * margins + b)))

    def _word_id(self, token: str) -> int:
        found = self._word_cache.get(token)
        if found is None:
            found = abs(murmurhash3_32(token, seed=0)) % self._n_word
            if len(self._word_cache) < _CACHE_LIMIT:
                self._word_cache[token] = found
        return found

    def _parts(self, text: str) -> tuple[list[str], list[str], list[tuple[int, int]]]:
        """The text's raw segments (the whole text last when there are several), its
        normalised words, and each segment's range of word positions."""
        raw = segments(text) if self.segmented else [text]
        words: list[str] = []
        spans: list[tuple[int, int]] = []
        for part in raw:
            start = len(words)
            words.extend(normalise(part).split())
            spans.append((start, len(words)))
        if len(raw) > 1:
            raw.append(text)
            spans.append((0, len(words)))
        return raw, words, spans

    def _block(self, ids: np.ndarray, coef: np.ndarray) -> tuple[float, float]:
        """(coef . counts, |counts|) for feature ids with repeats."""
        if not len(ids):
            return 0.0, 1.0
        _, counts = np.unique(ids, return_counts=True)
        return float(coef[ids].sum()), float(np.sqrt(np.dot(counts, counts)))

    def _segment_margins(self, text: str):
        raw, words, spans = self._parts(text)
        uni = np.fromiter((self._word_id(w) for w in words), dtype=np.int64, count=len(words))
        bi = np.fromiter((self._word_id(f"{a} {b}") for a, b in zip(words, words[1:])),
                         dtype=np.int64, count=max(len(words) - 1, 0))
        chars = [self._features.chars.word_ids(w) for w in words]
        coef_w, coef_c = self._coef[:self._n_word], self._coef[self._n_word:self._n_word + self._n_char]
        margins = np.empty(len(spans))
        norms = []
        for i, (a, b) in enumerate(spans):
            w_sum, w_norm = self._block(np.concatenate([uni[a:b], bi[a:max(b - 1, a)]]), coef_w)
            c_ids = np.concatenate(chars[a:b]) if b > a else np.zeros(0, dtype=np.int32)
            c_sum, c_norm = self._block(c_ids, coef_c)
            margins[i] = w_sum / w_norm + c_sum / c_norm + self.intercept
            norms.append((w_norm, c_norm))
        if self._features.uses_vectors:
            embedded = np.asarray(self.vectors.embed(raw), dtype=np.float32)
            margins += self.vector_weight * (embedded @ self._coef[self._n_word + self._n_char:])
        return margins, words, spans, uni, bi, chars, norms

    def margins(self, texts: Sequence[str]) -> np.ndarray:
        """The highest raw margin over each text's segments and the whole text."""
        return np.array([float(np.max(self._segment_margins(t)[0])) if t and normalise(t)
                         else self.intercept for t in texts])

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        return self._probability(self.margins(texts))

    def score(self, text: str) -> ConcernScore:
        """Score one text (see ``ConcernScore``). A text with no words scores 0."""
        if not text or not normalise(text):
            return ConcernScore(0.0, False)
        margins, words, spans, uni, bi, chars, norms = self._segment_margins(text)
        best = int(np.argmax(margins))
        probability = float(self._probability(np.array([margins[best]]))[0])
        if probability < self.threshold:
            return ConcernScore(probability, False)
        a, b = spans[best]
        w_norm, c_norm = norms[best]
        coef_w, coef_c = self._coef[:self._n_word], self._coef[self._n_word:self._n_word + self._n_char]
        weight: dict[str, float] = {}
        for j in range(a, b):
            word = words[j]
            if word in _QUIET_WORDS or len(word) < 2:
                continue
            weight[word] = max(weight.get(word, -np.inf), float(
                coef_w[uni[j]] / w_norm + coef_c[chars[j]].sum() / c_norm))
        for j in range(a, b - 1):
            if words[j] in _QUIET_WORDS or words[j + 1] in _QUIET_WORDS:
                continue
            weight[f"{words[j]} {words[j + 1]}"] = float(coef_w[bi[j]] / w_norm)
        return ConcernScore(probability, True, self._kinds_of(text, uni, bi, chars),
                            _top_reasons(weight))

    def _kinds_of(self, text: str, uni: np.ndarray, bi: np.ndarray, chars: list[np.ndarray],
                  top: int = 2, floor: float = 0.25) -> tuple[str, ...]:
        """The likely kinds of harm of the whole text (the kind space is the concern space
        folded: ``id % 2**kind_bits``, as the hashing gives)."""
        if not self.kinds:
            return ()
        n_kind = 2 ** self.kind_bits
        logits = self.kind_intercept.astype(np.float64).copy()
        for ids, offset in ((np.concatenate([uni, bi]), 0),
                            (np.concatenate(chars) if chars else np.zeros(0, np.int64), n_kind)):
            if len(ids):
                folded = ids % n_kind
                _, counts = np.unique(folded, return_counts=True)
                logits += self._kind_coef[:, offset + folded].sum(axis=1) / np.sqrt(
                    np.dot(counts, counts))
        if self._kind_features.uses_vectors:
            logits += self.vector_weight * (self._kind_coef[:, 2 * n_kind:] @ np.asarray(
                self.vectors.embed([text]), dtype=np.float32).ravel())
        p = np.exp(logits - logits.max())
        p /= p.sum()
        order = np.argsort(-p)
        chosen = [self.kinds[order[0]]]
        chosen += [self.kinds[j] for j in order[1:top] if p[j] >= floor]
        return tuple(chosen)

    # Saving ----------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        header = {"format": FORMAT, "intercept": self.intercept,
                  "calibration": list(self.calibration), "threshold": self.threshold,
                  "kinds": list(self.kinds), "vector_weight": self.vector_weight,
                  "vectors_id": self.vectors_id, "word_bits": self.word_bits,
                  "char_bits": self.char_bits, "kind_bits": self.kind_bits,
                  "segmented": self.segmented, "info": self.info}
        buffer = io.BytesIO()
        np.savez_compressed(buffer, coef=self._coef.astype(np.float16),
                            kind_coef=self._kind_coef.astype(np.float16),
                            kind_intercept=np.asarray(self.kind_intercept, dtype=np.float32),
                            header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8))
        Path(path).write_bytes(buffer.getvalue())

    @classmethod
    def load(cls, path: str | Path, vectors: Vectors | None = None) -> "ConcernModel":
        """Read a saved model. Raises ``ConcernModelError`` when the file is missing, damaged,
        of another format, or needs text vectors other than ``vectors``."""
        try:
            raw = Path(path).read_bytes()
            with np.load(io.BytesIO(raw), allow_pickle=False) as data:
                header = json.loads(bytes(data["header"]).decode())
                coef, kind_coef = data["coef"], data["kind_coef"]
                kind_intercept = data["kind_intercept"]
        except FileNotFoundError as exc:
            raise ConcernModelError(f"no safeguarding model at {path}") from exc
        except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile,
                UnicodeDecodeError) as exc:
            raise ConcernModelError(f"the safeguarding model at {path} is damaged: {exc}") from exc
        if header.get("format") != FORMAT:
            raise ConcernModelError(f"the safeguarding model at {path} is of format "
                                    f"{header.get('format')!r}, not {FORMAT}")
        needs = header.get("vectors_id")
        if needs and (vectors is None or not same_fingerprint(needs, vectors)):
            raise ConcernModelError(f"the safeguarding model at {path} was made with text "
                                    "vectors that are not loaded (run make install)")
        expected = 2 ** header["word_bits"] + 2 ** header["char_bits"] + (
            vectors.dim if needs else 0)
        if coef.shape != (expected,) or not np.all(np.isfinite(coef)):
            raise ConcernModelError(f"the safeguarding model at {path} is damaged (weights)")
        return cls(coef=coef, intercept=float(header["intercept"]),
                   calibration=tuple(header["calibration"]), threshold=float(header["threshold"]),
                   kinds=tuple(header["kinds"]), kind_coef=kind_coef,
                   kind_intercept=kind_intercept, vector_weight=float(header["vector_weight"]),
                   vectors_id=needs, word_bits=header["word_bits"], char_bits=header["char_bits"],
                   kind_bits=header["kind_bits"], segmented=bool(header.get("segmented")),
                   info=header.get("info", {}),
                   vectors=vectors if needs else None)


def _top_reasons(weight: dict[str, float], top: int = 5) -> tuple[str, ...]:
    """The phrases with the largest positive weight, strongest first, without a word that is
    already part of a chosen pair (or a pair whose words were both chosen)."""
    chosen: list[str] = []
    for phrase in sorted((p for p, w in weight.items() if w > 0), key=lambda p: -weight[p]):
        parts = phrase.split()
        taken = {w for c in chosen for w in c.split()}
        if len(parts) == 1 and parts[0] in taken or len(parts) == 2 and set(parts) <= taken:
            continue
        chosen.append(phrase)
        if len(chosen) == top:
            break
    return tuple(chosen)
