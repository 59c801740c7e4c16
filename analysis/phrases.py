"""Theme labels a person can read: short phrases made of the texts' own words.

Candidates are the word sequences of one to ``MAX_PHRASE`` words inside one clause of a group's
texts that read as a title (docs/analysis.md, "Labels"): they start and end on a content word,
end the way a title ends (``grammar.ends_a_title``: "Waiting for an autism assessment", never
"Son hates"), hold no clause inside, no word twice, "and" only between words of one kind, and
a word that says something alone. A group's candidates are scored by coverage (share of its
texts, fourth root, and how many more nearly contain it: all its content words in any order),
distinctiveness against the other groups, a length preference, how much they read as a title
(``grammar.shape``) and, for the shortlist, closeness to the group's centre; pieces of longer
phrases ("autism" of "autism assessment") and phrases said after a negation are dropped. The
best candidate not already taken (in other words, too) is the label, as the texts write it.
Counting is on a seeded sample of at most ``SAMPLE`` texts per group.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np
from nltk.stem.snowball import SnowballStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .grammar import NEGATIONS, NEVER_FIRST, OPENERS, PEOPLE, alike, ends_a_title, negated, shape, usual, word_classes
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
                  "do", "said", "says", "having", "idea", "ideas", "read",  # everyday verbs, ages:
                  "tell", "ask", "asked", "come", "came", "go", "goes", "went", "see", "saw",
                  "use", "used", "take", "took", "put", "try", "tried", "find", "found", "old",
                  "year", "years",  # and vague nouns, units of time: "Stuff", "Week"
                  "stuff", "bit", "bits", "week", "weeks", "month", "months", "today", "times",
                  "hours", "minutes", "gave", "give", "gives", "giving"})
# The least a label needs when a group's texts offer nothing better (the published rule words).
BASIC_WEAK = frozenset({"and", "nothing", "not", "no", "time", "more", "like", "get", "got", "just",
                        "really", "very", "good", "great", "bad", "thing", "things", "lot", "way",
                        "back", "make", "made", "plan"})
STOP = frozenset(ENGLISH_STOP_WORDS) | {"pls", "plz", "im", "i'm", "ive", "i've", "dont", "don't", "didn't", "didnt",
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
WHO_NOT_WHAT = PEOPLE | {"stop", "start", "change"}
# "... and I was told", "... so we know": a joining word before a subject starts a new clause.
JOINS = frozenset({"and", "but", "so", "because", "cos", "coz"})
SUBJECTS = frozenset({"i", "we", "he", "she", "they", "you", "it", "there"})
LINKS = frozenset({"and", "or", "but", "n"})
BREAKS = frozenset({"so", "then", "cos", "coz", "because"})  # join clauses: "overnights SO my mum"
# Words after a phrase that show it is the head of a longer one ("parents WHO ...").
RELATIVES = frozenset({"who", "that", "which", "whose", "whom", "where"})
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
    return set(candidates_of(text, strict))


def candidates_of(text: str, strict: bool = True) -> dict[tuple[str, ...], tuple[str, str, tuple]]:
    """The candidate phrases of one text, each with the words just before and after it in the
    clause ("" at either end) and its words' classes (``word_classes``) where it first occurs:
    a phrase that its texts nearly always continue with the same word is cut short ("Waiting"
    before "list")."""
    says = _says_something if strict else _says_anything
    found: dict[tuple[str, ...], tuple[str, str, tuple]] = {}
    for words in clauses(text):
        kinds = word_classes(tuple(words))
        for i, first in enumerate(words):
            if first in STOP and first not in OPENERS:
                continue
            if i and words[i - 1].isdigit():
                continue  # "5 year old son": what a number counts is not a title alone
            if kinds[i] in NEVER_FIRST and first not in OPENERS:
                continue
            for j in range(i + 1, min(i + MAX_PHRASE, len(words)) + 1):
                last = words[j - 1]
                if (last in SUBORDINATORS or last in BREAKS
                        or (j - 1 > i and last.split("'")[0] in SUBJECTS)):
                    break  # a clause inside ("service i'm a carer"): longer phrases have it too
                if j - 1 > i and kinds[j - 1] == "B" and kinds[j - 2] == "N":
                    break  # "(helped the) nursery understand my son": a clause inside a clause
                if j - 1 == i + 1 and first in OPENERS and kinds[j - 1] == "I" and last != "to":
                    break  # "Not about my care plan": "not" belongs to what went before
                if j - 2 > i and words[j - 2] in LINKS and (words[j - 3] in STOP or last in STOP
                                                            or not alike(kinds[j - 3], kinds[j - 1])):
                    break  # "and" joins two words of one kind that say something ("Kind and
                    # friendly staff"), never a word to a new clause ("Room and its the best",
                    # "Carer and needed")
                if j - 2 > i and words[j - 2] in LINKS and not (
                        {kinds[j - 3], kinds[j - 1]} == {"A", "G"}
                        or {usual(words[j - 3]), usual(words[j - 1])} == {"A", "G"}
                        or kinds[j - 3] == kinds[j - 1] and (
                            kinds[j - 1] != "N" or usual(words[j - 3]) == usual(words[j - 1]))):
                    continue  # a quality and a thing only before their noun: "Kind and
                    # friendly staff", never "Polite and job"
                if (last in STOP or last in OPENERS or last in DANGLING or last.endswith("'s")
                        or last.isdigit()):
                    continue  # "my brother's" and "our forum's" wait for what is theirs
                gram = tuple(words[i:j])
                if len(set(gram)) < len(gram):
                    break  # a word twice: longer phrases from here have it too
                if (j - i >= 2 and first in WEAK and first not in OPENERS
                        and words[i + 1] in STOP and words[i + 1] not in LINKS):
                    break  # "Good on the bus", "Really helped the": how, then a fragment
                if not ends_a_title(kinds[i:j], gram, strict):
                    continue  # "Son hates", "Talked to the": the sentence goes on
                if gram not in found and any(says(w) and w not in WHO_NOT_WHAT for w in gram):
                    # "(couldn't find any) fault": a negation shortly before stands as the word before
                    prev = "not" if any(w in NEGATIONS for w in words[max(0, i - 3):i]) else (
                        words[i - 1] if i else "")
                    found[gram] = (prev, words[j] if j < len(words) else "", kinds[i:j])
    return found


def _says_something(word: str) -> bool:
    """A word that can carry a label: not a stop or weak word, with letters, not one letter."""
    return word not in STOP and word not in WEAK and len(word) > 1 and not word.isdigit()


def _says_anything(word: str) -> bool:
    return word not in STOP and word not in BASIC_WEAK and len(word) > 1 and not word.isdigit()


def surface_forms(texts: Sequence[str]) -> dict[str, str]:
    """How each word is written most often: acronyms stay in capitals ("CAMHS") when nearly
    always written so (not "send" because of "SEND"), "i" is "I"."""
    counts: dict[str, Counter] = {}
    for t in texts:
        for w in re.findall(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?", clean_text(t)):
            counts.setdefault(w.lower().replace("\u2019", "'"), Counter())[w] += 1
    out = {}
    for low, forms in counts.items():
        form, n = forms.most_common(1)[0]
        capitals = form.isupper() and len(form) > 1 and n >= 0.8 * sum(forms.values())
        out[low] = form if capitals else low
    out["i"] = "I"
    return out


def label_groups(texts: Sequence[str], weights: np.ndarray, groups: list[np.ndarray],
                 centres: np.ndarray, embed: Callable[[list[str]], np.ndarray], *, seed: int = 0,
                 taken: Sequence[str] = (), vocab: set[str] | None = None,
                 forms: dict[str, str] | None = None, samples: list[np.ndarray] | None = None) -> list[str]:
    """One label per group. ``groups[g]`` are indices into ``texts``/``weights``; ``centres[g]``
    the group's unit centre in the space of ``embed``; ``taken`` labels that may not be used
    again (a parent's); ``vocab``/``forms`` as from ``vocabulary``/``surface_forms``; ``samples``
    the members read per group (by default a seeded sample of at most ``SAMPLE``)."""
    rng = np.random.default_rng(seed)
    sampled = samples or [g if len(g) <= SAMPLE else np.sort(rng.choice(g, SAMPLE, replace=False)) for g in groups]
    needed = sorted({int(i) for g in sampled for i in g})
    found = {i: _cached_candidates(texts[i]) for i in needed}
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
    shortlist = [_shortlist(df[g], total, mass, g, vocab,
                            [(found[int(i)], float(weights[i]), _cached_stems(texts[int(i)])) for i in sampled[g]])
                 for g in range(len(groups))]
    phrases = sorted({p for s in shortlist for p, _ in s})
    vectors = dict(zip(phrases, embed([" ".join(p) for p in phrases]))) if phrases else {}
    used = {_key(t) for t in taken}
    labels: list[str | None] = [None] * len(groups)
    for g in np.argsort(-mass, kind="stable"):
        ranked = sorted(((pre * max(float(vectors[p] @ centres[g]), 0.0) ** 2, p) for p, pre in shortlist[g]),
                        key=lambda x: (-x[0], x[1]))
        for _, p in ranked:
            label = _display(p, forms)
            if not _taken(label, used):
                labels[g] = _as_written(p, [texts[int(i)] for i in sampled[g]], label)
                used.add(_key(label))
                break
    for g in range(len(groups)):
        if labels[g] is None:
            labels[g] = _fallback([texts[int(i)] for i in sampled[g]], weights[sampled[g]], forms, used)
    if isinstance(taken, set):
        taken.update(lab.lower() for lab in labels)
    return labels


# Preference by length, the way a person titles a theme: "Kind and friendly staff" over "Staff".
LENGTH = {1: 1.0, 2: 1.5, 3: 1.8, 4: 2.0, 5: 2.0}
WIDE = 4                  # the shortlist is first read this many times wider, then cut short


def _shortlist(df: Counter, total: Counter, mass: np.ndarray, g: int, vocab: set[str],
               members: list[tuple[dict, float, frozenset[str]]]):
    """The group's best ``CANDIDATES`` phrases with their scores before closeness."""
    here = mass[g] or 1.0
    rest = float(mass.sum() - mass[g])
    floor = 1.0 if here < 20 else max(2.0, 0.01 * here)
    scored = []
    for p, n in df.items():
        if n < floor or any(w not in vocab for w in p):
            continue
        share = n / here
        other = (total[p] - n) / rest if rest > 0 else 0.0
        scored.append((share ** 0.25 * share / (share + other) * LENGTH[min(len(p), 5)], p))
    scored.sort(key=lambda x: (-x[0], x[1]))
    wide = {p: s for s, p in scored[:CANDIDATES * WIDE]}
    # Where each shortlisted phrase stands in its texts: the word after it and before it, and
    # the texts that hold all its content words in any order ("nearly contain" it).
    after: dict[tuple, Counter] = {p: Counter() for p in wide}
    before: dict[tuple, Counter] = {p: Counter() for p in wide}
    kinds: dict[tuple, tuple] = {}
    index: dict[str, set[int]] = {}
    for k, (cands, w, stems) in enumerate(members):
        for p in cands.keys() & wide.keys():
            prev, nxt, kinds[p] = cands[p]
            after[p][nxt] += w
            before[p][prev] += w
        for stem in stems:
            index.setdefault(stem, set()).add(k)
    weight = [w for _, w, _ in members]
    out = []
    for p, pre in wide.items():
        if _cut_short(after[p], df[p]) or _cut_short(before[p], df[p]) or negated(before[p], df[p]):
            continue  # "Waiting" before "list", "visitor" after "health", "(couldn't) fault"
        content = {_STEM(w) for w in p if w not in STOP} or {_STEM(p[0])}
        sets = sorted((index.get(c, set()) for c in content), key=len)
        near = set.intersection(*sets) if sets else set()
        holders = sum(weight[k] for k in near)
        nearly = max(holders / here, df[p] / here)
        out.append((pre * (nearly / (df[p] / here)) ** 0.15 * shape(kinds[p]), p))
    out.sort(key=lambda x: (-x[0], x[1]))
    return [(p, s) for s, p in out[:CANDIDATES]]


def _cut_short(neighbours: Counter, n: float) -> bool:
    """A phrase that half its texts or more continue with the same word that says something is
    a piece of a longer phrase ("autism" of "autism assessment", "kind and friendly" of "kind
    and friendly staff"), and so is one they continue with "who", "that" ... ("Parents not just
    ones (who ...)")."""
    for word, m in neighbours.most_common(2):
        if word and (word not in STOP or word in RELATIVES) and word not in LINKS and m >= 0.5 * n:
            return True
    return False


_STEM = lru_cache(maxsize=200_000)(SnowballStemmer("english").stem)  # words repeat: stem each once


@lru_cache(maxsize=60_000)
def _cached_stems(text: str) -> frozenset[str]:
    return frozenset(_STEM(w) for c in clauses(text) for w in c if w not in STOP)


@lru_cache(maxsize=60_000)
def _cached_candidates(text: str) -> dict[tuple[str, ...], tuple[str, str, tuple]]:
    return candidates_of(text)


def _as_written(phrase: tuple[str, ...], texts: list[str], label: str) -> str:
    """The phrase as its texts write it most often, in sentence case: "SEND" stays in capitals
    where it names special educational needs and "send" the verb does not."""
    pattern = re.compile(r"(?<![\w'])" + r"\s+".join(re.escape(w) for w in phrase) + r"(?![\w'])", re.IGNORECASE)
    seen: Counter = Counter()
    for t in texts:
        for m in pattern.finditer(clean_text(t).replace("\u2019", "'")):
            seen[" ".join(m.group(0).split())] += 1
    if not seen:
        return label
    words = seen.most_common(1)[0][0].split()
    # a capital is kept only in a word written in capitals, in "I", or in a word not at the start
    # of its sentence that is written so everywhere ("Phoenix"); the first word gets one
    kept = [w if (w.isupper() and len(w) > 1) or w == "I" or (k and w[:1].isupper() and all(
        f.split()[k][:1].isupper() for f in seen)) else w.lower() for k, w in enumerate(words)]
    return kept[0][:1].upper() + kept[0][1:] + "".join(" " + w for w in kept[1:])


def _taken(label: str, used: set[tuple[str, ...]]) -> bool:
    """A label is taken when another has the same stems, or holds all of its words that say
    something ("New school" under "New school for my son", "Young carer" beside "Young carers")."""
    key = _key(label)
    if key in used:
        return True
    stems = {_STEM(w) for w in _CHECK.findall(label.lower()) if w not in STOP} or set(key)
    return any(stems <= set(u) for u in used)


def _key(label: str) -> tuple[str, ...]:
    """What makes two labels the same: their words' stems ("Young carer", "young carers")."""
    return tuple(_STEM(w) for w in _CHECK.findall(label.lower()))


def _display(phrase: tuple[str, ...], forms: dict[str, str]) -> str:
    words = [forms.get(w, w) for w in phrase]
    return words[0][:1].upper() + words[0][1:] + "".join(" " + w for w in words[1:])


def _fallback(texts: list[str], weights: np.ndarray, forms: dict[str, str], used: set) -> str:
    """For a group whose texts give no candidate: its most common phrase that any word can
    carry ("Nothing to improve", "Not answer"), never one its texts say after a negation;
    else its most common word, a noun first ("Other" when it has none)."""
    counts: Counter = Counter()
    before: dict[tuple, Counter] = {}
    for t, w in zip(texts, weights):
        for p, (prev, _, _) in candidates_of(t, strict=False).items():
            counts[p] += float(w)
            before.setdefault(p, Counter())[prev] += float(w)
    for p, n in sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0])):
        label = _display(p, forms)
        if len(p) <= MAX_PHRASE and not negated(before[p], n) and not _taken(label, used):
            used.add(_key(label))
            return _as_written(p, texts, label)
    words = Counter(w for t in texts for c in clauses(t) for k, w in enumerate(c)
                    if w not in STOP and len(w) > 1 and not NEGATIONS.intersection(c[max(0, k - 3):k]))
    # a noun that says something first ("Did" and "Son" only when the texts have nothing else)
    plain = lambda w: (w in WEAK or w in WHO_NOT_WHAT or w in SUBORDINATORS, usual(w) != "N")  # noqa: E731
    for w, _ in sorted(words.items(), key=lambda kv: (plain(kv[0]), -kv[1], kv[0])):
        if _key(w) not in used:  # the last resort: only a label of the same words stops it
            used.add(_key(w))
            return _display((w,), forms)
    return "Other"
