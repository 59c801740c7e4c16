"""Word classes for theme labels: which words of a phrase are nouns, verbs, adjectives ...,
and whether a phrase can end where it ends the way a title does.

TextBlob ships pattern's Brill tagger (a lexicon of about 94,000 words with their commonest
Penn Treebank tag, suffix rules for unknown words and contextual rules) as plain text files
inside its wheel: part-of-speech tags with no download (NLTK's own tagger needs one).
``find_tags`` with the lexicon's morphology and context is that tagger in full
(``textblob.en.tag`` uses the lexicon alone).
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from functools import lru_cache
from pathlib import Path

from textblob._text import Lexicon, find_tags as _find_tags

# Words a phrase may start on though they say nothing alone: "Not enough staff".
OPENERS = frozenset({"no", "not", "nothing", "never"})
# People are nouns, whatever the tagger's context rules say ("my mum over my head").
PEOPLE = frozenset({"son", "sons", "daughter", "daughters", "child", "children", "kid", "kids",
                    "mum", "mums", "mom", "moms", "dad", "dads", "parent", "parents", "people",
                    "person", "boy", "boys", "girl", "girls", "family", "families", "brother",
                    "brothers", "sister", "sisters", "baby", "youth", "adult", "adults", "carer",
                    "carers", "friend", "friends"})

# Word classes from Penn Treebank tags: N noun (and foreign word), A adjective, B verb (base),
# F verb (finite: "hates", "helped"), G verb (-ing), P verb (past participle), R adverb or
# particle, C conjunction, D determiner or possessive, I preposition or "to", O pronoun,
# M modal, K number, X anything else.
_CLASS = {"NN": "N", "NNS": "N", "NNP": "N", "NNPS": "N", "FW": "N", "JJ": "A", "JJR": "A",
          "JJS": "A", "VB": "B", "VBD": "F", "VBZ": "F", "VBP": "F", "VBG": "G", "VBN": "P",
          "RB": "R", "RBR": "R", "RBS": "R", "RP": "R", "CC": "C", "DT": "D", "PDT": "D",
          "PRP$": "D", "WP$": "D", "POS": "D", "IN": "I", "TO": "I", "PRP": "O", "MD": "M",
          "CD": "K"}
NEVER_FIRST = frozenset("CDIM")
_OBJECTS = frozenset({"me", "us", "him", "her", "them"})
# Verbs whose object does something next: "helped the nursery UNDERSTAND my son".
_CAUSATIVE = frozenset({"help", "helps", "helped", "helping", "make", "makes", "made", "making",
                        "let", "lets", "letting", "watch", "watched", "saw", "see", "hear", "heard"})


def word_classes(words: tuple[str, ...]) -> tuple[str, ...]:
    """One class letter per word of a clause (see ``_CLASS``), from pattern's Brill tagger.
    Contractions are split for the tagger as the Penn Treebank splits them ("son's" is "son"
    + "'s", "didn't" is "did" + "n't"); a word takes the class of its first part. A word after
    a determiner or a possessive is a noun or an adjective, never a verb ("my pa's phone")."""
    if words in _CLASSES:
        return _CLASSES[words]
    tokens, first = [], []
    for w in words:
        first.append(len(tokens))
        if w.endswith("n't") and len(w) > 3:
            tokens += [w[:-3], "n't"]
        elif "'" in w.strip("'"):
            base, end = w.split("'", 1)
            tokens += [base, "'" + end]
        else:
            tokens.append("I" if w == "i" else w)
    lexicon = _lexicon()
    tags = _context(_find_tags(tokens, lexicon=lexicon, morphology=lexicon.morphology,
                               default=("NN", "NNP", "CD"), language="en"))
    kinds = [_CLASS.get(tags[k][1], "X") for k in first]
    for k, w in enumerate(words):
        if w in PEOPLE:
            kinds[k] = "N"  # "my mum over my head": people are nouns, whatever the context
        elif (k and kinds[k - 1] == "N" and lexicon.get(w) in ("VB", "VBP")
              and any(x in _CAUSATIVE for x in words[max(0, k - 4):k - 1])):
            kinds[k] = "B"  # "helped the nursery understand": the tagger reads a noun there
    for k in range(1, len(words)):
        after_owner = kinds[k - 1] == "D" or words[k - 1].endswith("'s")
        if after_owner and kinds[k] in "BF":
            kinds[k] = "N"
        if after_owner and kinds[k] == "A" and (k + 1 == len(words) or kinds[k + 1] not in "NA"):
            kinds[k] = "N"  # "my mum": the tagger's context rules read "mum" as an adjective
    if len(_CLASSES) > 200_000:
        _CLASSES.clear()
    _CLASSES[words] = kinds = tuple(kinds)
    return kinds


_CLASSES: dict[tuple[str, ...], tuple[str, ...]] = {}


@lru_cache(maxsize=1)
def _lexicon() -> Lexicon:
    """The tagger's tables, read once (by this module, so every file is closed after reading;
    TextBlob's own loader leaves them open)."""
    folder = Path(importlib.util.find_spec("textblob").origin).parent / "en"
    read = lambda name: (folder / name).read_text(encoding="utf-8")  # noqa: E731
    return Lexicon(path=read("en-lexicon.txt"), morphology=read("en-morphology.txt"),
                   context=read("en-context.txt"), language="en")


@lru_cache(maxsize=1)
def _rules() -> tuple[dict[str, list], list]:
    """The tagger's contextual rules by the tag they change, in their order ("*": any tag)."""
    by: dict[str, list] = {}
    for k, rule in enumerate(_lexicon().context):
        rule = list(rule) + [""] * (5 - len(rule))
        by.setdefault(rule[0], []).append((k, rule[1], rule[2].lower(), rule[3], rule[4]))
    star = by.pop("*", [])
    return {tag: sorted(rules + star) for tag, rules in by.items()}, star


_NEAR = {"prevtag": ((-1, 1),), "nexttag": ((1, 1),), "prev2tag": ((-2, 1),), "next2tag": ((2, 1),),
         "curwd": ((0, 0),), "prevwd": ((-1, 0),), "nextwd": ((1, 0),)}
_EITHER = {"prev1or2tag": ((-1, -2), 1), "next1or2tag": ((1, 2), 1), "prev1or2or3tag": ((-1, -2, -3), 1),
           "next1or2or3tag": ((1, 2, 3), 1), "prev1or2wd": ((-1, -2), 0), "next1or2wd": ((1, 2), 0)}
_BOTH = {"surroundtag": ((-1, 1), (1, 1)), "prevwdtag": ((-1, 0), (-1, 1)), "nextwdtag": ((1, 0), (1, 1)),
         "wdprevtag": ((-1, 1), (0, 0)), "wdnexttag": ((0, 0), (1, 1)), "wdand2aft": ((0, 0), (2, 0)),
         "wdand2tagbfr": ((-2, 1), (0, 0)), "wdand2tagaft": ((0, 0), (2, 1)),
         "lbigram": ((-1, 0), (0, 0)), "rbigram": ((0, 0), (1, 0)), "prevbigram": ((-2, 1), (-1, 1)),
         "nextbigram": ((1, 1), (2, 1))}


def _context(tagged: list) -> list:
    """Pattern's contextual rules (``textblob._text.Context.apply``) with the same result, each
    token tried only against the rules for its own tag: several times faster."""
    by, star = _rules()
    pad = [["STAART", "STAART"]] * 3
    t = pad + [list(x) for x in tagged] + pad
    for i in range(3, len(t) - 3):
        for _, new, cmd, x, y in by.get(t[i][1], star):
            if cmd in _NEAR:
                (d, f), = _NEAR[cmd]
                hit = x == t[i + d][f]
            elif cmd in _EITHER:
                ds, f = _EITHER[cmd]
                hit = x in [t[i + d][f] for d in ds]
            elif cmd in _BOTH:
                (d1, f1), (d2, f2) = _BOTH[cmd]
                hit = x == t[i + d1][f1] and y == t[i + d2][f2]
            else:
                hit = False
            if hit:
                t[i] = [t[i][0], new]
    return t[3:-3]


def usual(word: str) -> str:
    """The class of a word's commonest tag, whatever its context."""
    kind = _CLASS.get(_lexicon().get(word, "NN"), "X")
    return "G" if kind == "N" and word.endswith("ing") else kind  # "understanding", "caring"


def alike(a: str, b: str) -> bool:
    """Two words "and" may join: things with things ("kind and friendly", "staff and
    nurses"), doings with doings ("listened and understood")."""
    return (a in "NA" and b in "NA") or (a in "BFGP" and b in "BFGP") or (a == b == "R")


def ends_a_title(kinds: tuple[str, ...], gram: tuple[str, ...], strict: bool = True) -> bool:
    """Whether a phrase of these word classes can end where it ends: on a noun ("Course for
    parents"), on a past participle or an adjective after a noun ("Respite cut", "Staff very
    friendly"), on an -ing word that is a thing ("Waiting", "Bullying at school", not "Hates
    going"), on an adverb of manner after a verb ("Explained clearly"), on "me", "us" ...
    after a verb or preposition ("Listen to me"). Never on a verb waiting for its object
    ("Son hates"), a conjunction, determiner, preposition, possessive, modal or number."""
    last, before = kinds[-1], (kinds[-2] if len(kinds) > 1 else "-")
    if last == "N":
        return True
    if last == "G":
        if len(kinds) == 1:  # "Parking", "Bullying" name a thing; "Helping", "Asking" do not
            return not strict or _lexicon().get(gram[0], "").startswith("NN")
        return before in ("A", "D", "I", "N", "C")
    if last in "AP":
        if not strict and len(kinds) == 1:
            return True
        return before == "N" or (before == "R" and len(kinds) > 2 and kinds[-3] == "N") or (
            last == "A" and before in "BFGP")
    if last == "R":  # "Explained clearly", "Dealt with quickly"
        return gram[-1].endswith("ly") and (before in "BFGP" or (
            before == "I" and len(kinds) > 2 and kinds[-3] in "BFGP"))
    if last == "O":
        return gram[-1] in _OBJECTS and before in "BFGPI"
    if last == "B" and len(gram) > 2 and gram[-2] == "to" and kinds[-3] == "A":
        return True  # "Easy to talk", "Hard to reach"
    if last == "B" and not strict and len(gram) > 1:
        return gram[0] in OPENERS and gram[-2] in ("not", "never", "to")  # "Nothing to improve"
    return False


NEGATIONS = frozenset({"not", "never", "no", "cannot", "cant", "can't", "couldn't", "couldnt",
                       "didn't", "didnt", "don't", "dont", "wasn't", "wasnt", "isn't", "isnt",
                       "won't", "wont", "wouldn't", "wouldnt", "doesn't", "doesnt", "nothing"})


def negated(neighbours: Counter, n: float) -> bool:
    """A phrase that a third of its texts or more say after a negation means the opposite
    alone: "Fault the care" of "couldn't fault the care"."""
    return sum(m for word, m in neighbours.items() if word in NEGATIONS) >= n / 3


def shape(kinds: tuple[str, ...]) -> float:
    """How much a phrase reads as a title: a thing named ("Autism assessment", "Course for
    parents", "Waiting for an assessment") x1; a sentence with a finite verb ("Worker helped
    my son") x0.85, x0.5 when it starts on one ("Turned my son's nursery"); an adjective then a
    preposition ("Warm with my daughter") x0.7."""
    factor = 1.0
    if "F" in kinds:
        factor *= 0.85
    if kinds[0] == "F" and kinds[-1] != "A":
        factor *= 0.6  # a sentence without its subject ("Gave my daughter"); "Feel safe" is a title
    if len(kinds) > 1 and kinds[0] == "A" and kinds[1] == "I":
        factor *= 0.7  # "Warm with my daughter": the rest of "(she was) warm with ..."
    return factor
