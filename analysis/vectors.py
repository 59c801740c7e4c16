"""Text vectors: static token-embedding tables, averaged per text (no torch, no network).

A *table* is a matrix with one row per token of a sub-word tokenizer. A text's vector is the
weighted sum of its tokens' rows, L2-normalised; with several tables the per-table unit vectors
are concatenated and the result normalised again, so a dot product of two rows is their cosine.

Tables used (licences in docs/analysis.md and the README):

- ``wordllama``: ``l2_supercat_256.safetensors`` and its tokenizer, shipped inside the
  ``wordllama`` wheel (read directly; its own loader looks for a folder the wheel does not
  ship and then tries the network).
- ``minilm``: a table distilled from all-MiniLM-L6-v2 (Apache-2.0) by ``python -m analysis
  distil`` (``make install`` runs it) into the cache folder (``ANALYSIS_CACHE_DIR``, default
  ``~/.cache/yourvoice-analysis``); see ``analysis/distil.py``.

Contract:

- ``clean_text(text)`` removes HTML markup and entities, control characters and folds spaces.
- ``TextVectors.load(path=None)`` reads the default tables (or the table at ``path``: a
  ``.safetensors`` / ``.npz`` file or a folder holding one); a missing table raises
  ``VectorsMissing`` naming the command that makes it.
- ``TextVectors.embed(texts)`` -> float32 array (n, dim), rows L2-normalised; a text with no
  known token gets a zero row. Deterministic; thread-safe for reading.
- ``default_vectors()`` is the process-wide instance, loaded on first use.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import scipy.sparse as sp

from .settings import cache_dir, work_offline

work_offline()  # tokenizers never needs the hub here

DISTIL_COMMAND = "python -m analysis distil (or: make install)"
MINILM_FILE = "minilm-distil-256.npz"
MINILM_TOKENIZER = "minilm-tokenizer.json"
BATCH = 20_000          # texts embedded per tokenizer batch (bounds memory on big runs)
MAX_TOKENS = 512        # a very long text is embedded on its first tokens

_TAG = re.compile(r"<!--.*?-->|</?[a-zA-Z][^<>]{0,500}>", re.DOTALL)
_ENTITY_LEFT = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});?", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200d\ufeff]")


class VectorsMissing(RuntimeError):
    """A vector table (or the package that ships it) is not installed; the message says how."""


def clean_text(text: object) -> str:
    """``text`` without HTML tags and entities ("&amp;" -> "&", "&nbsp;" -> " ") or control
    characters, with runs of white space folded to one space and the ends stripped.
    ``None`` and non-strings become ``""``."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(html.unescape(text))  # double-escaped exports ("&amp;nbsp;")
        text = _ENTITY_LEFT.sub(" ", text)
        if "<" in text:
            text = _TAG.sub(" ", text)
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


# A plain ASCII text as BertPreTokenizer splits it after lower-casing: runs of letters and
# digits, and every other visible character on its own.
_ASCII_WORD = re.compile(r"[a-z0-9]+|[^a-z0-9\s]")
# Characters BertNormalizer drops or changes: such a text goes to the tokenizer itself.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD_CACHE_LIMIT = 300_000
_FAST_WORDS: dict[int, tuple[object, tuple[dict, object, object] | None]] = {}
_SPACE = "\u2581"  # SentencePiece's word-start mark


def _bert_words(doc: str) -> list[str] | None:
    if not doc.isascii() or _CONTROL.search(doc):
        return None
    return _ASCII_WORD.findall(doc.lower())


def _metaspace_words(doc: str) -> list[str] | None:
    # one space between words, none at the ends, and no "<" (the added tokens "<s>" ...)
    if (not doc or not doc.isascii() or _CONTROL.search(doc) or "<" in doc or "  " in doc
            or doc[0] == " " or doc[-1] == " " or not doc.isprintable()):
        return None
    return [_SPACE + w for w in doc.split(" ")]


def _is_metaspace_bpe(tokenizer) -> bool:
    """A SentencePiece-style BPE (wordllama's): no pre-tokenizer, a normaliser that only
    prepends the word-start mark and turns spaces into it, and no token with that mark after
    its first character except runs of the mark alone. Then no merge joins two words of a
    text with single spaces, so the text's ids are its words' ids one after the other."""
    state = json.loads(tokenizer.to_str())
    model, norm = state.get("model") or {}, state.get("normalizer") or {}
    steps = norm.get("normalizers") if norm.get("type") == "Sequence" else None
    wanted = [{"type": "Prepend", "prepend": _SPACE},
              {"type": "Replace", "pattern": {"String": " "}, "content": _SPACE}]
    return (state.get("pre_tokenizer") is None and steps == wanted and model.get("type") == "BPE"
            and model.get("dropout") is None and not model.get("continuing_subword_prefix")
            and not model.get("end_of_word_suffix")
            and all(_SPACE not in t[1:] or set(t) == {_SPACE} for t in model.get("vocab", {})))


def _fast_words(tokenizer) -> tuple[dict, object, object] | None:
    """(word -> ids cache, model, text -> words or None) for a lower-casing BERT tokenizer or
    a SentencePiece-style BPE, else None."""
    key = id(tokenizer)
    known = _FAST_WORDS.get(key)
    if known is None or known[0] is not tokenizer:
        found = None
        try:
            norm = json.loads(tokenizer.normalizer.__getstate__()) if tokenizer.normalizer else {}
            pre = json.loads(tokenizer.pre_tokenizer.__getstate__()) if tokenizer.pre_tokenizer else {}
            if (norm.get("type") == "BertNormalizer" and norm.get("lowercase")
                    and norm.get("clean_text") and pre.get("type") == "BertPreTokenizer"
                    and type(tokenizer.model).__name__ == "WordPiece"):
                found = ({}, tokenizer.model, _bert_words)
            elif _is_metaspace_bpe(tokenizer):
                found = ({}, tokenizer.model, _metaspace_words)
        except (AttributeError, TypeError, ValueError):
            found = None
        _FAST_WORDS[key] = known = (tokenizer, found)
    return known[1]


@dataclass(frozen=True)
class Table:
    """One token table: ``matrix`` (vocabulary x dim, float32, rows already weighted) and the
    ``tokenizer`` (a ``tokenizers.Tokenizer``) whose ids index it; ``lower`` folds case first."""

    name: str
    matrix: np.ndarray
    tokenizer: object
    lower: bool = False

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[1])

    def token_ids(self, docs: Sequence[str]) -> list[list[int]]:
        """Each text's token ids (no special tokens), as the tokenizer gives them.

        For a BERT-style tokenizer (lower-casing BertNormalizer, BertPreTokenizer, WordPiece)
        a plain ASCII text is split into words and punctuation here and each word's ids are
        remembered, which is exactly what the tokenizer does word by word (a test compares
        them on every text of the shared data sets) at a fifth of its cost for one text.
        For a SentencePiece-style BPE (wordllama's, see ``_is_metaspace_bpe``) a plain ASCII
        text with single spaces is split at its spaces the same way. Any other text, and any
        other tokenizer, goes to the tokenizer itself."""
        words = _fast_words(self.tokenizer)
        if words is None:
            return [e.ids for e in self.tokenizer.encode_batch(list(docs), add_special_tokens=False)]
        cache, model, split = words
        out: list[list[int]] = []
        pieces = [split(d) for d in docs]
        slow = [i for i, p in enumerate(pieces) if p is None]
        if slow:
            encoded = self.tokenizer.encode_batch([docs[i] for i in slow], add_special_tokens=False)
            done = dict(zip(slow, (e.ids for e in encoded)))
        for i, doc_words in enumerate(pieces):
            if doc_words is None:
                out.append(done[i])
                continue
            ids: list[int] = []
            for word in doc_words:
                got = cache.get(word)
                if got is None:
                    got = [t.id for t in model.tokenize(word)]
                    if len(cache) < _WORD_CACHE_LIMIT:
                        cache[word] = got
                ids.extend(got)
            out.append(ids)
        return out

    def counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Sparse (n, vocabulary) token counts of already-cleaned ``texts``."""
        docs = [t.lower() for t in texts] if self.lower else list(texts)
        encoded = self.token_ids(docs)
        lengths = np.fromiter((min(len(e), MAX_TOKENS) for e in encoded), np.int64, len(encoded))
        ids = np.fromiter((i for e in encoded for i in e[:MAX_TOKENS]), np.int64, int(lengths.sum()))
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        vocab = self.matrix.shape[0]
        ids[ids >= vocab] = 0  # never happens with the shipped pairs; guards a mismatched file
        m = sp.csr_matrix((np.ones(len(ids), np.float32), ids, indptr), shape=(len(docs), vocab))
        m.sum_duplicates()
        return m

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return _unit(np.asarray(self.counts(texts) @ self.matrix, dtype=np.float32))


class TextVectors:
    """One or more token tables behind one ``embed``. Build with ``TextVectors.load``."""

    def __init__(self, tables: Sequence[Table]):
        if not tables:
            raise ValueError("TextVectors needs at least one table")
        self.tables = tuple(tables)
        self.dim = sum(t.dim for t in self.tables)
        self.name = "+".join(t.name for t in self.tables)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "TextVectors":
        """The default tables (``path`` None) or the one table at ``path``."""
        if path is None:
            return cls([load_wordllama(), load_minilm()])
        path = Path(path)
        if path.name == "wordllama":
            return cls([load_wordllama()])
        if path.is_dir():
            path = path / MINILM_FILE
        if path.suffix == ".safetensors":
            return cls([load_wordllama(path)])
        return cls([load_minilm(path)])

    def embed(self, texts: Sequence[object]) -> np.ndarray:
        """float32 (len(texts), dim), unit rows; zero rows for texts with no known token."""
        clean = [clean_text(t) for t in texts]
        out = np.zeros((len(clean), self.dim), dtype=np.float32)
        for start in range(0, len(clean), BATCH):
            part = clean[start:start + BATCH]
            blocks = [t.embed(part) for t in self.tables]
            block = blocks[0] if len(blocks) == 1 else np.hstack(blocks)
            out[start:start + len(part)] = _unit(block)
        return out

    def token_counts(self, texts: Sequence[object]) -> sp.csr_matrix:
        """Token counts of the first table (for callers that weight tokens themselves)."""
        return self.tables[0].counts([clean_text(t) for t in texts])


class KnownVectors:
    """``vectors`` with the rows of some texts already embedded: ``embed`` gives exactly the
    rows ``vectors.embed`` gives (a text's row depends only on its ``clean_text``), reusing a
    known row when a text cleans to the same string as a known text, and embedding the rest.
    A theme run embeds its distinct texts once and the sentiment model reads them from here,
    instead of tokenizing every text a second time."""

    def __init__(self, vectors: TextVectors, texts: Sequence[object], rows: np.ndarray):
        if len(texts) != len(rows):
            raise ValueError(f"{len(rows)} rows for {len(texts)} texts")
        self.vectors, self.dim, self.name = vectors, vectors.dim, vectors.name
        self._rows = rows
        self._where: dict[str, int] = {}
        for i, text in enumerate(texts):
            self._where.setdefault(clean_text(text), i)

    def embed(self, texts: Sequence[object]) -> np.ndarray:
        where = np.fromiter((self._where.get(clean_text(t), -1) for t in texts), np.int64, len(texts))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        known = where >= 0
        out[known] = self._rows[where[known]]
        missing = np.flatnonzero(~known)
        if len(missing):
            out[missing] = self.vectors.embed([texts[i] for i in missing])
        return out


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    np.divide(matrix, norms, out=matrix, where=norms > 0)
    return matrix


def _package_folder(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise VectorsMissing(f"the {name!r} package is not installed: run make install "
                             f"(pip install --no-deps -r requirements-vectors.txt)")
    return Path(list(spec.submodule_search_locations)[0])


def load_wordllama(weights: Path | None = None) -> Table:
    """The 256-dimension ``l2_supercat`` table and tokenizer from the wordllama wheel."""
    from safetensors.numpy import load_file  # noqa: PLC0415
    from tokenizers import Tokenizer  # noqa: PLC0415

    folder = _package_folder("wordllama") if weights is None else None
    weights = weights or folder / "weights" / "l2_supercat_256.safetensors"
    tok_path = (folder or _package_folder("wordllama")) / "tokenizers" / "l2_supercat_tokenizer_config.json"
    for p in (weights, tok_path):
        if not Path(p).is_file():
            raise VectorsMissing(f"vector table file missing: {p}; reinstall wordllama with make install")
    matrix = np.asarray(load_file(str(weights))["embedding.weight"], dtype=np.float32)
    tokenizer = Tokenizer.from_file(str(tok_path))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return Table("wordllama", matrix, tokenizer)


def load_minilm(path: Path | None = None) -> Table:
    """The table distilled from all-MiniLM-L6-v2 by ``python -m analysis distil``."""
    from tokenizers import Tokenizer  # noqa: PLC0415

    path = Path(path) if path is not None else cache_dir() / MINILM_FILE
    tok_path = path.parent / MINILM_TOKENIZER
    if not path.is_file() or not tok_path.is_file():
        raise VectorsMissing(f"vector table missing: {path}; make it with {DISTIL_COMMAND}")
    with np.load(path) as data:
        matrix = np.asarray(data["vectors"], dtype=np.float32)
    tokenizer = Tokenizer.from_file(str(tok_path))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return Table("minilm", matrix, tokenizer)


_LOCK = threading.Lock()
_DEFAULT: TextVectors | None = None


def default_vectors() -> TextVectors:
    """The process-wide ``TextVectors.load()``, loaded once (thread-safe)."""
    global _DEFAULT  # noqa: PLW0603  (one table set per process, by design)
    if _DEFAULT is None:
        with _LOCK:
            if _DEFAULT is None:
                _DEFAULT = TextVectors.load()
    return _DEFAULT


_PROBES = ("I do not feel safe at home", "the bus was late again", "he hurts me",
           "thank you for listening")


def fingerprint(vectors) -> str:
    """How a model recognises the text vectors it was trained with: their width and their
    embedding of a few fixed sentences (JSON). ``same_fingerprint`` compares two identities by
    cosine, so a table rebuilt on another machine (last-digit differences) still matches."""
    probe = np.asarray(vectors.embed(list(_PROBES)), dtype=np.float64)
    return json.dumps({"dim": int(vectors.dim), "probe": np.round(probe, 5).tolist()})


def same_fingerprint(identity: str, vectors) -> bool:
    try:
        wanted = json.loads(identity)
        expected = np.asarray(wanted["probe"], dtype=np.float64)
    except (ValueError, KeyError, TypeError):
        return False
    if int(wanted.get("dim", -1)) != int(vectors.dim):
        return False
    got = np.asarray(vectors.embed(list(_PROBES)), dtype=np.float64)
    if got.shape != expected.shape:
        return False
    norms = np.linalg.norm(got, axis=1) * np.linalg.norm(expected, axis=1)
    cosines = np.sum(got * expected, axis=1) / np.where(norms > 0, norms, 1.0)
    return bool(np.all(cosines >= 0.999))
