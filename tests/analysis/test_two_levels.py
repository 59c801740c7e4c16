"""Two levels of themes, readable labels and stability on the text-vector engine."""

import csv
import json
import re

import numpy as np
import pytest

from analysis import find_themes
from analysis.grammar import usual, word_classes
from analysis.phrases import SUBORDINATORS, WHO_NOT_WHAT, clauses, label_groups, phrases_of
from analysis.clustering import choose_k, silhouette, smooth, spherical_kmeans
from analysis.stability import decode_centre, encode_centre, sticky_assignment

from .conftest import BREAKS, CORPUS, LISTENING, TRANSPORT, WAITING

# Words a title never ends on: conjunctions, determiners and possessives, prepositions.
FUNCTION_ENDS = {"and", "or", "but", "nor", "so", "yet", "the", "a", "an", "this", "that", "these",
                 "those", "my", "your", "his", "her", "our", "their", "its", "some", "any", "every",
                 "each", "another", "of", "in", "on", "at", "to", "for", "with", "from", "by",
                 "about", "into", "onto", "over", "under", "after", "before", "without", "within",
                 "through", "between", "during", "across", "towards", "upon"}
# Who can be the subject of a sentence in feedback ("Son hates", "Staff listened").
AGENTS = WHO_NOT_WHAT | {"i", "we", "he", "she", "they", "you", "it", "staff", "nurse", "nurses",
                         "doctor", "doctors", "worker", "workers", "nobody", "everyone", "someone",
                         "school", "service", "team", "they're"}
RULE_WEAK = {"and", "nothing", "not", "no", "time", "more", "like", "get", "got", "just", "really",
             "very", "good", "great", "bad", "thing", "things", "lot", "way", "back", "make", "made",
             "plan"}


def label_faults(label: str, words: set[str]) -> list[str]:
    """The label rules of docs/analysis.md, for one label."""
    ws = re.findall(r"[a-z0-9']+", label.lower())
    content = [w for w in ws if w not in RULE_WEAK]
    faults = []
    if any(w not in words for w in ws):
        faults.append("a word that is not a word of the texts")
    if len(set(ws)) < len(ws):
        faults.append("a word twice")
    if len(ws) > 6:
        faults.append("over 6 words")
    if not content:
        faults.append("only weak words")
    if "&" in label or ";" in label or "," in label:
        faults.append("an entity or a list")
    if ws and ws[-1].endswith("'s"):
        faults.append("ends waiting for a word (\"my brother's\", \"he's\")")
    if any(w in SUBORDINATORS for w in ws):
        faults.append("a clause inside (\"Good if the youth\")")
    if content and all(w in WHO_NOT_WHAT for w in content):
        faults.append("only who it is about (\"Son\") or the kind of card (\"Stop\")")
    if ws and ws[-1] in FUNCTION_ENDS:
        faults.append("ends on a conjunction, determiner or preposition (\"Carer and\")")
    if len(ws) == 2 and ws[0] in AGENTS and usual(ws[1]) in ("F", "B"):
        faults.append("a bare subject and verb (\"Son hates\")")
    return faults


def all_labels(result):
    return [t.label for t in result.themes] + [s.label for t in result.themes for s in t.subthemes]


def test_sub_themes_in_json_and_on_items(corpus):
    texts, _ = corpus
    result = find_themes(texts * 2 + [t + " really" for t in texts], n_themes=2, seed=0)
    data = json.loads(json.dumps(result.to_json()))
    assert data["run"]["format"] == 2
    split = [t for t in data["themes"] if t["subthemes"]]
    assert split, "a theme of 16 distinct texts of two kinds is split"
    for theme in data["themes"]:
        sub_ids = {s["id"] for s in theme["subthemes"]}
        assert len(sub_ids) == len(theme["subthemes"])
        assert all(s.startswith(theme["id"] + ".") for s in sub_ids)
        members = [i for i in data["items"] if i["theme"] == theme["id"]]
        for s in theme["subthemes"]:
            assert s["size"] == sum(i["subtheme"] == s["id"] for i in members) > 0
            assert s["label"] and s["label"] != theme["label"] and s["quotes"]
        assert all((i["subtheme"] in sub_ids) if sub_ids else i["subtheme"] is None for i in members)
    assert all("subtheme" in i for i in data["items"])


def test_labels_are_phrases_of_the_texts(corpus):
    texts, _ = corpus
    result = find_themes(texts, n_themes=4, seed=0)
    words = {w for t in texts for w in re.findall(r"[a-z0-9']+", t.lower())}
    labels = all_labels(result)
    assert [label_faults(label, words) for label in labels] == [[]] * len(labels)
    assert len({label.lower() for label in labels}) == len(labels)  # never the same label twice
    assert any(len(label.split()) >= 2 for label in labels)
    for theme in result.themes:
        assert theme.keywords and theme.label not in (", ".join(theme.keywords[:3]),)


def test_a_label_never_ends_waiting_for_the_next_word():
    """Contractions of stop words are stop words ("He's" was a demo theme's label), and a
    phrase never ends on a possessive, a digit or a word that waits for a noun, nor runs
    on across "and I" into the next clause."""
    found = phrases_of("He's always late because he's tired and I waited 3 weeks for a new "
                       "worker at my brother's school")
    assert ("he's",) not in found and not any(p[0] == "he's" or p[-1] == "he's" for p in found)
    assert not any(p[-1] in ("brother's", "3", "new") for p in found)
    assert ("brother's", "school") in found and ("waited", "3", "weeks") in found
    assert not any("and" in p and "i" in p for p in found)
    assert clauses("Carer and I was told, so we know") == [["carer"], ["i", "was", "told"],
                                                           ["we", "know"]]
    assert label_faults("Help with my brother's", {"help", "with", "my", "brother's"})
    assert label_faults("He's", {"he's"})


def test_a_label_is_never_a_fragment_nor_only_who_it_is_about():
    """Labels the demo once showed: "Son", "Stop", "Good if the youth", "Changing who isn't my
    carer"."""
    found = phrases_of("Good if the youth club stayed open. Stop changing who isn't my carer. "
                       "My son is on the bus for two hours")
    assert ("son",) not in found and ("stop",) not in found and ("youth",) not in found
    assert not any(w in p for p in found for w in ("if", "who"))
    assert ("youth", "club", "stayed", "open") in found and ("bus",) in found
    assert ("stop", "cancelling", "sessions") in phrases_of("Stop cancelling sessions")
    counted = phrases_of("My 5 year old son loves it. The service i'm a carer for")
    assert ("year", "old", "son") not in counted and ("old", "son") not in counted
    assert not any("i'm" in p and p[0] != "i'm" for p in counted)
    how = phrases_of("Good on the bus. Good communication with staff. Not enough staff. Good idea")
    assert not any(p[:2] == ("good", "on") for p in how) and ("good", "idea") not in how
    assert ("good", "communication", "with", "staff") in how and ("not", "enough", "staff") in how
    joined = phrases_of("The room and its the best. Kind and friendly staff. Bus and what they need")
    assert [p for p in joined if "and" in p] == [("kind", "and", "friendly", "staff")]
    for label in ("Son", "Stop", "Good if the youth", "Changing who isn't my carer"):
        assert label_faults(label, {"son", "stop", "good", "if", "the", "youth", "changing", "who",
                                    "isn't", "my", "carer"}), label
    assert label_faults("Worker helped my son", {"worker", "helped", "my", "son"}) == []


def test_candidates_are_grammatical_chunks():
    """Labels the demo showed before the tagger: "Son hates", "Carer and needed to know",
    "Really helped the nursery understand"; a title names a thing, a doing with its object, or
    a thing and what happened to it."""
    hates = phrases_of("My son hates going to the dentist")
    assert ("son", "hates") not in hates and ("hates", "going") not in hates
    assert ("dentist",) in hates
    assert not [p for p in phrases_of("Carer and needed to know") if "and" in p or p[-1] == "know"]
    waiting = phrases_of("Waiting for an autism assessment")
    assert ("waiting", "for", "an", "autism", "assessment") in waiting and ("autism", "assessment") in waiting
    assert ("respite", "cut", "without", "explanation") in phrases_of("Respite cut without explanation")
    assert ("kind", "and", "friendly", "staff") in phrases_of("Kind and friendly staff")
    assert ("polite", "and", "job") not in phrases_of("Polite and job well done")
    nursery = phrases_of("The inclusion officer really helped the nursery understand my son")
    assert not any("nursery" in p and "understand" in p for p in nursery)
    assert ("inclusion", "officer") in nursery
    assert not [p for p in phrases_of("More overnights so my mum can sleep") if "so" in p]
    assert ("explained", "clearly") in phrases_of("Explained clearly")
    assert ("club", "stayed", "open") in phrases_of("The club stayed open")
    assert ("not", "about") not in phrases_of("It is not about my care plan")
    # single words that do not name a thing never carry a label alone; ones that do, may
    assert ("helping",) not in phrases_of("Helping") and ("parking",) in phrases_of("Parking")
    for text in ("Talked to the doctor about my", "Staff and", "Went to the", "Son hates",
                 "Waited for the worker and"):
        assert not [p for p in phrases_of(text) if p[-1] in FUNCTION_ENDS or p == ("son", "hates")], text


def test_the_rules_catch_the_labels_people_complained_of():
    words = {"son", "hates", "carer", "and", "needed", "to", "know", "staff", "listened", "talked",
             "the", "travel", "alerts", "waiting", "for", "an", "autism", "assessment"}
    for label in ("Son hates", "Staff listened", "Carer and", "Talked to the", "Waiting for an"):
        assert label_faults(label, words), label
    for label in ("Travel alerts", "Waiting for an autism assessment", "Staff"):
        assert label_faults(label, words) == [], label


def test_the_fast_context_rules_tag_as_pattern_does(corpus):
    from textblob._text import find_tags

    from analysis import grammar

    lexicon = grammar._lexicon()
    texts, _ = corpus
    for text in texts + ["Respite cut without explanation", "the nurse had a funny turn", "Nobody listened"]:
        for clause in clauses(text):
            tagged = find_tags(clause, lexicon=lexicon, morphology=lexicon.morphology,
                               default=("NN", "NNP", "CD"), language="en")
            assert grammar._context(tagged) == [list(x) for x in lexicon.context.apply([list(x) for x in tagged])]


def test_word_classes_read_the_words_as_a_reader_would():
    assert word_classes(("kind", "and", "friendly", "staff")) == ("N", "C", "A", "N")
    assert word_classes(("my", "son", "hates", "school")) == ("D", "N", "F", "N")
    assert word_classes(("stop", "talking", "to", "my", "mum")) == ("B", "G", "I", "D", "N")
    assert word_classes(("my", "pa's", "phone"))[-1] == "N"  # after a possessive, never a verb
    assert word_classes(("helped", "the", "nursery", "understand", "my", "son"))[3] == "B"


def _label(texts, others=(), taken=()):
    """The label of ``texts`` among the group ``others``, every phrase equally near the centre
    (so the choice shows the candidates and their counts alone)."""
    every = list(texts) + list(others)
    groups = [np.arange(len(texts)), np.arange(len(texts), len(every))] if others else [np.arange(len(texts))]
    flat = lambda phrases: np.ones((len(phrases), 4), np.float32) / 2  # noqa: E731
    return label_groups(every, np.ones(len(every)), groups, np.ones((len(groups), 4), np.float32) / 2,
                        flat, taken=taken)[0]


def test_a_label_is_the_whole_phrase_not_a_piece_of_it():
    """A phrase that its texts nearly always continue with the same word is a piece of a
    longer one ("autism" of "autism assessment"); one said after "couldn't" means the opposite
    alone ("Fault the care")."""
    waiting = ["We are still waiting for an autism assessment", "The autism assessment took two years",
               "No date for the autism assessment yet", "My son needs an autism assessment soon",
               "Autism assessment waiting times are far too long"]
    label = _label(waiting, ["The bus was late again", "Transport to school was late"])
    assert "autism assessment" in label.lower(), label
    assert not label.lower().endswith("autism"), label
    fault = ["Couldn't fault the care", "could not fault the care at all", "Can't fault the care",
             "I couldn't fault the care given"]
    label = _label(fault, ["The bus was late again", "Transport to school was late"])
    assert label.lower() != "fault the care", label
    fault = ["Could not find any fault", "couldn't find fault", "No fault", "I can't fault them"]
    assert _label(fault, ["The bus was late again"]).lower() != "fault"


def test_a_group_with_no_candidate_falls_back_to_its_commonest_phrase_never_a_fragment():
    nothing = ["Nothing to improve", "nothing to improve", "Nothing to improve really", "Nothing really"]
    assert _label(nothing) == "Nothing to improve"
    answer = ["Did not answer", "did not answer", "Did not answer.", "Not answer"]
    assert _label(answer) == "Not answer"  # never "Answer", which says the opposite


def test_the_last_fallback_is_a_word_of_the_texts_even_when_its_phrases_are_taken():
    assert _label(["Type of plug"], taken={"type of plug", "plug type"}) == "Plug"  # never "Other"


def test_labels_keep_the_texts_casing_and_never_repeat_a_label_in_other_words():
    send = ["More places for young people with SEND", "Young people with SEND need a club",
            "A club for young people with SEND", "Young people with SEND are left out"]
    assert _label(send) == "Young people with SEND"
    verb = ["Send them by text please", "Just send them by text", "Could you send them by text"]
    label = _label(verb + ["Young people with SEND", "SEND", "SEND support"])
    assert "send them" in label.lower() and "SEND" not in label, label
    carers = ["Young carers group", "the young carers group is great", "young carers group on Friday"]
    label = _label(carers, taken={"young carer group"}).lower()
    assert label not in ("young carers group", "young carers", "carers group", "group"), label
    label = _label(["New school", "a new school", "the new school is nice"], taken={"new school for my son"})
    assert label.lower() not in ("new school", "school"), label


def test_html_entities_never_reach_a_label():
    texts = [f"The&nbsp;respite care was cut &amp; nobody explained why {n}" for n in range(6)] + \
            [f"School transport was late again &lt;b&gt; {n}" for n in range(6)]
    result = find_themes(texts, n_themes=2)
    for label in all_labels(result):
        assert not re.search(r"nbsp|amp|&|lt|gt", label.lower()), label


def test_same_seed_same_two_levels(corpus):
    texts, _ = corpus
    a = find_themes(texts * 2, n_themes="auto", seed=4).to_json()
    b = find_themes(texts * 2, n_themes="auto", seed=4).to_json()
    a["run"].pop("seconds"), b["run"].pop("seconds")
    assert a == b


def test_centres_round_trip_and_reject_garbage():
    v = np.random.default_rng(0).normal(size=512).astype(np.float32)
    v /= np.linalg.norm(v)
    back = decode_centre(encode_centre(v), 512)
    assert back is not None and float(back @ v) > 0.999
    assert decode_centre(encode_centre(v), 256) is None
    assert decode_centre("not base64 !", 512) is None


def test_an_item_moves_only_when_another_centre_is_clearly_closer():
    sims = np.array([[0.80, 0.81], [0.70, 0.90], [0.5, 0.6]])
    best = sims.argmax(axis=1)
    assert sticky_assignment(sims, best, np.array([0, 0, -1])).tolist() == [0, 1, 1]


def test_clustering_helpers_find_planted_groups():
    rng = np.random.default_rng(1)
    centres = np.eye(4, 16, dtype=np.float32)
    X = np.vstack([c + 0.1 * rng.normal(size=(30, 16)) for c in centres]).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    w = np.ones(len(X), np.float32)
    assert choose_k(smooth(X, k=5), w, [2, 3, 4, 6, 8], seed=0) == 4
    found = spherical_kmeans(X, w, 4, seed=0)
    assert sorted((found @ centres.T).argmax(axis=1).tolist()) == [0, 1, 2, 3]
    labels = np.repeat(np.arange(4), 30)
    assert silhouette(X, labels) > 0.5 > silhouette(X, rng.permutation(labels))


def test_following_a_previous_run_keeps_ids_names_and_items(corpus):
    texts, _ = corpus
    ids = [f"c{n}" for n in range(len(texts))]
    first = find_themes(texts, ids=ids, n_themes=4, seed=0)
    previous = first.to_json()
    previous["themes"][0]["name"] = "Curated name"
    more = ["The CAMHS waiting list is far too long for us", "School transport was late again today"]
    second = find_themes(texts + more, ids=ids + ["n1", "n2"], n_themes="auto", seed=0, previous=previous)
    before = {i.id: i.theme for i in first.items}
    after = {i.id: i.theme for i in second.items}
    assert all(before[i] == after[i] for i in ids)
    assert next(t for t in second.themes if t.id == previous["themes"][0]["id"]).name == "Curated name"
    assert not any(t.emerging for t in second.themes) and second.retired == ()
    assert after["n1"] == after[ids[0]] and after["n2"] == after[ids[8]]


def test_a_genuinely_new_theme_emerges_when_following():
    youth = ["Youth club closed and there is nothing to do in the evenings",
             "Please reopen the youth club, nothing to do for teenagers",
             "The youth club closing means kids hang around the park",
             "We miss the youth club on Friday nights", "Nothing for teenagers since the youth club shut",
             "The youth club was the only place my son could go", "Bring back the youth club in the evenings",
             "Youth club closure has left young people with nowhere to go"]
    first = find_themes(WAITING + TRANSPORT + LISTENING + BREAKS, n_themes=4, seed=0)
    second = find_themes(WAITING + TRANSPORT + LISTENING + BREAKS + youth, n_themes=5, seed=0,
                         previous=first.to_previous())
    emerging = [t for t in second.themes if t.emerging]
    assert len(emerging) == 1 and emerging[0].id == "T5"
    assert "youth club" in emerging[0].label.lower() + " ".join(emerging[0].keywords)
    assert {t.id for t in first.themes} <= {t.id for t in second.themes}


def _rows(data_dir, name, text, label):
    path = data_dir / name
    assert path.is_file(), f"{name} is missing from {data_dir}"
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        rows = [r for r in csv.DictReader(f) if (r.get(text) or "").strip() and (r.get(label) or "").strip()]
    return [r[text] for r in rows], [r[label] for r in rows]


@pytest.mark.slow
@pytest.mark.shared_data
@pytest.mark.parametrize("name, text, label, n", [
    ("nhs-feedback-themes.csv", "feedback", "label", 4_000),
    ("clinc150-test.csv", "text", "intent", 4_500),
    ("nhs-feedback-multilabel.csv", "FFT answer", "Comment ID", 4_000),
])
def test_label_rules_hold_on_the_development_sets(data_dir, name, text, label, n):
    texts, _ = _rows(data_dir, name, text, label)
    texts = texts[:n]
    result = find_themes(texts, n_themes="auto", seed=0)
    words = {w for t in texts for w in re.findall(r"[a-z0-9']+", t.lower())}
    bad = [(lab, label_faults(lab, words)) for lab in all_labels(result)]
    assert [b for b in bad if b[1]] == []
    assert 8 <= len(result.themes) <= 20
    assert sum(len(t.subthemes) for t in result.themes) >= len(result.themes)


@pytest.mark.slow
@pytest.mark.shared_data
def test_ten_percent_more_text_keeps_nine_in_ten_items_in_their_theme(data_dir):
    texts, _ = _rows(data_dir, "nhs-feedback-themes.csv", "feedback", "label")
    rng = np.random.default_rng(3)
    order = rng.permutation(len(texts))[:4_400]
    old, new = order[:4_000], order[4_000:]
    ids = [f"r{i}" for i in order]
    first = find_themes([texts[i] for i in old], ids=ids[:4_000], seed=0)
    second = find_themes([texts[i] for i in order], ids=ids, seed=0, previous=first.to_json())
    before = {i.id: i.theme for i in first.items}
    kept = np.mean([before[i.id] == i.theme for i in second.items if i.id in before])
    assert kept >= 0.9
    assert {t.id for t in first.themes} & {t.id for t in second.themes}
    assert len(new) == 400
