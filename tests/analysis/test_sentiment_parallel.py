"""The sentiment's second process (``analysis.sentiment.start_text_part``): a big theme run
works out the text part of the scores in a forked process while it makes the text vectors; the
scores must be the very same as in one process, and a broken second process must lose nothing."""

import logging
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

from analysis import find_themes, score_sentiment
from analysis import sentiment
from analysis.sentiment_model import default_model

OPENINGS = ["The bus", "My son's escort", "The youth club", "CAMHS", "The respite worker",
            "Short breaks", "The family hub", "Our social worker", "The EHCP review", "The nurse"]
VERDICTS = ["was late again and nobody rang us", "was brilliant and kind to him",
            "cancelled with no notice", "listened to us properly for once", "is a lifeline for us",
            "never called back", "made her feel safe", "was rude on the phone"]
TEXTS = [f"{o} {v} ({n})" for n in range(4) for o in OPENINGS for v in VERDICTS] + ["", "   ", "\U0001F600"]


def test_the_second_process_gives_the_very_same_scores():
    pending = sentiment.start_text_part(TEXTS, at_least=1)
    assert pending is not None  # this machine forks and has two cores
    assert score_sentiment(TEXTS, pending=pending) == score_sentiment(TEXTS)


def test_the_text_part_and_the_vectors_add_up_to_the_score():
    model = default_model()
    alone = model.scores(TEXTS)
    given = model.scores(TEXTS, text_part=model.text_part([t for t in TEXTS]))
    assert (alone == given).all()


def test_small_runs_and_other_analysers_stay_in_one_process():
    assert sentiment.start_text_part(TEXTS) is None  # fewer than PARALLEL_FROM distinct texts
    assert sentiment.start_text_part(TEXTS, analyser=sentiment.default_analyser(), at_least=1) is None


def test_a_broken_second_process_loses_no_score(caplog):
    broken = Future()
    broken.set_exception(BrokenProcessPool("the process was killed"))
    with caplog.at_level(logging.WARNING, logger="analysis.sentiment"):
        assert score_sentiment(TEXTS, pending=broken) == score_sentiment(TEXTS)
    assert "second process failed" in caplog.text


def test_a_theme_run_with_the_second_process_is_the_same(monkeypatch):
    alone = find_themes(TEXTS, n_themes=3, seed=0)
    monkeypatch.setattr(sentiment, "PARALLEL_FROM", 1)
    both = find_themes(TEXTS, n_themes=3, seed=0)
    assert [i.sentiment for i in both.items] == [i.sentiment for i in alone.items]
    assert [t.label for t in both.themes] == [t.label for t in alone.themes]
