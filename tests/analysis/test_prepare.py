from analysis.prepare import SurfaceForms, analyse, is_blank, normalise, stem, tokenise


def test_normalise_replaces_urls_handles_numbers_and_emoji():
    text = normalise("Waited 18 WEEKS!! see https://council.gov.uk/camhs @CouncilTeam \U0001F621 caf\u00e9")
    assert "http" not in text and "@" not in text and "18" not in text
    assert "urltoken" in text and "usertoken" in text and "numtoken" in text
    assert "emoji_" in text and "cafe" in text and text == text.lower()


def test_normalise_accepts_non_strings():
    assert normalise(None) == "" and normalise(12) == "numtoken"


def test_tokenise_joins_contractions():
    assert tokenise("didn't listen, but ok") == ["didnt", "listen", ",", "but", "ok"]


def test_analyse_stems_drops_stop_words_and_marks_negation():
    terms = analyse("The staff didn't listen to us. Waiting lists are long")
    assert "NOT_listen" in terms
    assert "wait" in terms and "list" in terms and "wait_list" in terms
    assert "the" not in terms and "NOT_wait" not in terms  # negation ends at the full stop


def test_analyse_keeps_feedback_words_that_sklearn_calls_stop_words():
    assert "noth" in analyse("Nothing") and "everyth" in analyse("Everything was fine")


def test_options_turn_off_negation_and_bigrams():
    terms = analyse("not listened to the young person", negation=False, bigrams=False)
    assert "listen" in terms and not any("_" in t for t in terms)


def test_surface_forms_give_readable_words():
    surface = SurfaceForms()
    for text in ["Short breaks are great", "short breaks again", "the short break"]:
        analyse(text, surface=surface)
    assert stem("breaks") == "break"
    assert surface.readable("break") == "breaks"
    assert surface.readable("short_break") == "short breaks"


def test_blank_detection():
    assert is_blank("") and is_blank("  ...!!") and is_blank(None)
    assert not is_blank("ok")


def test_tokens_are_nltks_regexp_tokenizers_on_the_shared_data_and_awkward_text():
    import csv

    from nltk.tokenize import RegexpTokenizer

    from analysis.prepare import TOKEN_PATTERN, _TOKENS
    from tests.analysis.conftest import DATA_DIR

    nltk = RegexpTokenizer(TOKEN_PATTERN)
    texts = ["", "don't won't it's", "a_b __ 'quoted' o'neil's", "end. of, it! really? yes; no:",
             "emoji_smiling_face numtoken", "ünïcödé café", "line\nbreak\ttab", "''''", "x'y'z"]
    path = DATA_DIR / "nhs-feedback-themes.csv"
    if path.is_file():
        with open(path, encoding="utf-8", errors="replace", newline="") as f:
            texts += [row["feedback"] for row in csv.DictReader(f)]
    for text in texts:
        for form in (text, normalise(text)):
            assert _TOKENS.findall(form) == nltk.tokenize(form), form
