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


AWKWARD = ["", "   ", "Not bad at all", "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
           "The book was only kind of good.", "Sentiment analysis has never been this good!",
           "Without a doubt, excellent idea.", "With VADER, sentiment analysis is the shit!",
           "the bus stop was awful", "Roger Dodger is one of the least compelling variations",
           "at least it isn't a horrible book", "no no no good", "sort of bad but kind of ok",
           "yeah right, great", "Catch utf-8 emoji such as 💘 and 💋 and 😁", "😁", "good \t bad  ",
           "never so good", "kiss of death", "it is to die for", "I didn't like it but staff were kind",
           "Not such a badass after all.", "Today only kinda sux! But I'll get by, lol", "no"]


def _reference_analyser():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer(lexicon_file=default_lexicon_path())


def test_the_faster_vader_gives_the_reference_scores_on_awkward_texts():
    reference, fast = _reference_analyser(), make_analyser()
    assert type(fast) is not type(reference)  # the faster steps are really in use
    long_text = " ".join(AWKWARD[2:] * 20)  # long texts were the quadratic case
    for text in AWKWARD + [long_text]:
        assert fast.polarity_scores(text) == reference.polarity_scores(text), text


def test_the_faster_vader_gives_the_reference_scores_on_the_shared_data():
    import csv

    from tests.analysis.conftest import DATA_DIR

    path = DATA_DIR / "nhs-feedback-themes.csv"
    if not path.is_file():
        pytest.skip(f"{path} is not on this machine")
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        texts = [row["feedback"] for row in csv.DictReader(f)]
    reference, fast = _reference_analyser(), make_analyser()
    joined = [f"{a} {b}" for a, b in zip(texts, texts[1:])][:3_000]
    mismatched = [t for t in texts + joined if fast.polarity_scores(t) != reference.polarity_scores(t)]
    assert mismatched == []
