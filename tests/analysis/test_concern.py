"""The learned concern model on small made-up data: training, scoring, saving, loading."""
from __future__ import annotations

import numpy as np
import pytest

from analysis.concern import ConcernModel, ConcernModelError, normalise, segments
from analysis.concern_train import choose_threshold, train
from analysis.concern_eval import CorpusError, measure, read_corpus

CONCERNING = [
    ("he hits me when he has been drinking", "physical_abuse"),
    ("i want to die nobody would miss me", "self_harm"),
    ("my step dad comes in my room at night and touches me", "sexual_abuse"),
    ("i cut my arms again last night", "self_harm"),
    ("the driver grabs my arm and shouts in my face", "worker_harm"),
    ("i have nowhere to sleep tonight they kicked me out", "homeless"),
    ("older lads make me carry packages to other towns", "exploitation"),
    ("there is never any food in the house and mum is never there", "neglect"),
]
ORDINARY = [
    "the bus is always late in the morning",
    "i love the youth club on fridays",
    "start more sessions on saturday please",
    "this queue is murder honestly",
    "stop cancelling my appointments",
    "the staff are kind and they listen",
    "change the waiting list it is far too long",
    "more art and music please",
]


def corpus(copies: int = 8):
    texts, labels, kinds = [], [], []
    for i in range(copies):
        for text, kind in CONCERNING:
            texts.append(f"{text} {i}")
            labels.append(True)
            kinds.append(kind)
        for text in ORDINARY:
            texts.append(f"{text} {i}")
            labels.append(False)
            kinds.append("general")
    return texts, labels, kinds


@pytest.fixture(scope="module")
def fitted():
    return train(*corpus(), folds=3, seed=0, segmented=True)


def test_training_gives_a_threshold_and_out_of_fold_figures(fitted):
    model, report = fitted
    assert 0 < model.threshold < 1
    assert report.recall >= 0.9 and report.false_alarms <= 0.1
    assert model.info["oof_recall"] == round(report.recall, 4)
    assert set(model.kinds) == {k for _, k in CONCERNING}


def test_concerning_texts_score_high_and_say_why(fitted):
    model, _ = fitted
    result = model.score("i want to die")
    assert result.flagged and result.score >= model.threshold
    assert result.reasons and "die" in " ".join(result.reasons)
    assert result.kinds[0] == "self_harm"
    assert model.score("i love the art club").score < result.score / 10


def test_a_disclosure_at_the_end_of_a_long_complaint_is_not_diluted(fitted):
    model, _ = fitted
    complaint = "The bus is always late and the waiting list is far too long. " * 6
    tucked = complaint + "Also he hits me when he has been drinking."
    assert model.score(tucked).score > model.score(complaint).score
    assert model.score(tucked).flagged


def test_empty_and_odd_texts_score_zero_without_error(fitted):
    model, _ = fitted
    for text in ("", "   ", "!!!", "\x00\x01"):
        assert model.score(text).score == 0.0 and not model.score(text).flagged
    model.score("🙂 ünïcödé " * 200)


def test_the_fast_scorer_agrees_with_the_training_features(fitted):
    model, _ = fitted
    for text in ("the driver grabs my arm", "I can't sleep... he comes in my room!!", "hi"):
        sparse = float((model._features.transform([text]) @ model._coef)[0] + model.intercept)
        fast = float(model._segment_margins(text)[0][-1])
        assert fast == pytest.approx(sparse, abs=1e-4)


def test_same_data_and_seed_same_model():
    a, _ = train(*corpus(4), folds=2, seed=3)
    b, _ = train(*corpus(4), folds=2, seed=3)
    assert np.array_equal(a.coef, b.coef) and a.threshold == b.threshold


def test_save_and_load_give_the_same_scores(fitted, tmp_path):
    model, _ = fitted
    path = tmp_path / "concern.npz"
    model.save(path)
    loaded = ConcernModel.load(path)
    for text in ("i want to die", "the bus is late", "he hits me"):
        assert loaded.score(text).flagged == model.score(text).flagged
        assert loaded.score(text).score == pytest.approx(model.score(text).score, abs=2e-3)


def test_missing_damaged_or_foreign_files_are_refused(fitted, tmp_path):
    model, _ = fitted
    with pytest.raises(ConcernModelError, match="no safeguarding model"):
        ConcernModel.load(tmp_path / "none.npz")
    (tmp_path / "bad.npz").write_bytes(b"not a zip file")
    with pytest.raises(ConcernModelError, match="damaged"):
        ConcernModel.load(tmp_path / "bad.npz")
    good = tmp_path / "good.npz"
    model.save(good)
    data = bytearray(good.read_bytes())
    (tmp_path / "cut.npz").write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(ConcernModelError, match="damaged"):
        ConcernModel.load(tmp_path / "cut.npz")


def test_a_model_made_with_vectors_needs_the_same_vectors(tmp_path):
    class Toy:
        dim = 4

        def __init__(self, seed):
            self.seed = seed

        def embed(self, texts):
            out = np.zeros((len(texts), 4), dtype=np.float32)
            for i, t in enumerate(texts):
                out[i, (len(t) + self.seed) % 4] = 1.0
            return out

    model, _ = train(*corpus(4), folds=2, vectors=Toy(0))
    path = tmp_path / "v.npz"
    model.save(path)
    assert ConcernModel.load(path, vectors=Toy(0)).score("i want to die").flagged
    with pytest.raises(ConcernModelError, match="vectors"):
        ConcernModel.load(path)
    with pytest.raises(ConcernModelError, match="vectors"):
        ConcernModel.load(path, vectors=Toy(1))


def test_threshold_is_the_lowest_within_the_false_alarm_budget():
    y = np.array([1] * 100 + [0] * 100)
    p = np.concatenate([np.linspace(0.5, 1.0, 100), np.linspace(0.0, 0.4, 100)])
    t = choose_threshold(p, y, 0.05)
    assert np.mean(p[100:] >= t) == 0.05 and np.mean(p[:100] >= t) == 1.0
    assert np.mean(p[100:] >= np.nextafter(t, 0)) > 0.05
    overlap = np.concatenate([np.linspace(0.2, 1.0, 100), np.linspace(0.0, 0.6, 100)])
    t = choose_threshold(overlap, y, 0.05)
    assert np.mean(overlap[100:] >= t) <= 0.05 < np.mean(overlap[100:] >= np.nextafter(t, 0))


def test_text_is_normalised_and_split_into_segments():
    assert normalise("I DON'T feel saaaafe!!") == "i dont feel saafe"
    parts = segments("The bus is late. The driver is rude but he hits me. ok")
    assert parts == ["The bus is late", "The driver is rude", "but he hits me ok"]


def test_corpus_files_are_read_and_checked(tmp_path):
    (tmp_path / "a.tsv").write_text("label\tkind\tregister\ttext\n"
                                    "concerning\tself_harm\tplain\ti want to die\n"
                                    "ordinary\tgeneral\tplain\tthe bus is late\n", encoding="utf-8")
    rows = read_corpus(tmp_path)
    assert [r.concerning for r in rows] == [True, False]
    result = measure(rows, lambda text: "die" in text)
    assert result.recall == 1.0 and result.false_alarms == 0.0
    assert result.by_kind == {"self_harm": (1, 1)}
    (tmp_path / "b.tsv").write_text("label\tkind\tregister\ttext\nmaybe\tx\ty\tz\n",
                                    encoding="utf-8")
    with pytest.raises(CorpusError, match="b.tsv line 2"):
        read_corpus(tmp_path)


def test_the_lists_false_alarms_are_spent_from_the_same_budget():
    y = np.array([1] * 100 + [0] * 100)
    p = np.concatenate([np.linspace(0.5, 1.0, 100), np.linspace(0.0, 0.6, 100)])
    anyway = np.zeros(200, dtype=bool)
    anyway[100:103] = True  # the lists flag three ordinary texts whatever the model says
    t = choose_threshold(p, y, 0.05, anyway)
    flagged = (p >= t) | anyway
    assert np.mean(flagged[100:]) == 0.05
    assert t > choose_threshold(p, y, 0.05)
    anyway[100:120] = True  # over budget already: the model flags nothing more
    assert not np.any(p >= choose_threshold(p, y, 0.05, anyway))


def test_a_budget_per_group_keeps_each_group_of_ordinary_texts_within_it():
    """With ``budget_groups`` the hard ordinary texts (look-alikes) cannot spend the budget that
    many easy ones make room for: the threshold rises until each group is within it."""
    texts, labels, kinds = corpus(6)
    lookalikes = ["he hits the ball really hard", "i could die laughing at that film",
                  "the driver grabs a coffee on the way", "mum is never late for pick up"]
    for i in range(6):
        for text in lookalikes:
            texts.append(f"{text} {i}")
            labels.append(False)
            kinds.append("look-alike")
    groups = ["look-alike" if k == "look-alike" else "general" for k in kinds]
    _, pooled = train(texts, labels, kinds, folds=3, seed=0, max_false_alarms=0.25)
    _, per_group = train(texts, labels, kinds, folds=3, seed=0, max_false_alarms=0.25,
                         budget_groups=groups)
    assert per_group.threshold >= pooled.threshold
    y, g = np.asarray(labels), np.asarray(groups)
    for name in ("look-alike", "general"):
        ordinary = ~y & (g == name)
        assert per_group.flagged[ordinary].mean() <= 0.25


def test_composites_tuck_a_text_into_an_ordinary_host_and_keep_its_label():
    from analysis.concern_train import composites
    texts = ["the bus is late", "he hits me", "more art please"]
    y = np.array([0, 1, 0])
    made, labels = composites(texts, y, np.array([1]), np.array([0, 2]), 4,
                              np.random.default_rng(0))
    assert len(made) == 4 and list(labels) == [1, 1, 1, 1]
    assert all("he hits me" in m and ("bus" in m or "art" in m) for m in made)


def test_the_writer_of_a_training_row_is_its_file_prefix(tmp_path):
    from analysis.concern_eval import writer_of
    for name in ("w3_bullying.tsv", "w10_general.tsv", "extra.tsv"):
        (tmp_path / name).write_text("label\tkind\tregister\ttext\n"
                                     "ordinary\tgeneral\tplain\tthe bus is late\n",
                                     encoding="utf-8")
    assert [writer_of(r) for r in read_corpus(tmp_path)] == ["extra", "w10", "w3"]


def test_folds_by_writer_never_test_a_text_on_a_model_that_saw_its_writer():
    from analysis.concern_train import fold_splits
    rng = np.random.default_rng(0)
    writers = np.array([f"w{i}" for i in rng.integers(1, 8, 300)], dtype=object)
    strata = np.array([str(k) for k in rng.integers(0, 4, 300)], dtype=object)
    for folds, expected in ((10, 7), (3, 3)):
        splits, by_group = fold_splits(strata, folds, seed=0, groups=writers)
        assert by_group and len(splits) == expected
        tested = np.concatenate([test for _, test in splits])
        assert sorted(tested.tolist()) == list(range(300))  # every text scored once
        for train_idx, test_idx in splits:
            assert not set(writers[train_idx]) & set(writers[test_idx])
    splits, by_group = fold_splits(strata, 5, seed=0, groups=["w1"] * 300)
    assert not by_group and len(splits) == 5  # one writer: ordinary folds, said so
    with pytest.raises(ValueError, match="groups"):
        fold_splits(strata, 5, seed=0, groups=["w1"] * 10)


def test_training_by_writer_measures_what_a_new_writer_meets():
    """A writer whose disclosures share no word with anyone else's is caught out of fold when
    other texts of the same writer were seen, and not when the writer is held out: the
    writer-held-out figure is the honest one for new writers."""
    texts, labels, kinds = corpus(6)
    writers = ["w1" if i % 2 else "w2" for i in range(len(texts))]
    for i in range(6):
        for text in ("zorbly quanted the vimmet again", "plonky wibbers frattled her",
                     "grimbo snarfed my tuppin at night"):
            texts.append(f"{text} {i}")
            labels.append(True)
            kinds.append("physical_abuse")
            writers.append("w3")
    _, by_text = train(texts, labels, kinds, folds=3, seed=0, max_false_alarms=0.1)
    model, by_writer = train(texts, labels, kinds, folds=5, seed=0, max_false_alarms=0.1,
                             groups=writers)
    assert by_writer.by_group and by_writer.folds == 3 and not by_text.by_group
    third = np.asarray(writers) == "w3"
    assert by_text.flagged[third].mean() > by_writer.flagged[third].mean()
    assert model.info["held_out"] == "writer"


def test_the_word_weight_is_fitted_on_and_folded_into_the_saved_weights(tmp_path):
    """Trained with the word block weighted, the saved weights over unweighted rows give the
    margins of the model fitted on weighted rows, and the fast scorer agrees with them."""
    import scipy.sparse as sp
    from analysis.concern import _Featuriser, _l2_rows
    from analysis.concern_train import _fit_linear

    texts, labels, kinds = corpus(4)
    model, _ = train(texts, labels, kinds, folds=2, seed=0, C=2.0, word_weight=2.0)
    plain, _ = train(texts, labels, kinds, folds=2, seed=0, C=2.0)
    assert model.info["word_weight"] == 2.0
    assert not np.allclose(model.coef, plain.coef)
    features = _Featuriser(model.word_bits, model.char_bits, 0.0)

    def weighted(some):
        words, chars = features.counts([normalise(t) for t in some])
        return sp.hstack([2.0 * _l2_rows(words), _l2_rows(chars)], format="csr")

    fitted = _fit_linear(weighted(texts), np.asarray(labels, dtype=int), 2.0, 0)
    probe = ["he grabs my arm", "the bus is late again", texts[0]]
    expected = fitted.decision_function(weighted(probe))
    assert model.margins(probe) == pytest.approx(expected, abs=1e-3)
    path = tmp_path / "weighted.npz"
    model.save(path)
    assert ConcernModel.load(path).margins(probe) == pytest.approx(expected, abs=5e-3)


def test_contrast_pairs_train_the_model_but_do_not_spend_the_false_alarm_budget():
    """Ordinary texts written to sit next to concerning ones ("mum locks the fridge so my
    brother stops raiding it") teach the model; counted in the budget they would push the
    threshold up for every ordinary message, so ``budget`` can leave them out of it."""
    texts, labels, kinds = corpus()
    pairs = [f"{text} {i + 100}" for i in range(2) for text, _ in CONCERNING]  # as close as can be
    texts, labels, kinds = texts + pairs, labels + [False] * len(pairs), kinds + ["general"] * len(pairs)
    budget = [True] * (len(texts) - len(pairs)) + [False] * len(pairs)
    counted, counted_report = train(texts, labels, kinds, folds=3, seed=0)
    spared, spared_report = train(texts, labels, kinds, folds=3, seed=0, budget=budget)
    assert spared.threshold < counted.threshold
    assert spared_report.recall >= counted_report.recall
    flagged = spared_report.flagged
    ordinary = ~np.asarray(labels)
    in_budget = ordinary & np.asarray(budget)
    assert spared_report.false_alarms == pytest.approx(flagged[in_budget].mean())
    assert (spared.coef == train(texts, labels, kinds, folds=3, seed=0, budget=[True] * len(texts))[0].coef).all()


def test_only_the_ordinary_rows_of_pairs_files_are_out_of_the_budget(tmp_path):
    from analysis.concern_eval import in_budget

    for name in ("w15_pairs_concerning.tsv", "w15_pairs_ordinary.tsv", "w7_general.tsv"):
        label = "concerning" if "concerning" in name else "ordinary"
        (tmp_path / name).write_text(f"label\tkind\tregister\ttext\n{label}\tneglect\tplain\tno food {name}\n",
                                     encoding="utf-8")
    rows = {r.source.split(":")[0]: in_budget(r) for r in read_corpus(tmp_path)}
    assert rows == {"w15_pairs_concerning.tsv": True, "w15_pairs_ordinary.tsv": False, "w7_general.tsv": True}
