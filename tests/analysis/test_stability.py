from analysis import find_themes
from analysis.results import PreviousTheme, previous_themes
from analysis.stability import match_themes, new_ids, term_similarity

from .conftest import BREAKS, LISTENING, TRANSPORT, WAITING

EXTRA = [
    "Youth club closed and there is nothing to do in the evenings",
    "Please reopen the youth club, nothing to do for teenagers",
    "The youth club closing means kids hang around the park",
    "We miss the youth club on Friday nights",
    "Nothing for teenagers since the youth club shut",
    "The youth club was the only place my son could go",
    "Bring back the youth club in the evenings",
    "Youth club closure has left young people with nowhere to go",
]


def test_ids_and_curated_names_persist_and_new_themes_emerge():
    first = find_themes(WAITING + TRANSPORT + LISTENING, n_themes=3, seed=0)
    previous = first.to_previous()
    waiting = next(p for p in previous if "camhs" in " ".join(p["keywords"]))
    waiting["name"] = "CAMHS waiting times"  # curated by a commissioner
    second = find_themes(WAITING + WAITING[:4] + TRANSPORT + LISTENING + EXTRA, n_themes=4,
                         seed=7, previous=previous)
    by_id = {t.id: t for t in second.themes}
    assert {p["id"] for p in previous} <= set(by_id)
    assert by_id[waiting["id"]].name == "CAMHS waiting times"
    assert by_id[waiting["id"]].display_name == "CAMHS waiting times"
    assert by_id[waiting["id"]].previous_size == 8 and by_id[waiting["id"]].change is not None
    emerging = [t for t in second.themes if t.emerging]
    assert len(emerging) == 1 and "youth club" in " ".join(emerging[0].keywords)
    assert emerging[0].id not in {p["id"] for p in previous}
    assert second.retired == ()


def test_previous_accepts_every_plain_form():
    first = find_themes(WAITING + BREAKS, n_themes=2)
    forms = [first, first.to_json(), first.to_previous(), previous_themes(first)]
    ids = [sorted(t.id for t in find_themes(WAITING + BREAKS, n_themes=2, seed=5, previous=f).themes)
           for f in forms]
    assert all(i == sorted(t.id for t in first.themes) for i in ids)


def test_retired_themes_are_reported():
    first = find_themes(WAITING + BREAKS, n_themes=2)
    second = find_themes(WAITING + TRANSPORT, n_themes=2, previous=first)
    breaks_id = next(t.id for t in first.themes if "short breaks" in t.keywords)
    assert breaks_id in second.retired
    assert any(t.emerging for t in second.themes)


def test_matching_helpers():
    assert term_similarity([("a", 1.0)], [("a", 2.0)]) == 1.0
    assert term_similarity([("a", 1.0)], [("b", 1.0)]) == 0.0
    prev = [PreviousTheme("T4", "x", terms=(("wait", 1.0),)), PreviousTheme("T9", "y", keywords=("bus",))]
    matches = match_themes([(("bus", 1.0),), (("wait", 1.0), ("camh", 1.0)), (("club", 1.0),)], prev)
    assert [m.previous.id if m.previous else None for m in matches] == ["T9", "T4", None]
    assert new_ids(2, {"T1", "T9", "theme-a"}) == ["T10", "T11"]
