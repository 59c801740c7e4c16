"""The text-vector layer: cleaning, loading, embedding and the missing-table error."""

import subprocess
import sys

import numpy as np
import pytest

from analysis.vectors import TextVectors, VectorsMissing, clean_text, default_vectors

from .conftest import REPO


@pytest.mark.parametrize("raw, clean", [
    ("Nurses&nbsp;were <b>lovely</b>", "Nurses were lovely"),
    ("tea &amp; toast", "tea & toast"),
    ("double &amp;nbsp; escaped", "double escaped"),
    ("line\r\n\tbreaks   and\x00 nulls", "line breaks and nulls"),
    ("<p>Para</p><br/>two", "Para two"),
    ("a < b and c > d", "a < b and c > d"),
    (None, ""),
    (12, "12"),
])
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_embed_shape_unit_rows_and_zero_rows():
    vectors = default_vectors()
    out = vectors.embed(["The nurses were lovely", "", "   ", "&nbsp;", "Parking costs too much"])
    assert out.dtype == np.float32 and out.shape == (5, vectors.dim)
    norms = np.linalg.norm(out, axis=1)
    assert np.allclose(norms[[0, 4]], 1.0, atol=1e-5)
    assert np.all(norms[1:4] == 0.0)
    assert vectors.embed([]).shape == (0, vectors.dim)


def test_meaning_not_spelling():
    """Kind-staff texts are closer to each other than to a parking text that shares no word."""
    v = default_vectors().embed(["the nurses were lovely", "kind and caring staff",
                                 "the car park was full", "parking is too expensive"])
    sim = v @ v.T
    assert sim[0, 1] > sim[0, 2] and sim[0, 1] > sim[0, 3]
    assert sim[2, 3] > sim[2, 1] and sim[2, 3] > sim[3, 0]


def test_same_text_same_vector_and_markup_ignored():
    v = default_vectors().embed(["Kind staff", "<i>Kind</i>&nbsp;staff", "Kind staff"])
    assert np.array_equal(v[0], v[2]) and np.allclose(v[0], v[1], atol=1e-6)


def test_default_is_cached_and_single_tables_load():
    assert default_vectors() is default_vectors()
    assert TextVectors.load("wordllama").dim == 256
    assert default_vectors().dim == sum(t.dim for t in default_vectors().tables)


def test_missing_table_names_the_command(tmp_path):
    with pytest.raises(VectorsMissing, match="python -m analysis distil"):
        TextVectors.load(tmp_path)
    with pytest.raises(VectorsMissing, match="make install"):
        TextVectors.load(tmp_path / "nothing.npz")


def test_no_torch_at_run_time():
    code = ("import sys; from analysis.vectors import default_vectors; "
            "default_vectors().embed(['kind staff']); print('torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "False"


EDGE_TEXTS = [
    "the_bus is late!!! (again)", "don't stop", "it's 7:45am, route #12 @ stop", "email x@example.com",
    "café naïve", "emoji 😀 here", "tab\there", "ctrl\x01char", "nul\x00byte", "CAPS and MiXeD",
    "", "   ", "a" * 300, "https://example.com/a_b?c=d&e=f", "£5 and €6", "1,000.50 %",
    "—dash– and ‘quotes’", "line\nbreak\r\nwindows", "ｆｕｌｌ width", "mum's bf's car's",
]


def test_minilm_word_cache_gives_the_tokenizers_own_ids(data_dir):
    """The fast path (ASCII words looked up one by one) is exact: the same ids as the
    tokenizer, for odd texts and for every text of the shared data sets."""
    import csv
    from analysis.vectors import load_minilm
    table = load_minilm()
    texts = list(EDGE_TEXTS)
    for name, column in (("nhs-feedback-themes.csv", "feedback"),
                         ("nhs-feedback-multilabel.csv", "FFT answer")):
        with open(data_dir / name, encoding="utf-8", errors="replace", newline="") as handle:
            texts += [row[column] for row in csv.DictReader(handle)]
    docs = [clean_text(t) for t in texts]
    fast = table.token_ids(docs)
    fast_again = table.token_ids(docs)  # from the cache
    slow = [e.ids for e in table.tokenizer.encode_batch(docs, add_special_tokens=False)]
    assert fast == slow and fast_again == slow


def test_wordllama_word_cache_gives_the_tokenizers_own_ids(data_dir):
    """The SentencePiece-style fast path (a text split at its single spaces, each word's ids
    remembered) is exact: the same ids as the tokenizer, cleaned or raw, for odd texts and for
    every text of the shared data sets and joined pairs of them."""
    import csv
    from analysis.vectors import _fast_words, load_wordllama
    table = load_wordllama()
    assert _fast_words(table.tokenizer) is not None
    texts = list(EDGE_TEXTS) + ["a <s> b </s>", "x\u00a0y", "two  spaces", " lead", "trail ",
                                "~`!@#$%^&*()_+-={}[]|\\:;\"'<>,.?/ 0123456789 ABC xyz"]
    for name, column in (("nhs-feedback-themes.csv", "feedback"),
                         ("nhs-feedback-multilabel.csv", "FFT answer")):
        with open(data_dir / name, encoding="utf-8", errors="replace", newline="") as handle:
            texts += [row[column] for row in csv.DictReader(handle)]
    texts += [f"{a} {b}" for a, b in zip(texts[::7], texts[3::7])]
    docs = [clean_text(t) for t in texts] + texts
    fast = table.token_ids(docs)
    fast_again = table.token_ids(docs)  # from the cache
    slow = [e.ids for e in table.tokenizer.encode_batch(docs, add_special_tokens=False)]
    assert fast == slow and fast_again == slow


def test_known_vectors_give_the_same_rows_and_embed_only_the_rest(monkeypatch):
    from analysis.vectors import KnownVectors

    vectors = default_vectors()
    known_texts = ["Staff listened to me", "<b>The bus</b> was late", "   "]
    known = KnownVectors(vectors, known_texts, vectors.embed(known_texts))
    asked = ["The bus was late", "Staff  listened to me", "A text not embedded before", "", "   "]
    seen = []
    embed = vectors.embed
    monkeypatch.setattr(vectors, "embed", lambda texts: seen.extend(texts) or embed(texts))
    got = known.embed(asked)
    assert seen == ["A text not embedded before"]  # the others clean to a known text ("" too)
    assert np.array_equal(got, embed(asked))
    with pytest.raises(ValueError):
        KnownVectors(vectors, known_texts, np.zeros((2, vectors.dim), np.float32))
