"""analysis/hashing.py counts the same hashed character n-grams as scikit-learn's
HashingVectorizer (the shipped sentiment and safeguarding models were trained on those)."""
import csv

import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer

from analysis.hashing import CharGrams, wb_grams
from analysis.prepare import normalise
from tests.analysis.conftest import DATA_DIR

AWKWARD = ["", " ", "a", "ab", "abc", "abcd", "abcde", "I  am\there\nnow", "ünïcödé café",
           "😀 👨‍👩‍👧 emoji", "\u00a0nbsp\u2003em space", "zero\u200bwidth", "ÅÅÅÅÅÅ", "x" * 300,
           "don't can't won't", "ﬁ ligature", "\x00\x07 control"]


def _sklearn(bits):
    return HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=2 ** bits,
                             alternate_sign=False, norm=None, lowercase=False, dtype=np.float32)


def _texts():
    path = DATA_DIR / "nhs-feedback-themes.csv"
    if not path.exists():
        pytest.skip(f"{path} is not on this machine")
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        return [row["feedback"] for row in csv.DictReader(f)] + AWKWARD


@pytest.mark.parametrize("bits", [18, 12, 4])
def test_the_counts_are_scikit_learns_to_the_last_column(bits):
    texts = _texts()
    for docs in (texts, [normalise(t) for t in texts]):
        ours, theirs = CharGrams(bits).counts(docs), _sklearn(bits).transform(docs)
        assert ours.shape == theirs.shape
        assert np.array_equal(ours.indptr, theirs.indptr)
        assert np.array_equal(ours.indices, theirs.indices)
        assert np.array_equal(ours.data, theirs.data)


def test_awkward_text_matches_without_the_shared_data():
    ours, theirs = CharGrams(10).counts(AWKWARD), _sklearn(10).transform(AWKWARD)
    assert (ours != theirs).nnz == 0 and ours.shape == (len(AWKWARD), 1024)


def test_a_short_word_counts_once_whole():
    assert wb_grams("a") == [" a", "a ", " a "]
    assert wb_grams("ab")[-1] == " ab " and wb_grams("ab").count(" ab ") == 1


def test_the_cache_gives_the_same_counts_second_time_and_when_emptied(monkeypatch):
    import analysis.hashing as hashing
    grams = CharGrams(12)
    first = grams.counts(AWKWARD)
    assert (grams.counts(AWKWARD) != first).nnz == 0
    monkeypatch.setattr(hashing, "CACHE_LIMIT", 2)
    fresh = ["new words keep coming", "and coming again"]
    assert (grams.counts(fresh) != _sklearn(12).transform(fresh)).nnz == 0
    assert len(grams._cache) <= 2
