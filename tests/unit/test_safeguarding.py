"""The safeguarding screen's phrase lists on a broad table of concerning and ordinary phrases.

These tables test the lists alone (``model=None``): the learned model beside them is tested
in ``test_safeguarding_model.py`` and measured on the frozen evaluation corpus.
"""
from __future__ import annotations

from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback import safeguarding
from feedback.safeguarding import Screening, load_phrase_book

screen = partial(safeguarding.screen, model=None)

CONCERNING = [
    ("i want to kill myself", "self_harm"),
    ("sometimes i wanna die tbh", "self_harm"),
    ("i want to kms", "self_harm"),
    ("been having sucidal thoughts", "self_harm"),
    ("I keep cutting myself when it gets bad", "self_harm"),
    ("i'd be better off dead", "self_harm"),
    ("i am not alright", "unsafe_home"),
    ("im not ok", "unsafe_home"),
    ("I don't feel safe at home", "unsafe_home"),
    ("scared to go home after school", "unsafe_home"),
    ("my stepdad hits me", "abuse"),
    ("he touched me and said not to tell", "abuse"),
    ("my dad hits mum when he is drunk", "domestic_abuse"),
    ("police come to our house most weekends", "domestic_abuse"),
    ("no food in the house again", "neglect"),
    ("older boys make me hold drugs", "exploitation"),
    ("a man online asked me for nudes", "exploitation"),
    ("county lines lot hang round the park", "exploitation"),
    ("he said he is going to stab me", "threats"),
    ("a kid brought a knife to the club", "threats"),
    ("I ran away from placement last week", "missing"),
    ("been sofa surfing for weeks", "missing"),
    ("my key worker grabbed me and hit me", "worker_harm"),
    ("a member of staff touched me", "worker_harm"),
    ("I'M NOT OKAY!!!", "unsafe_home"),
    ("i dont wanna be alive anymore", None),  # some category, whichever
]
ORDINARY = [
    "this queue is murder",
    "stop slashing the holiday club",
    "stop cutting the bus route",
    "the homework club is killing me with boredom",
    "I nearly killed myself laughing at the panto",
    "the youth club is boring on fridays",
    "please start a cooking club",
    "change the times so I can come after school",
    "my worker is great and always listens",
    "it hurt my feelings when they cancelled",
    "we need more money for the drop-in",
    "the food at the club is bad",
    "I feel safe at the youth club",
    "stop closing the library early",
    "the staff are kind",
    "",
]


# Parents, carers and workers write about children in the third person. Written for this
# table in the ways families write: text-speak, misspellings, no punctuation, capitals.
# A tuple names every category the text must raise.
THIRD_PERSON = [
    ("my son said he wants to kill himself", "self_harm"),
    ("my daughter has been self harming", "self_harm"),
    ("MY SON SAID HE WANTS TO DIE", "self_harm"),
    ("my daughter sed she wants 2 kill herself", "self_harm"),
    ("h3 w@nts 2 k1ll h1mself", "self_harm"),
    ("she's been cutting her arms again", "self_harm"),
    ("found cuts on his wrists last night", "self_harm"),
    ("my lad took all his tablets last week and ended up in a&e", "self_harm"),
    ("he says he wishes he was dead", "self_harm"),
    ("my boy doesnt want to be alive anymore", "self_harm"),
    ("she talks about suicide all the time", "self_harm"),
    ("he has been hurting himself on purpose", "self_harm"),
    ("my kid tried to hang him self", "self_harm"),
    ("our daughter is starving herself", "self_harm"),
    ("he said he wants to unalive himself", "self_harm"),
    ("my child is being hit at home", "abuse"),
    ("MY CHILD IS BEING HIT AT HOME!!!", "abuse"),
    ("his stepdad beats him", "abuse"),
    ("her uncle touches her", "abuse"),
    ("my son came home with bruises on his back", "abuse"),
    ("she gets smacked at her dads", "abuse"),
    ("he was sexually abused by a neighbour", "abuse"),
    ("she was raped at a party", "abuse"),
    ("my daughters bf hits her", "domestic_abuse"),
    ("my ex strangled me in front of the kids", "domestic_abuse"),
    ("their dad punches mum when hes drunk", "domestic_abuse"),
    ("the police were called to the house again last night", "domestic_abuse"),
    ("we had to flee to a refuge", "domestic_abuse"),
    ("no food in the house for the kids again", "neglect"),
    ("he goes to bed hungry most nights", "neglect"),
    ("she is left on her own all weekend", "neglect"),
    ("nobody looks after him when mum is out", "neglect"),
    ("their mum is always drunk", "neglect"),
    ("older lads are grooming my boy", "exploitation"),
    ("older boys make him carry stuff", "exploitation"),
    ("she sends pics to a man she met online", "exploitation"),
    ("some guy online keeps asking her for nudes", "exploitation"),
    ("hes got a burner phone and new trainers from nowhere", "exploitation"),
    ("he is running drugs for older lads", "exploitation"),
    ("he keeps going missing and comes back with money", ("missing", "exploitation")),
    ("kids threatened to stab him after school", "threats"),
    ("my son carries a knife now because he is scared", "threats"),
    ("they said they would hurt him if he told", "threats"),
    ("she ran away from her placement again", "missing"),
    ("he stays out all night and we dont know where he is", "missing"),
    ("his dad kicked him out last week", "missing"),
    ("she has been sofa surfing since xmas", "missing"),
    ("he doesnt feel safe at home", "unsafe_home"),
    ("my daughter is scared of her stepdad", "unsafe_home"),
    ("she says she is terrified to go home", "unsafe_home"),
    ("her foster carer hurt her", "worker_harm"),
    ("she told me a staff member touched her", "worker_harm"),
    ("the escort on the bus grabbed him and pushed him", "worker_harm"),
    ("his teacher hit him", "worker_harm"),
    ("the taxi driver touched my daughter", "worker_harm"),
    ("staff locked him in a room on his own", "worker_harm"),
    ("the support worker told her to keep it a secret", "worker_harm"),
    ("his foster carer slapped him across the face", ("worker_harm", "abuse")),
]
# Complaints and praise about services that borrow the same words. None may flag.
ORDINARY_THIRD_PERSON = [
    "the wait is killing us",
    "my son hates the taxi",
    "staff hit the target for reviews",
    "they cut the respite",
    "they cut the respite and it really hurt us",
    "my daughter is dying to go back to the saturday club",
    "he nearly killed himself laughing at the magician",
    "he hurt himself playing football and nobody rang us",
    "she burnt herself on the oven at cooking club, staff were great",
    "my son beat his dad at chess",
    "she beat him in the race at sports day",
    "the ball hit him in the face at pe",
    "he got kicked out of the youth club for swearing",
    "they kicked him out of the group for being late",
    "staff pushed him to try new things and he loved it",
    "her keyworker keeps pushing her to do better",
    "the teacher wont let anyone touch her wheelchair",
    "the school threatened us with court over attendance",
    "our son got hit by a car outside the centre because there is no crossing",
    "we have been hit hard by the cuts",
    "the council hit us with a huge bill for transport",
    "the price rise hit us badly",
    "my son is not coping with the new timetable",
    "the new system is a nightmare, it drives me mad",
    "the forms are murder to fill in",
    "we were left on hold for an hour",
    "he was left out of the trip",
    "losing the club really hurt him",
    "she is scared of dogs so the farm visit was hard",
    "we do not feel listened to",
    "they threatened to close the centre",
    "the holiday scheme is killing it this year",
    "the ramp at the centre is a death trap",
    "STOP SLASHING THE BUDGET FOR SHORT BREAKS",
    "the transport is not safe for wheelchairs",
    "she cried because they cut her hours at the club",
    "my kid cut his hair himself lol",
    "he ran away with the prize at the quiz",
    "the lads at the club are grooming the ponies for the show",
    "ppl r dying 2 get a place on the scheme",
    "the taxi driver drops him off late every day",
    "the teacher told us to keep it quiet about the trip",
    "the staff member who runs the drama club is amazing",
    "he wants to die of embarrassment when mum sings in the car",
    "my daughter hates the new worker tbh",
    "sum1 pls ring us back about his ehcp",
    "the knife and fork skills group helped him eat at school",
    "i feel like we were stabbed in the back by the council",
]


@pytest.mark.parametrize("text,category", CONCERNING)
def test_concerning_phrases_are_flagged(text, category):
    result = screen(text)
    assert result.flagged, text
    if category:
        assert category in result.categories, (text, result.categories)


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_complaints_are_not_flagged(text):
    result = screen(text)
    assert not result.flagged, (text, result.matches)


@pytest.mark.parametrize("text,categories", THIRD_PERSON)
def test_third_person_disclosures_are_flagged_in_their_category(text, categories):
    result = screen(text)
    wanted = (categories,) if isinstance(categories, str) else categories
    assert result.flagged, text
    assert set(wanted) <= set(result.categories), (text, result.categories, result.matches)


@pytest.mark.parametrize("text", ORDINARY_THIRD_PERSON)
def test_ordinary_third_person_complaints_are_not_flagged(text):
    result = screen(text)
    assert not result.flagged, (text, result.matches)


def test_the_tables_are_broad():
    assert len(THIRD_PERSON) >= 40 and len(ORDINARY_THIRD_PERSON) >= 40
    assert len({t for t, _ in THIRD_PERSON}) == len(THIRD_PERSON)
    assert len(set(ORDINARY_THIRD_PERSON)) == len(ORDINARY_THIRD_PERSON)


def test_result_is_frozen_and_explains_itself():
    result = screen("i want to kill myself")
    assert isinstance(result, Screening)
    assert result.categories == ("self_harm",)
    assert result.matches[0].phrase.startswith("kill")
    assert result.labels == ("Self-harm or suicidal thoughts",)
    with pytest.raises(AttributeError):
        result.flagged = False  # type: ignore[misc]


def test_phrase_book_is_read_from_an_editable_folder(tmp_path):
    (tmp_path / "threats.txt").write_text("# comment\nbanana split*\n", encoding="utf-8")
    (tmp_path / "textspeak.txt").write_text("nana = banana\n", encoding="utf-8")
    book = load_phrase_book(tmp_path)
    assert screen("a nana splits", book).categories == ("threats",)
    assert not screen("i want to kill myself", book).flagged


def test_unicode_and_emoji_do_not_break_screening():
    assert not screen("🙂 the club is gr8 ✨ ünïcödé").flagged
    assert screen("i want to die 😢").flagged


def test_shipped_phrase_lists_have_no_problems():
    from feedback.safeguarding import default_phrase_book
    assert default_phrase_book().problems == []


def test_groups_stand_for_their_words_and_unknown_groups_are_reported(tmp_path):
    (tmp_path / "groups.txt").write_text("# who\nkid = son|daughter*\n", encoding="utf-8")
    (tmp_path / "abuse.txt").write_text("my @kid|@nobody is hurt\n", encoding="utf-8")
    book = load_phrase_book(tmp_path)
    assert screen("My daughters is hurt", book).categories == ("abuse",)
    assert screen("my son is hurt", book).flagged
    assert not screen("my dog is hurt", book).flagged
    assert book.problems == ["abuse.txt line 1: no group called @nobody in groups.txt"]


def test_an_ordinary_phrase_vetoes_a_match_whose_last_word_it_covers(tmp_path):
    (tmp_path / "missing.txt").write_text("got kicked\n", encoding="utf-8")
    (tmp_path / "ordinary.txt").write_text("kicked out of the club\n", encoding="utf-8")
    book = load_phrase_book(tmp_path)
    assert not screen("he got kicked out of the club", book).flagged
    # Covering the first word only is not enough, and a different ending still flags.
    assert screen("he got kicked out of the house", book).flagged
    (tmp_path / "ordinary.txt").write_text("he got\n", encoding="utf-8")
    assert screen("he got kicked", load_phrase_book(tmp_path)).flagged


def test_edited_phrase_files_are_read_again_without_a_restart(tmp_path):
    from feedback.safeguarding_matcher import PhraseLibrary
    (tmp_path / "threats.txt").write_text("banana\n", encoding="utf-8")
    library = PhraseLibrary(tmp_path, check_every=0)
    assert screen("a banana", library.book()).flagged
    first = library.book()
    assert library.book() is first  # unchanged files: the same compiled book
    (tmp_path / "threats.txt").write_text("apple\n", encoding="utf-8")
    assert not screen("a banana", library.book()).flagged
    assert screen("an apple", library.book()).flagged


def test_matches_say_which_phrase_fired_in_file_order():
    result = screen("my dad hits me and i want to die")
    assert result.categories == ("abuse", "domestic_abuse", "self_harm")
    assert [m.text for m in result.matches][:1] == ["hits me"]


def test_long_texts_are_screened_in_well_under_ten_milliseconds():
    import time
    text = ("my son loves the saturday club but the taxi is always late and nobody rings us "
            "back about his review, ") * 8 + "and he said he wants to kill himself"
    texts = [f"{text} {i}" for i in range(50)]
    screen(texts[0])
    cpu = time.process_time()
    for t in texts:
        assert screen(t).flagged
    assert (time.process_time() - cpu) / len(texts) < 0.010


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_screens_without_error_and_the_same_way_twice(text):
    first, second = safeguarding.screen(text), safeguarding.screen(text)
    assert first == second
    assert first.flagged == (bool(first.matches) or first.model_flagged)
    for match in first.matches:
        assert match.category in first.categories and match.text


def test_a_badly_saved_phrase_file_keeps_the_lists_in_use(tmp_path, caplog):
    from feedback.safeguarding_matcher import PhraseLibrary
    (tmp_path / "threats.txt").write_text("banana\n", encoding="utf-8")
    library = PhraseLibrary(tmp_path, check_every=0)
    assert screen("a banana", library.book()).flagged
    (tmp_path / "threats.txt").write_bytes("banana\ncaf\xe9\n".encode("cp1252"))
    assert screen("a banana", library.book()).flagged
    assert "not re-read" in caplog.text
    (tmp_path / "threats.txt").write_text("apple\n", encoding="utf-8")
    assert screen("an apple", library.book()).flagged
