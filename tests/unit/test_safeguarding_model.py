"""The learned half of the safeguarding screen: the shipped model, its fallback and its bar.

The bar is measured on the frozen evaluation part of the corpus, which training never reads
(docs/safeguarding.md gives the figures by kind of harm).
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pytest

from analysis.concern_eval import digest, read_corpus
from feedback import concern_bridge, safeguarding

# The shipped screen's figures on the frozen evaluation part (docs/safeguarding.md); a change
# that lowers them fails here.
EVAL_MIN_RECALL = 0.945  # 312 of 330, measured 2026-12-07 late (w16_, pairs out of the budget)
EVAL_MAX_FALSE_ALARMS = 0.046  # 10 of 220
EVAL2_MIN_RECALL = 0.969  # 291 of 300
EVAL2_MAX_FALSE_ALARMS = 0.057  # 17 of 300
EVAL3_MIN_RECALL = 0.946  # 284 of 300 (first measured at 275, before w8_)
EVAL3_MAX_FALSE_ALARMS = 0.047  # 14 of 299 (first measured at 18)
EVAL4_MIN_RECALL = 0.943  # 283 of 300 (first measured blind at 283, before w11_)
EVAL4_MAX_FALSE_ALARMS = 0.041  # 12 of 300 (first measured at 14)
EVAL5_MIN_RECALL = 0.959  # 288 of 300 (first measured blind at 289, before w12_)
EVAL5_MAX_FALSE_ALARMS = 0.027  # 8 of 300 (first measured at 9)
EVAL6_MIN_RECALL = 0.966  # 290 of 300 (first measured blind at 290, before w13_ to w15_)
EVAL6_MAX_FALSE_ALARMS = 0.034  # 10 of 300 (first measured at 13)
EVAL7_MIN_RECALL = 0.956  # 287 of 300 (first measured blind at 289, before w16_)
EVAL7_MAX_FALSE_ALARMS = 0.037  # 11 of 300 (first measured at 12)
# The frozen evaluation parts those figures were measured on (feedback/safeguarding_corpus/README.md).
EVAL_DIGEST = "3b61b31ab5f8fdc3"
EVAL2_DIGEST = "0432100330fe38ad"
EVAL3_DIGEST = "57ee45446383da3b"
EVAL4_DIGEST = "9b5082ff8366f57a"
EVAL5_DIGEST = "15b143c3d8e2d140"
EVAL6_DIGEST = "f33a42589bc5a21d"
EVAL7_DIGEST = "c9104325f65b9d5f"


@pytest.fixture
def model_at(monkeypatch):
    """Point the bridge at another model file for one test, loading it afresh."""
    def use(path):
        monkeypatch.setattr(concern_bridge, "MODEL_PATH", path)
        concern_bridge.reset_concern_model()
    yield use
    concern_bridge.reset_concern_model()


def test_the_shipped_model_loads_and_scores_every_text():
    concern_bridge.reset_concern_model()
    assert safeguarding.model_status() == "loaded"
    result = safeguarding.screen("The new chairs are comfy. Not sure I should say but my uncle "
                                 "hurts me when mum is at work")
    assert result.score is not None and 0 <= result.score <= 1
    assert safeguarding.screen("The youth club is brilliant").score is not None


def test_a_model_flag_names_a_category_and_the_words_that_weighed(monkeypatch):
    model = concern_bridge.default_concern_model()
    text = "my step dad keeps coming in my room at night and says its our secret"
    result = safeguarding.screen(text, model=model)
    assert result.flagged and result.model_flagged
    assert result.categories and all(c in safeguarding.CATEGORIES for c in result.categories)
    assert result.reasons and all(re.fullmatch(r"[\w ]+", r) for r in result.reasons)
    assert all(r in safeguarding.normalise(text) or r in text.lower() for r in result.reasons)


def test_a_phrase_match_flags_even_when_the_model_scores_low(monkeypatch):
    class Quiet:
        def score(self, text):
            from analysis.concern import ConcernScore
            return ConcernScore(0.01, False)

    result = safeguarding.screen("i want to kill myself", model=Quiet())
    assert result.flagged and not result.model_flagged and result.score == 0.01
    assert result.categories == ("self_harm",)


@pytest.mark.parametrize("content", [None, b"", b"PK\x03\x04 not really a zip", b"\x00" * 64])
def test_a_missing_or_damaged_model_falls_back_to_the_lists_and_says_so(
        tmp_path, model_at, caplog, content):
    path = tmp_path / "concern.npz"
    if content is not None:
        path.write_bytes(content)
    model_at(path)
    with caplog.at_level(logging.ERROR, logger="feedback.safeguarding"):
        result = safeguarding.screen("i want to kill myself")
        again = safeguarding.screen("he said he will hurt me")
    assert result.flagged and result.categories == ("self_harm",) and result.score is None
    assert again.score is None
    errors = [r for r in caplog.records if "SAFEGUARDING MODEL NOT IN USE" in r.getMessage()]
    assert len(errors) == 1, "logged once, not once per text"
    assert safeguarding.model_status() != "loaded"


def test_a_truncated_copy_of_the_real_model_is_refused(tmp_path, model_at, caplog):
    data = concern_bridge.MODEL_PATH.read_bytes()
    path = tmp_path / "cut.npz"
    path.write_bytes(data[: len(data) // 3])
    model_at(path)
    with caplog.at_level(logging.ERROR, logger="feedback.safeguarding"):
        assert safeguarding.screen("the bus is late").score is None
    assert "damaged" in safeguarding.model_status()


def test_the_shipped_model_was_trained_on_the_corpus_as_it_is():
    """Editing the corpus without retraining (flask --app wsgi safeguarding train) fails here."""
    model = concern_bridge.default_concern_model()
    assert model.info["corpus"] == digest(read_corpus(concern_bridge.TRAIN_CORPUS))


def _words(text):
    return frozenset(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


@pytest.mark.parametrize("part", concern_bridge.FROZEN_PARTS, ids=lambda p: p.name)
def test_an_evaluation_part_shares_no_text_nor_a_near_copy_with_the_training_part(part):
    """No frozen text is in training, word for word or nearly (the same words, give or take one
    in five: a near copy would make the figures less blind)."""
    train = [_words(r.text) for r in read_corpus(concern_bridge.TRAIN_CORPUS)]
    frozen = read_corpus(part)
    assert len(frozen) >= 400
    by_word: dict[str, list[int]] = {}
    for i, words in enumerate(train):
        for word in words:
            by_word.setdefault(word, []).append(i)
    near = []
    for row in frozen:
        words = _words(row.text)
        shared: dict[int, int] = {}
        for word in words:
            for i in by_word.get(word, ()):
                shared[i] = shared.get(i, 0) + 1
        for i, n in shared.items():
            if n / len(words | train[i]) >= 0.8:
                near.append(row.text)
                break
    assert near == []


def test_the_evaluation_parts_share_no_text():
    seen: set = set()
    for part in concern_bridge.FROZEN_PARTS:
        words = [_words(r.text) for r in read_corpus(part)]
        assert [w for w in words if w in seen] == [], part.name
        seen.update(words)


@pytest.mark.parametrize("part, expected", [(concern_bridge.EVAL_CORPUS, EVAL_DIGEST),
                                            (concern_bridge.EVAL2_CORPUS, EVAL2_DIGEST),
                                            (concern_bridge.EVAL3_CORPUS, EVAL3_DIGEST),
                                            (concern_bridge.EVAL4_CORPUS, EVAL4_DIGEST),
                                            (concern_bridge.EVAL5_CORPUS, EVAL5_DIGEST),
                                            (concern_bridge.EVAL6_CORPUS, EVAL6_DIGEST),
                                            (concern_bridge.EVAL7_CORPUS, EVAL7_DIGEST)],
                         ids=["eval", "eval2", "eval3", "eval4", "eval5", "eval6", "eval7"])
def test_the_evaluation_parts_are_the_ones_the_figures_were_measured_on(part, expected):
    """Editing a row of a frozen part fails here on purpose: its figures would no longer be blind."""
    assert digest(read_corpus(part)) == expected


def test_the_corpus_is_broad():
    rows = read_corpus(concern_bridge.TRAIN_CORPUS)
    concerning = [r for r in rows if r.concerning]
    by_kind = {}
    for r in concerning:
        by_kind[r.kind] = by_kind.get(r.kind, 0) + 1
    assert len(by_kind) == 15 and min(by_kind.values()) >= 150, by_kind
    assert len(rows) - len(concerning) >= len(concerning)


@pytest.mark.slow
@pytest.mark.parametrize("part, min_recall, max_false_alarms", [
    (concern_bridge.EVAL_CORPUS, EVAL_MIN_RECALL, EVAL_MAX_FALSE_ALARMS),
    (concern_bridge.EVAL2_CORPUS, EVAL2_MIN_RECALL, EVAL2_MAX_FALSE_ALARMS),
    (concern_bridge.EVAL3_CORPUS, EVAL3_MIN_RECALL, EVAL3_MAX_FALSE_ALARMS),
    (concern_bridge.EVAL4_CORPUS, EVAL4_MIN_RECALL, EVAL4_MAX_FALSE_ALARMS),
    (concern_bridge.EVAL5_CORPUS, EVAL5_MIN_RECALL, EVAL5_MAX_FALSE_ALARMS),
    (concern_bridge.EVAL6_CORPUS, EVAL6_MIN_RECALL, EVAL6_MAX_FALSE_ALARMS),
    (concern_bridge.EVAL7_CORPUS, EVAL7_MIN_RECALL, EVAL7_MAX_FALSE_ALARMS)],
    ids=["eval", "eval2", "eval3", "eval4", "eval5", "eval6", "eval7"])
def test_the_screen_keeps_its_figures_on_each_frozen_evaluation_part(part, min_recall,
                                                                     max_false_alarms):
    concern_bridge.reset_concern_model()
    result = concern_bridge.evaluate_screen(lambda text: safeguarding.screen(text).flagged, part)
    assert result.recall >= min_recall, result.by_kind
    assert result.false_alarms <= max_false_alarms


def test_healthz_says_whether_the_model_is_in_use(client, tmp_path, model_at):
    concern_bridge.reset_concern_model()
    assert client.get("/healthz").get_json()["safeguarding_model"] == "ok"
    model_at(tmp_path / "absent.npz")
    state = client.get("/healthz")
    assert state.status_code == 200 and state.get_json()["safeguarding_model"] == "not in use"
    assert "absent" not in state.get_data(as_text=True)


def _three_writers(folder):
    lines = {"concerning": ["he hits me when he drinks", "i want to die tonight",
                            "the driver grabs my arm", "i have nowhere to sleep"],
             "ordinary": ["the bus is late again", "more art club please",
                          "the staff are kind", "the waiting list is long"]}
    for writer in ("w1", "w2", "w3"):
        rows = [f"{label}\t{'general' if label == 'ordinary' else 'physical_abuse'}\tplain\t"
                f"{text} {writer} {i}" for label, texts in lines.items() for text in texts
                for i in range(3)]
        (folder / f"{writer}_mixed.tsv").write_text(
            "label\tkind\tregister\ttext\n" + "\n".join(rows) + "\n", encoding="utf-8")


def test_training_holds_out_writers_and_weighs_the_words(tmp_path):
    """``train_concern_model`` scores each training text with a model that never saw the
    file's writer (``w1_``, ``w2_``...) unless told otherwise, and uses the chosen word weight."""
    _three_writers(tmp_path)
    by_writer = concern_bridge.train_concern_model(
        tmp_path, tmp_path / "w.npz", use_vectors=False, flagged_by_lists=lambda text: False)
    assert by_writer.report.by_group and by_writer.report.folds == 3
    saved = concern_bridge.ConcernModel.load(tmp_path / "w.npz")
    assert saved.info["held_out"] == "writer"
    assert saved.info["word_weight"] == concern_bridge.WORD_WEIGHT
    by_text = concern_bridge.train_concern_model(
        tmp_path, tmp_path / "t.npz", use_vectors=False, by_writer=False,
        flagged_by_lists=lambda text: False)
    assert not by_text.report.by_group and by_text.report.folds == 5


def test_the_train_command_says_how_the_threshold_was_validated(runner, tmp_path):
    _three_writers(tmp_path)
    args = ["safeguarding", "train", "--corpus", str(tmp_path), "--no-vectors"]
    result = runner.invoke(args=args + ["--out", str(tmp_path / "w.npz")])
    assert result.exit_code == 0, result.output
    assert "3 folds, each text scored by a model that never saw its writer" in result.output
    result = runner.invoke(args=args + ["--out", str(tmp_path / "t.npz"), "--by-text"])
    assert result.exit_code == 0, result.output
    assert "(5-fold)" in result.output and "never saw" not in result.output


# The answers families give most often to "what could be better?": none is a child at risk. The
# model once scored "Nothing" 0.97 and flagged one NHS comment in six (docs/safeguarding.md).
EMPTY_ANSWERS = ["Nothing", "Nothing.", "nothing really", "No", "no thanks", "none", "N/A",
                 "Can't think of anything", "No comment", "All good", "nothing to add"]


def test_the_answers_families_give_most_are_not_flagged():
    concern_bridge.reset_concern_model()
    flagged = [text for text in EMPTY_ANSWERS if safeguarding.screen(text).flagged]
    assert flagged == []


NHS_COMMENTS = (Path(os.environ.get("ANALYSIS_DATA_DIR", Path(__file__).resolve().parents[2].parent
                                     / "shared" / "data")) / "nhs-feedback-themes.csv")


@pytest.mark.slow
@pytest.mark.skipif(not NHS_COMMENTS.exists(), reason="the shared NHS feedback file is not here")
def test_ordinary_nhs_comments_are_rarely_flagged():
    """A standing check on ordinary text the screen was never shaped to: adult patients'
    comments (10,334; 4.3% flagged when written down). Catches a false alarm no frozen part has,
    as "Nothing" was."""
    import csv  # noqa: PLC0415

    with NHS_COMMENTS.open(encoding="utf-8", errors="replace", newline="") as handle:
        texts = [row["feedback"] for row in csv.DictReader(handle) if row["feedback"].strip()]
    concern_bridge.reset_concern_model()
    share = sum(safeguarding.screen(text).flagged for text in texts) / len(texts)
    assert share <= 0.05, f"{share:.1%} of ordinary NHS comments flagged"
