"""The learnt sentiment model: what it reads, its saved form and errors, shares, the
train-sentiment command and (slow, shared data) its held-out agreement with human ratings."""

import csv

import numpy as np
import pytest

from analysis import score_sentiment
from analysis.cli import main
from analysis.sentiment import sentiment_shares, share_words, vader_sentiment
from analysis.sentiment_model import (MODEL_PATH, SentimentModel, SentimentModelMissing,
                                      default_model, train_sentiment)
from analysis.sentiment_train import held_out_report, read_rated
from analysis.vectors import TextVectors, default_vectors

GOOD = ["The staff were kind and listened to us", "Lovely nurses, thank you so much",
        "Brilliant youth club, my son loves it", "Really helpful and friendly worker",
        "Great service, we felt heard", "The short breaks are a lifeline, thank you"]
BAD = ["We waited a year and nobody called back", "Rude receptionist who would not help",
       "The bus was late every day and nobody told us", "Appointment cancelled again without notice",
       "No one explained anything to my daughter", "Funding was cut and the club closed"]


@pytest.fixture(scope="module")
def wordllama():
    return TextVectors.load("wordllama")


@pytest.fixture(scope="module")
def small(wordllama):
    texts = GOOD * 3 + BAD * 3
    model, oof = train_sentiment(texts, [0.8] * 18 + [-0.8] * 18, wordllama,
                                 groups=[t for t in texts], alpha=1.0)
    return model, oof


def test_the_shipped_model_reads_feedback_where_vader_does_not():
    texts = ["Respite cut with no explanation", "Nothing", "Nothing to improve, all good",
             "My worker listened to me", "Waited eighteen months for a CAMHS appointment"]
    model = score_sentiment(texts)
    assert model[0] < 0 and default_model().polarity(model[:1]) == ["negative"]
    assert model[1] > 0.3 and model[2] > 0.3 and model[3] > 0.3   # VADER: 0.0, 0.44, 0.0
    assert model[4] < 0                                             # VADER: 0.0
    assert vader_sentiment(texts)[1] == 0.0 and vader_sentiment(texts)[3] == 0.0


def test_scores_are_bounded_and_blank_is_zero():
    scores = score_sentiment(["", None, "   ", "&nbsp;", "\U0001F600", "x" * 20000, "Great"])
    assert scores[:4] == [0.0, 0.0, 0.0, 0.0]
    assert all(-1.0 <= s <= 1.0 for s in scores)
    assert score_sentiment([]) == []


def test_train_save_load_round_trip(small, wordllama, tmp_path):
    model, oof = small
    assert oof.shape == (36,) and np.corrcoef(oof, [1] * 18 + [-1] * 18)[0, 1] > 0.5
    path = tmp_path / "m" / "sentiment.npz"
    model.save(path)
    again = SentimentModel.load(path, wordllama)
    probe = ["Kind staff who listened", "Nobody called back"]
    assert np.allclose(again.scores(probe), model.scores(probe), atol=1e-5)
    assert again.scores(probe)[0] > again.scores(probe)[1]
    assert (again.negative_below, again.positive_above) == (model.negative_below, model.positive_above)
    with open(path, "rb") as handle:
        assert b"pickle" not in handle.read()


@pytest.mark.parametrize("make", ["missing", "damaged", "other vectors"])
def test_load_errors_name_the_command(make, small, tmp_path):
    path = tmp_path / "sentiment.npz"
    if make == "damaged":
        path.write_bytes(b"not a model")
    elif make == "other vectors":
        small[0].save(path)
    with pytest.raises(SentimentModelMissing, match="python -m analysis train-sentiment"):
        SentimentModel.load(path, default_vectors())   # trained on wordllama alone


def test_bad_training_input(wordllama):
    with pytest.raises(ValueError):
        train_sentiment(GOOD, [1.0] * 5, wordllama)
    with pytest.raises(ValueError):
        train_sentiment(GOOD * 4, [1.0] * 24, wordllama)   # nothing to learn


def test_a_theme_reads_as_a_share():
    scores = [-0.6, -0.4, -0.2, -0.1, -0.3, -0.5, -0.7, 0.6, 0.8, 0.03]
    shares = sentiment_shares(scores + [None])
    assert shares == {"negative": 7, "neutral": 1, "positive": 2, "total": 10}
    assert share_words(shares) == "7 in 10 negative"
    assert share_words(shares, "positive") == "2 in 10 positive"
    assert share_words(sentiment_shares([])) == ""


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header] + rows)


@pytest.fixture
def rated_dir(tmp_path):
    themes = [["Nothing.", "3", "Couldn't be improved"], ["NA row", "NA", "Staff"]]
    themes += [[t, "3", "Staff"] for t in GOOD * 2] + [[t, "-3", "Access"] for t in BAD * 2]
    write(tmp_path / "nhs-feedback-themes.csv", ["feedback", "criticality", "label"], themes)
    multi = [["nothing", "1"], ["Did not answer", ""]] + [[t, "1"] for t in GOOD] + [[t, "5"] for t in BAD]
    write(tmp_path / "nhs-feedback-multilabel.csv", ["FFT answer", "Comment sentiment"], multi)
    return tmp_path


def test_read_rated_scales_and_groups_shared_texts(rated_dir):
    rated = read_rated(rated_dir)
    assert len(rated.texts) == 1 + 24 + 1 + 12            # "NA" and blank ratings skipped
    assert rated.targets.min() == -1.0 and rated.targets.max() == 1.0
    assert rated.targets[0] == 0.75 and rated.nothing_to_improve[0]
    first, shared = rated.texts.index("Nothing."), rated.texts.index("nothing")
    assert rated.sources[shared] == "multilabel" and rated.groups[first] == rated.groups[shared]
    report = held_out_report(rated, rated.targets)
    assert report["multilabel"]["spearman"] == 1.0 and report["themes"]["texts"] == 25


def test_train_sentiment_command(rated_dir, tmp_path, capsys):
    out = tmp_path / "model.npz"
    assert main(["train-sentiment", "--data-dir", str(rated_dir), "--out", str(out)]) == 0
    assert "held out" in capsys.readouterr().err
    model = SentimentModel.load(out, default_vectors())
    assert model.scores(["Rude receptionist"])[0] < model.scores(["Lovely kind nurses"])[0]
    assert main(["train-sentiment", "--data-dir", str(tmp_path / "nowhere"), "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith("error:")


def test_the_model_ships_with_the_project():
    assert MODEL_PATH.is_file() and MODEL_PATH.stat().st_size < 2_000_000
    assert default_model().info["held_out"]["themes"]["spearman"] >= 0.6


@pytest.mark.slow
@pytest.mark.shared_data
def test_held_out_spearman_on_the_shared_data(data_dir):
    """Grouped 5-fold: no text (after folding case and punctuation) is on both sides."""
    rated = read_rated(data_dir)
    _, oof = train_sentiment(rated.texts, rated.targets, default_vectors(), groups=rated.groups)
    report = held_out_report(rated, oof)
    assert report["themes"]["spearman"] >= 0.6 and report["multilabel"]["spearman"] >= 0.6
    assert report["themes without Couldn't be improved"]["spearman"] >= 0.6


def test_each_theme_reads_as_a_share():
    from analysis import find_themes
    from analysis.sentiment import theme_shares

    from .conftest import CORPUS, GOLD

    result = find_themes(CORPUS, n_themes=4, seed=0)
    shares = theme_shares(result)
    assert {t.id: t.size for t in result.themes} == {k: v["total"] for k, v in shares.items()}
    by_gold = {}
    for item, gold in zip(result.items, GOLD):
        if item.theme is not None:
            by_gold.setdefault(gold, set()).add(item.theme)
    waiting = shares[max(by_gold["waiting"], key=lambda t: shares[t]["total"])]
    listening = shares[max(by_gold["listening"], key=lambda t: shares[t]["total"])]
    assert waiting["negative"] > waiting["total"] / 2 > waiting["positive"]
    assert listening["positive"] > listening["total"] / 2


def test_scores_with_the_runs_known_vectors_are_the_same():
    from analysis.sentiment_model import default_model
    from analysis.vectors import KnownVectors, TextVectors

    model = default_model()
    texts = ["Nothing", "My worker listened to me", "Respite cut with no explanation", "  ", "Bus late again"]
    known = KnownVectors(model.vectors, texts[:3], model.vectors.embed(texts[:3]))
    assert np.array_equal(model.scores(texts, vectors=known), model.scores(texts))
    other = KnownVectors(TextVectors(model.vectors.tables[:1]), texts[:1],
                         np.zeros((1, model.vectors.tables[0].dim), np.float32))
    assert np.array_equal(model.scores(texts, vectors=other), model.scores(texts))  # not its vectors: ignored
