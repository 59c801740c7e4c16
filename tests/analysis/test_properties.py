"""Property tests: preparation and sentiment accept any text without failing."""

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import find_themes, score_sentiment
from analysis.prepare import analyse, normalise


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_prepares(text):
    clean = normalise(text)
    assert clean == clean.strip() and "  " not in clean
    assert all(term and " " not in term for term in analyse(text))
    assert -1.0 <= score_sentiment([text])[0] <= 1.0


@settings(max_examples=10, deadline=None)
@given(st.lists(st.text(max_size=60), max_size=12), st.integers(1, 5))
def test_any_texts_theme(texts, k):
    result = find_themes(texts, n_themes=k)
    assert len(result.items) == len(texts)
    ids = {t.id for t in result.themes}
    assert all(i.theme is None or i.theme in ids for i in result.items)
    assert sum(t.size for t in result.themes) == sum(i.theme is not None for i in result.items)
