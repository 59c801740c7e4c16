"""The demo's "you said, we did" pairs: an answer goes to texts that ask for what it answers,
to a few of them only, and never to a text that merely shares its words."""
from __future__ import annotations

import random

from feedback.demo import history
from feedback.demo.corpus import Answer
from feedback.demo.history import MAX_USES, Answerer

SERVICE = "Home to School Transport"
DRIVER = Answer(SERVICE, "done", "Drivers and passenger assistants now text families when they "
                "are five minutes away, and send a photo of any new driver.")
CLUB = Answer(SERVICE, "done", "The Saturday club for older teenagers has moved to the leisure "
              "centre, with gaming, cooking and football.")
TEXTS = [
    "tell us when the driver is going to be late, a text would do",
    "a photo of the new driver so my son knows who is coming",
    "the driver never says when he is late and we wait outside in the rain",
    "text us if a new driver is coming, my daughter panics",
    "the new driver is late every day and nobody texts us",
    "my son loves football and gaming on saturdays",
]


def answerer() -> Answerer:
    corpus_like = TEXTS + ["the bus was fine", "school is ok", "nothing to say"] * 60
    return Answerer([DRIVER, CLUB], corpus_like, random.Random(7))


def test_an_answer_goes_to_a_text_asking_for_it():
    assert answerer().best(SERVICE, TEXTS[1]) is DRIVER


def test_an_answer_is_given_to_a_few_texts_only():
    chosen = answerer()
    given = [chosen.best(SERVICE, text) for text in TEXTS[:5]]
    assert given.count(DRIVER) == MAX_USES
    assert set(given) == {DRIVER, None}


def test_shared_words_are_not_enough_without_the_same_meaning(monkeypatch):
    text = "stop the saturday club at the leisure centre cooking my son is a football coach"
    assert answerer().best(SERVICE, text) is CLUB  # same words and meaning
    monkeypatch.setattr(history, "MATCH_MEANING", 1.01)  # nothing is that close
    assert answerer().best(SERVICE, text) is None
