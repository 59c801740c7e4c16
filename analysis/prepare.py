"""Text preparation: normalisation, tokens, stems, stop words, negation and phrases.

Everything here works without downloaded NLTK data: it uses the pattern of NLTK's
regular-expression tokeniser (run with ``re``) and the Snowball stemmer, and scikit-learn's stop-word list trimmed of the words
that carry meaning in feedback ("nothing", "not", "everything", "more", "never" ...).

Contract: every function is pure and deterministic. ``analyse`` turns one raw text into the
list of terms used by the vectorisers (stems, ``NOT_`` marked negations and ``a_b`` bigram
phrases); ``SurfaceForms`` remembers which original word each stem came from, so that theme
labels are made of readable words, not stems.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# Words scikit-learn calls stop words but which decide what feedback means.
MEANINGFUL = frozenset({
    "no", "not", "nothing", "never", "none", "nobody", "cannot", "cant", "everything",
    "everyone", "more", "less", "least", "again", "enough", "few", "first", "last", "back", "call", "thank", "thanks",
    "found", "fire", "keep", "help", "made", "take", "give", "get", "put", "move",
    "find", "done", "full", "empty", "bill", "home", "system", "sometimes", "always",
})
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS - MEANINGFUL) | {
    "nhs", "im", "ive", "id", "dont", "didnt", "doesnt", "wasnt", "isnt", "just", "really",
    "also", "would", "could", "got", "us", "s", "t", "ll", "d", "m", "re", "ve",
    # placeholders written by normalise(): kept out of themes, they carry no topic
    "urltoken", "usertoken", "emailtoken", "numtoken",
}
NEGATORS = frozenset({"not", "no", "never", "cannot", "cant", "dont", "didnt", "doesnt",
                      "wasnt", "isnt", "wont", "wouldnt", "couldnt", "shouldnt", "havent",
                      "hasnt", "arent", "werent", "nobody", "none"})
_CLAUSE_END = frozenset({".", ",", "!", "?", ";", ":", "but", "however", "although"})

_URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<!\w)@\w+")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_NUMBER = re.compile(r"\b\d+(?:[.,:/]\d+)*(?:st|nd|rd|th|am|pm|s)?\b", re.IGNORECASE)
_REPEAT = re.compile(r"(\w)\1{2,}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The pattern of NLTK's RegexpTokenizer as this module used it, run with the standard library's
# ``re``: the same tokens (a test compares them on the shared data), at a third of the cost
# (NLTK runs it through the ``regex`` module with a time-out guard).
TOKEN_PATTERN = r"[a-z_]+(?:'[a-z]+)?|[.,!?;:]"
_TOKENS = re.compile(TOKEN_PATTERN)
_STEMMER = SnowballStemmer("english")


def normalise(text: object) -> str:
    """Return a lower-case, accent-folded copy of ``text`` with URLs, e-mail addresses,
    @handles and numbers replaced by placeholder words and emoji replaced by their names.

    ``None`` and non-strings become ``""``; the result never contains control characters.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return _normalise(text)


@lru_cache(maxsize=50_000)
def _normalise(text: str) -> str:
    text = _URL.sub(" urltoken ", text)
    text = _EMAIL.sub(" emailtoken ", text)
    text = _HANDLE.sub(" usertoken ", text)
    text = _NUMBER.sub(" numtoken ", text)
    if text.isascii():  # the common case: only control characters need replacing
        text = _CONTROL.sub(" ", text).lower()
        return " ".join(_REPEAT.sub(r"\1\1", text).split())
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch):
            continue
        cat = unicodedata.category(ch)
        if cat == "So":  # emoji and other symbols: keep their meaning as words
            name = unicodedata.name(ch, "")
            out.append(f" {_emoji_word(name)} " if name else " ")
        elif cat.startswith("C"):
            out.append(" ")
        else:
            out.append(ch)
    text = "".join(out).lower().replace("\u2019", "'")
    text = _REPEAT.sub(r"\1\1", text)  # "sooooo" -> "soo"
    return " ".join(text.split())


def _emoji_word(name: str) -> str:
    words = [w for w in name.lower().split() if w not in {"face", "with", "sign", "symbol"}]
    return "emoji_" + "_".join(words[:3]) if words else ""


def tokenise(text: str) -> list[str]:
    """Split normalised text into word tokens and clause punctuation; apostrophes are joined
    ("don't" -> "dont") so that contractions match the negation list."""
    return [t.replace("'", "") for t in _TOKENS.findall(text)]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of a lower-case word; cached because vocabularies repeat."""
    return _STEMMER.stem(word)


@dataclass
class SurfaceForms:
    """Counts which original word produced each term, to label themes with real words."""

    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, term: str, word: str) -> None:
        self.counts[term][word] += 1

    def readable(self, term: str) -> str:
        """Most frequent original spelling of ``term`` (a stem, bigram or negated term)."""
        if term in self.counts:
            return self.counts[term].most_common(1)[0][0]
        if "_" in term and not term.startswith(("NOT_", "emoji_")):
            return " ".join(self.readable(part) for part in term.split("_"))
        if term.startswith("NOT_"):
            return "not " + self.readable(term[4:])
        return term.replace("_", " ")


def analyse(text: object, *, negation: bool = True, bigrams: bool = True,
            surface: SurfaceForms | None = None) -> list[str]:
    """Return the analysed terms of one raw text.

    Terms are stems of non-stop words; with ``negation`` a word inside a negated clause
    ("not listened to") becomes ``NOT_<stem>``; with ``bigrams`` each pair of adjacent
    content words is added as ``<stem>_<stem>`` (the phrase candidates that TF-IDF keeps
    only when frequent). If ``surface`` is given it records the original words.
    """
    tokens = tokenise(normalise(text))
    terms: list[str] = []
    content: list[str] = []  # stems of the current clause, for bigrams
    negated = False
    for tok in tokens:
        if tok in _CLAUSE_END:
            negated, content = False, []
            continue
        if tok in NEGATORS:
            negated = negation
            if tok in STOP_WORDS:
                continue
        if tok in STOP_WORDS or len(tok) < 2:
            continue
        s = stem(tok)
        term = "NOT_" + s if negated and tok not in NEGATORS else s
        terms.append(term)
        if surface is not None:
            surface.add(term, ("not " + tok) if term.startswith("NOT_") else tok)
        if bigrams and content:
            pair = content[-1] + "_" + s
            terms.append(pair)
            if surface is not None:
                surface.add(pair, surface.readable(content[-1]) + " " + tok)
        content.append(s)
    return terms


def is_blank(text: object) -> bool:
    """True when a text has no word a vectoriser could use (empty, spaces, punctuation)."""
    return not any(t not in _CLAUSE_END for t in tokenise(normalise(text)))
