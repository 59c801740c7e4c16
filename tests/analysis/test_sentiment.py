import pytest

from analysis import make_analyser, score_sentiment
from analysis.sentiment import default_lexicon_path, vader_sentiment


def test_scores_are_signed_and_bounded():
    scores = score_sentiment(["The staff were kind and helpful, brilliant service",
                              "Awful, we waited a year and nobody called back. Terrible.",
                              "", None, "\U0001F600", "x" * 20000])
    assert scores[0] > 0.5 and scores[1] < -0.3
    assert scores[2] == 0.0 and scores[3] == 0.0
    assert all(-1.0 <= s <= 1.0 for s in scores)


def test_negation_lowers_score():
    good, not_good = score_sentiment(["The club was good", "The club was not good"])
    assert not_good < good


def test_lexicon_path_is_a_parameter(tmp_path):
    lexicon = tmp_path / "lexicon.txt"
    lexicon.write_text("camhs\t-3.0\t0.5\t[-3, -3]", encoding="utf-8")  # NLTK rejects a blank last line
    custom = make_analyser(str(lexicon))
    assert score_sentiment(["camhs"], analyser=custom)[0] < 0
    assert vader_sentiment(["camhs"])[0] == 0.0  # default lexicon is unchanged


def test_missing_lexicon_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        make_analyser(str(tmp_path / "missing.txt"))
    assert default_lexicon_path().endswith("vader_lexicon.txt")
