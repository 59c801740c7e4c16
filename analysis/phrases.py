"""Theme labels a person can read: short phrases made of the texts' own words.

For every group (a theme, or a sub-theme among its siblings) the candidates are the word
sequences of one to ``MAX_PHRASE`` words found inside one clause of its texts (never across
punctuation), that start and end on a content word (a phrase may start with "no", "not",
"nothing" or "never": "Not enough staff"), hold no word twice, no word that opens a clause inside
the clause ("if", "who", "when", "because": "Good if the youth" is a fragment, not a title) and
at least one word that says something on its own (not "nothing", "time", "plan", "good" ...; nor
only who it is about, "son", "parents", or the kind of card, "stop"). Each candidate is scored by

- *coverage*: the share of the group's texts that contain it (fourth root, so a phrase used by
  a few texts is not beaten by a single word used by all of them only by size),
- *distinctiveness*: ``share in the group / (share in the group + share in the other groups)``,
  0.5 for a phrase every group uses alike, 1 for one only this group uses,
- *closeness*: the cosine similarity of the phrase's own text vector to the group's centre,
- a preference for phrases of two to four words (x1.5, x2, x2.5), the way a person titles a
  theme: "Kind and friendly staff" rather than "Staff"; evaluative words ("helpful", "better")
  and interjections never carry a label alone.

The best candidate not already taken by a sibling (or the parent) is the label, in the texts'
own casing ("CAMHS", "I"), with a capital first letter. Counting is on a seeded sample of at
most ``SAMPLE`` texts per group, so 100,000 texts cost no more than a few thousand.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Sequence

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .vectors import clean_text

MAX_PHRASE = 5            # words in a candidate phrase (the rule is at most 6)
SAMPLE = 1_500            # texts per group read for candidates
CANDIDATES = 120          # candidates per group whose vectors are compared with the centre
MAX_TOKENS = 80           # words read per text

# Words that cannot carry a label alone (with or without others of this list).
WEAK = frozenset({"and", "nothing", "not", "no", "time", "more", "like", "get", "got", "just", "really",
                  "very", "good", "great", "bad", "thing", "things", "lot", "way", "back", "make", "made",
                  "plan", "none", "everything", "anything", "something", "ok", "okay", "yes", "n",
                  "a", "na", "nil", "well", "much", "many", "also", "still", "etc", "overall",
                  "excellent", "fine", "nice", "lovely", "amazing", "brilliant", "always", "never",
                  "please", "thank", "thanks", "would", "could", "think", "feel", "felt", "said", "say",
                  "know", "want", "need", "able", "keep", "done", "doing", "going", "one", "day",
                  # evaluative words say how, not what: "Helpful staff", never "Helpful" alone
                  "better", "best", "helpful", "happy", "perfect", "wonderful", "fantastic", "absolutely",
                  "definitely", "nope", "yeah", "yep", "fab", "super", "superb", "friendly", "kind",
                  "caring", "polite", "lovely", "pleasant", "professional", "efficient", "quick",
                  "quickly", "fab", "outstanding", "satisfied", "pleased", "impressed", "poor",
                  "terrible", "awful", "extremely", "totally", "completely", "quite", "far", "long",
                  "help", "helped", "thank you", "thankyou", "happy", "sure", "told", "looked",
                  "extra", "improve", "improved", "improvement", "improvements", "comment", "comments",
                  "problem", "problems", "issue", "issues", "everyone", "everybody", "anyone", "lol",
                  "let", "mind", "add", "trouble", "aspects", "zero", "unlabelled", "did", "does",
                  "do", "said", "says", "having", "idea", "ideas", "read",
                  # everyday verbs and ages say what happened, not what about
                  "tell", "ask", "asked", "come", "came", "go", "goes", "went", "see", "saw",
                  "use", "used", "take", "took", "put", "try", "tried", "find", "found", "old",
                  "year", "years"})
# The least a label needs when a group's texts offer nothing better (the published rule words).
BASIC_WEAK = frozenset({"and", "nothing", "not", "no", "time", "more", "like", "get", "got", "just",
                        "really", "very", "good", "great", "bad", "thing", "things", "lot", "way",
                        "back", "make", "made", "plan"})
STOP = frozenset(ENGLISH_STOP_WORDS) | {"im", "i'm", "ive", "i've", "dont", "don't", "didn't", "didnt",
                                        "it's", "its", "can't", "cant", "won't", "wasn't", "isn't",
                                        "couldn't", "wouldn't", "there's", "that's", "you're", "they're"}
# A contraction of a stop word is a stop word too: "he's", "she'd", "we're", "doesn't".
STOP = STOP | {base + end for base in STOP | {"i", "let"} if "'" not in base
               for end in ("'s", "'m", "'re", "'ve", "'d", "'ll")} | {
    "aren't", "doesn't", "hadn't", "hasn't", "haven't", "mustn't", "needn't", "shan't",
    "shouldn't", "weren't", "ain't", "doesnt", "isnt", "wasnt", "havent", "hasnt", "wouldnt",
    "couldnt", "shouldnt", "arent", "werent", "wont", "theres", "thats", "youre", "theyre"}
# Words a phrase never ends on: they wait for the next word ("a new ...", "the big ...",
# "I just ...", "she gives ...").
DANGLING = frozenset({"new", "big", "old", "same", "few", "other", "last", "next", "main", "whole",
                      "little", "own", "just", "like", "got", "get", "gets", "gave", "gives",
                      "give", "really", "even", "still", "also", "angry", "day", "youth"})
OPENERS = frozenset({"no", "not", "nothing", "never"})
# Words that open a clause inside a clause ("good IF the youth...", "changing WHO isn't..."): a
# phrase holding one is a fragment of a sentence, never a title.
SUBORDINATORS = frozenset({"if", "who", "whom", "whose", "which", "that", "when", "whenever",
                           "whether", "unless", "until", "till", "because", "cos", "coz", "while",
                           "whilst", "although", "though", "than", "where", "wherever", "since",
                           # a verb "to be" or "to do" makes a sentence of it ("Sessions are in
                           # the room", "Son is on the bus"), not a title
                           "is", "are", "was", "were", "am", "be", "been", "being", "did", "does",
                           "isn't", "aren't", "wasn't", "weren't", "didn't", "doesn't", "isnt",
                           "arent", "wasnt", "werent", "didnt", "doesnt"})
# Who, not what: a person or the kind of card never carries a label alone ("Son", "Stop"), but
# may stand in one ("Worker helped my son", "Stop cancelling sessions").
WHO_NOT_WHAT = frozenset({"son", "sons", "daughter", "daughters", "child", "children", "kid", "kids",
                          "mum", "mums", "mom", "moms", "dad", "dads", "parent", "parents", "people",
                          "person", "boy", "boys", "girl", "girls", "family", "families", "brother",
                          "brothers", "sister", "sisters", "baby", "youth", "adult", "adults",
                          "stop", "start", "change", "carer", "carers", "friend", "friends"})
# "... and I was told", "... so we know": a joining word before a subject starts a new clause.
JOINS = frozenset({"and", "but", "so", "because", "cos", "coz"})
SUBJECTS = frozenset({"i", "we", "he", "she", "they", "you", "it"})
LINKS = frozenset({"and", "or", "but", "n"})
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CLAUSE = re.compile(r"[.,;:!?()\[\]{}\"\u201c\u201d|/\\*+=<>~#\u2022\u2026]+|\s-\s|\s--?\s|\u2013|\u2014")
_CHECK = re.compile(r"[a-z0-9']+")


def clauses(text: str) -> list[list[str]]:
    """The lower-case words of ``text`` (markup and entities removed), clause by clause."""
    low = clean_text(text).lower().replace("\u2019", "'").replace("\u2018", "'")
    out, seen = [], 0
    for part in _CLAUSE.split(low):
        words = _WORD.findall(part)[:MAX_TOKENS - seen]
        seen += len(words)
        out += [c for c in _split_at_joins(words) if c]
        if seen >= MAX_TOKENS:
            break
    return out


def _split_at_joins(words: list[str]) -> list[list[str]]:
    """One clause's words split where a joining word comes before a subject ("and I")."""
    parts, start = [], 0
    for k in range(len(words) - 1):
        nxt = words[k + 1].split("'")[0]
        if words[k] in JOINS and nxt in SUBJECTS:
            parts.append(words[start:k])
            start = k + 1
    return parts + [words[start:]]


def vocabulary(texts: Sequence[str]) -> set[str]:
    """Every word of the texts, split as a reader would: a label may use only these."""
    return {w for t in texts for w in _CHECK.findall(clean_text(t).lower())}


def phrases_of(text: str, strict: bool = True) -> set[tuple[str, ...]]:
    """The candidate phrases of one text (see the module docstring); ``strict=False`` lets
    evaluative words carry a phrase (the fallback for groups with nothing else)."""
    says = _says_something if strict else _says_anything
    found = set()
    for words in clauses(text):
        for i, first in enumerate(words):
            if first in STOP and first not in OPENERS:
                continue
            if i and words[i - 1].isdigit():
                continue  # "5 year old son": what a number counts is not a title alone
            for j in range(i + 1, min(i + MAX_PHRASE, len(words)) + 1):
                last = words[j - 1]
                if last in SUBORDINATORS or (j - 1 > i and last.split("'")[0] in SUBJECTS):
                    break  # a clause inside ("service i'm a carer"): longer phrases have it too
                if j - 2 > i and words[j - 2] in LINKS and (words[j - 3] in STOP or last in STOP):
                    break  # "and" joins two words that say something ("Kind and friendly
                    # staff"), never a word to a new clause ("Room and its the best")
                if (last in STOP or last in OPENERS or last in DANGLING or last.endswith("'s")
                        or last.isdigit()):
                    continue  # "my brother's" and "our forum's" wait for what is theirs
                gram = tuple(words[i:j])
                if len(set(gram)) < len(gram):
                    break  # a word twice: longer phrases from here have it too
                if (j - i >= 2 and first in WEAK and first not in OPENERS
                        and words[i + 1] in STOP and words[i + 1] not in LINKS):
                    break  # "Good on the bus", "Really helped the": how, then a fragment
                if any(says(w) and w not in WHO_NOT_WHAT for w in gram):
                    found.add(gram)
    return found


def _says_something(word: str) -> bool:
    """A word that can carry a label: not a stop or weak word, with letters, not one letter."""
    return word not in STOP and word not in WEAK and len(word) > 1 and not word.isdigit()


def _says_anything(word: str) -> bool:
    return word not in STOP and word not in BASIC_WEAK and len(word) > 1 and not word.isdigit()


def surface_forms(texts: Sequence[str]) -> dict[str, str]:
    """How each word is written most often: acronyms stay in capitals ("CAMHS"), "i" is "I"."""
    counts: dict[str, Counter] = {}
    for t in texts:
        for w in re.findall(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?", clean_text(t)):
            counts.setdefault(w.lower().replace("\u2019", "'"), Counter())[w] += 1
    out = {}
    for low, forms in counts.items():
        form, _ = forms.most_common(1)[0]
        out[low] = form if (form.isupper() and len(form) > 1) else low
    out["i"] = "I"
    return out


def label_groups(texts: Sequence[str], weights: np.ndarray, groups: list[np.ndarray],
                 centres: np.ndarray, embed: Callable[[list[str]], np.ndarray], *, seed: int = 0,
                 taken: Sequence[str] = (), vocab: set[str] | None = None,
                 forms: dict[str, str] | None = None) -> list[str]:
    """One label per group. ``groups[g]`` are indices into ``texts``/``weights``; ``centres[g]``
    the group's unit centre in the space of ``embed``; ``taken`` labels that may not be used
    again (a parent's); ``vocab``/``forms`` as from ``vocabulary``/``surface_forms``."""
    rng = np.random.default_rng(seed)
    sampled = [g if len(g) <= SAMPLE else np.sort(rng.choice(g, SAMPLE, replace=False)) for g in groups]
    needed = sorted({int(i) for g in sampled for i in g})
    found = {i: phrases_of(texts[i]) for i in needed}
    vocab = vocab if vocab is not None else vocabulary([texts[i] for i in needed])
    forms = forms if forms is not None else surface_forms([texts[i] for i in needed])
    df = [Counter() for _ in groups]
    mass = np.zeros(len(groups))
    for g, members in enumerate(sampled):
        for i in members:
            w = float(weights[i])
            mass[g] += w
            for p in found[int(i)]:
                df[g][p] += w
    total: Counter = Counter()
    for c in df:
        total.update(c)
    shortlist = [_shortlist(df[g], total, mass, g, vocab) for g in range(len(groups))]
    phrases = sorted({p for s in shortlist for p, _ in s})
    vectors = dict(zip(phrases, embed([" ".join(p) for p in phrases]))) if phrases else {}
    used = {t.lower() for t in taken}
    labels: list[str | None] = [None] * len(groups)
    for g in np.argsort(-mass, kind="stable"):
        ranked = sorted(((pre * max(float(vectors[p] @ centres[g]), 0.0) ** 2, p) for p, pre in shortlist[g]),
                        key=lambda x: (-x[0], x[1]))
        for _, p in ranked:
            label = _display(p, forms)
            if label.lower() not in used:
                labels[g] = label
                used.add(label.lower())
                break
    for g in range(len(groups)):
        if labels[g] is None:
            labels[g] = _fallback([texts[int(i)] for i in sampled[g]], weights[sampled[g]], forms, used)
    if isinstance(taken, set):
        taken.update(lab.lower() for lab in labels)
    return labels


def _shortlist(df: Counter, total: Counter, mass: np.ndarray, g: int, vocab: set[str]):
    here = mass[g] or 1.0
    rest = float(mass.sum() - mass[g])
    floor = 1.0 if here < 20 else max(2.0, 0.01 * here)
    scored = []
    for p, n in df.items():
        if n < floor or any(w not in vocab for w in p):
            continue
        share = n / here
        other = (total[p] - n) / rest if rest > 0 else 0.0
        distinct = share / (share + other)
        scored.append((share ** 0.25 * distinct * (1 + 0.5 * (min(len(p), 4) - 1)), p))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [(p, s) for s, p in scored[:CANDIDATES]]


def _display(phrase: tuple[str, ...], forms: dict[str, str]) -> str:
    words = [forms.get(w, w) for w in phrase]
    return words[0][:1].upper() + words[0][1:] + "".join(" " + w for w in words[1:])


def _fallback(texts: list[str], weights: np.ndarray, forms: dict[str, str], used: set[str]) -> str:
    """For a group whose texts give no candidate: its most common phrase that any word can
    carry ("Absolutely", "Zero"), else its most common word ("Other" when it has none)."""
    counts: Counter = Counter()
    for t, w in zip(texts, weights):
        for p in phrases_of(t, strict=False):
            counts[p] += float(w)
    for p, _ in sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0])):
        label = _display(p, forms)
        if label.lower() not in used and len(p) <= MAX_PHRASE:
            used.add(label.lower())
            return label
    words = Counter(w for t in texts for c in clauses(t) for w in c if w not in STOP and len(w) > 1)
    # a word that says something first ("Did" and "Son" only when the texts have nothing else)
    plain = lambda w: w in WEAK or w in WHO_NOT_WHAT or w in SUBORDINATORS  # noqa: E731
    for w, _ in sorted(words.items(), key=lambda kv: (plain(kv[0]), -kv[1], kv[0])):
        if _display((w,), forms).lower() not in used:
            used.add(w)
            return _display((w,), forms)
    return "Other"
