"""Themes keep their meaning in the app: a re-run after 5% more items keeps theme ids,
curated names and the items of a theme; a contract review action still points at the theme
it was linked to; a theme that was merged, is no longer found or has shrunk below 10 says so
on the theme page, the review page, the action page and the review pack."""
from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

from tests.helpers import post_form
from tests.web.contracts_factories import make_contract, make_review
from tests.factories import build_card, make_service, now

# Four things young people say, each in many words: texts are distinct (the engine counts
# repeated texts once), and each topic has two halves the engine may make sub-themes of.
TOPICS = {
    "waiting": (["the waiting list for counselling", "waiting to see the mental health team",
                 "the wait for an autism assessment", "waiting for CAMHS to ring back",
                 "the wait for my first appointment", "the waiting time for therapy"],
                ["is far too long", "took more than a year", "made everything worse",
                 "went on for months and months", "meant nobody helped me", "is not fair"]),
    "transport": (["the bus home from youth club", "the late bus on a Friday",
                   "the school transport minibus", "the bus to college in the morning",
                   "the taxi to my special school", "the bus fare to the youth centre"],
                  ["is always late", "never turns up on time", "costs too much money",
                   "stops running too early", "leaves me stranded in town", "is too crowded"]),
    "social_worker": (["my social worker", "the social worker for our family",
                       "my leaving care worker", "the social care team",
                       "my new social worker", "the duty social worker"],
                      ["keeps changing every few months", "never calls me back",
                       "changed again so I told my story again", "does not listen to me",
                       "cancelled our meeting again", "is never there when I need them"]),
    "staff_kind": (["the staff at the short breaks club", "the youth workers at the hub",
                    "the nurses on the ward", "the play workers at the respite centre",
                    "the staff at the drop in", "the mentors at the project"],
                   ["are really kind and friendly", "always listen to me properly",
                    "make me feel welcome and safe", "are brilliant and so helpful",
                    "treat me with respect", "are lovely and funny"]),
}


def _texts(topic: str, count: int, start: int = 0) -> list[str]:
    subjects, endings = TOPICS[topic]
    pairs = list(itertools.product(subjects, endings))
    random.Random(topic).shuffle(pairs)
    out = []
    for n in range(start, start + count):
        subject, ending = pairs[n % len(pairs)]
        out.append(f"{subject} {ending}" + ("" if n < len(pairs) else f" (again {n // len(pairs)})"))
    return out


def _add_cards(db, service, texts, topic):
    cards = [build_card(kind="change", text=t, text_redacted=t, service=service,
                        moderation_state="approved", safeguarding_flagged=False,
                        created_at=now() - timedelta(days=1)) for t in texts]
    db.session.add_all(cards)
    db.session.commit()
    return [(topic, c.id) for c in cards]


def _run(client):
    """Start a full run from the runs page, as a commissioner does (performed inline)."""
    from feedback.extensions import db
    from feedback.models import AnalysisRun
    response = post_form(client, "/insight/runs", {"kind": "full"})
    assert response.status_code == 302
    db.session.expire_all()
    run = db.session.execute(db.select(AnalysisRun).order_by(AnalysisRun.id.desc())).scalars().first()
    assert run.status == "succeeded", run.error
    return run


def _themes_of(db) -> dict[int, str]:
    """card id -> theme key, for every card in a theme."""
    from feedback.models import Theme, ThemeAssignment
    return dict(db.session.execute(db.select(ThemeAssignment.card_id, Theme.key)
                                   .join(Theme, Theme.id == ThemeAssignment.theme_id)
                                   .where(ThemeAssignment.card_id.is_not(None))).all())


def test_a_rerun_with_five_per_cent_more_items_keeps_themes_names_and_links(make_app, db, make_user):
    from feedback.models import ReviewAction, Subtheme, Theme
    from tests.helpers import sign_in
    client = make_app(ANALYSIS_INLINE=True, ANALYSIS_CLASSIFY_ON_APPROVAL=False).test_client()
    assert sign_in(client, make_user("commissioner")).status_code == 302
    service = make_service(db)
    seeded = []
    for topic in TOPICS:
        seeded += _add_cards(db, service, _texts(topic, 50), topic)
    first = _run(client)
    assert first.n_items == 200

    before = _themes_of(db)
    waiting_ids = [i for topic, i in seeded if topic == "waiting"]
    key = max(set(before[i] for i in waiting_ids), key=[before[i] for i in waiting_ids].count)
    theme = db.session.execute(db.select(Theme).filter_by(key=key)).scalar_one()
    subs_before = {s.key: s.id for s in db.session.execute(db.select(Subtheme)).scalars()}
    assert subs_before, "the engine found no sub-themes"
    assert post_form(client, f"/insight/themes/{theme.id}/rename",
                     {"name": "Waiting too long for help"}).status_code == 302

    contract = make_contract(db, services=[service])
    review = make_review(db, contract, start=date(2026, 10, 1), end=date(2026, 12, 31))
    db.session.commit()
    due = date.today() + timedelta(days=30)
    saved = post_form(client, f"/contracts/reviews/{review.id}/actions/new",
                      {"description": "Text families every 6 weeks while they wait",
                       "owner": "The provider", "theme_ids": [str(theme.id)],
                       "due_date": [str(due.day), str(due.month), str(due.year)]})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]

    # 5% more items, spread over the topics, then the commissioner runs the analysis again.
    for topic in TOPICS:
        _add_cards(db, service, _texts(topic, 3, start=50), topic)
    second = _run(client)
    assert second.n_items == 212

    after = _themes_of(db)
    old_items = [i for i, k in before.items() if k == key]
    kept = sum(after.get(i) == key for i in old_items)
    assert kept / len(old_items) >= 0.9, (kept, len(old_items))
    moved = sum(after.get(i) != k for i, k in before.items())
    assert moved / len(before) <= 0.1
    db.session.expire_all()
    again = db.session.execute(db.select(Theme).filter_by(key=key)).scalar_one()
    assert again.id == theme.id and again.name == "Waiting too long for help"
    action = db.session.execute(db.select(ReviewAction).filter_by(review_id=review.id)).scalar_one()
    assert [t.id for t in action.themes] == [theme.id]
    # Sub-theme ids carry over too (the engine follows their centres).
    subs_after = {s.key: s.id for s in db.session.execute(
        db.select(Subtheme).where(Subtheme.last_run_id == second.id)).scalars()}
    assert set(subs_after) & set(subs_before)
    assert all(subs_after[k] == subs_before[k] for k in set(subs_after) & set(subs_before))

    review_page = client.get(f"/contracts/reviews/{review.id}").get_data(as_text=True)
    assert "Themes: Waiting too long for help<" in review_page  # live and large: no notice

    # Every item of another topic leaves (withdrawn): its theme is no longer found.
    from feedback.models import ActionCard
    kind_key = max(set(after[i] for t, i in seeded if t == "staff_kind"),
                   key=[after[i] for t, i in seeded if t == "staff_kind"].count)
    kind_theme = db.session.execute(db.select(Theme).filter_by(key=kind_key)).scalar_one()
    for card in db.session.execute(db.select(ActionCard)).scalars():
        if after.get(card.id) == kind_key:
            card.moderation_state = "rejected"
    db.session.commit()
    third = _run(client)
    db.session.expire_all()
    assert kind_key in third.previous_state["retired"]
    page = client.get(f"/insight/themes/{kind_theme.id}").get_data(as_text=True)
    assert "This theme was no longer found in the latest analysis." in page
    assert db.session.get(Theme, theme.id).name == "Waiting too long for help"


def _linked_theme(db, **theme):
    """A theme linked to a review action of a contract; returns (theme, review, action)."""
    from feedback.models import ReviewAction, Theme
    contract = make_contract(db)
    review = make_review(db, contract)
    found = Theme(key=theme.pop("key", "T1"), label=theme.pop("label", "Waiting for help"),
                  **theme)
    db.session.add(found)
    db.session.flush()
    action = ReviewAction(review=review, description="Text families while they wait",
                          owner="The provider", themes=[found])
    db.session.add(action)
    db.session.commit()
    return found, review, action


def _everywhere(client, theme, review, action) -> list[str]:
    return [client.get(url).get_data(as_text=True) for url in (
        f"/insight/themes/{theme.id}", f"/contracts/reviews/{review.id}",
        f"/contracts/actions/{action.id}", f"/contracts/reviews/{review.id}/pack")]


def test_a_merged_theme_says_where_it_went(client, login_as, db):
    from feedback.models import Theme
    into = Theme(key="T2", label="Waiting lists", size=40)
    db.session.add(into)
    db.session.flush()
    theme, review, action = _linked_theme(db, merged_into_id=into.id, hidden=True)
    login_as("commissioner")
    pages = _everywhere(client, theme, review, action)
    assert "This theme was merged into \u201cWaiting lists\u201d." in pages[0]
    assert f'href="/insight/themes/{into.id}"' in pages[0]
    for page in pages[1:]:
        assert "Waiting for help (this theme was merged into \u201cWaiting lists\u201d)" in page


def test_a_theme_no_longer_found_or_small_says_so(client, login_as, db):
    from feedback.models import AnalysisRun
    old, latest = (AnalysisRun(kind="full", status="succeeded") for _ in range(2))
    db.session.add_all([old, latest])
    db.session.flush()
    gone, review, action = _linked_theme(db, first_run_id=old.id, last_run_id=old.id, size=0)
    login_as("commissioner")
    for page in _everywhere(client, gone, review, action):
        assert "no longer found in the latest analysis" in page
    listed = client.get("/insight/themes").get_data(as_text=True)
    assert "Shown, not reviewed, no longer found in the latest analysis" in listed
    small, review, action = _linked_theme(db, key="T9", label="Short breaks", first_run_id=old.id,
                                          last_run_id=latest.id, size=7)
    for page in _everywhere(client, small, review, action):
        assert "now has fewer than 10 items" in page
    large, review, action = _linked_theme(db, key="T10", label="Kind staff",
                                          first_run_id=old.id, last_run_id=latest.id, size=25)
    for page in _everywhere(client, large, review, action):
        assert "fewer than 10 items" not in page and "no longer found" not in page


def test_an_id_the_engine_gives_afresh_never_brings_back_an_older_theme(db):
    """A theme or sub-theme id retired before the last run is not among the engine's previous
    ids, so it may be given afresh to other texts: the app stores that one under a new key."""
    from types import SimpleNamespace as Found

    from feedback.models import Subtheme, Theme
    from feedback.theme_keys import KeyMap
    one, gone = Theme(key="T1", label="Waiting"), Theme(key="T5", label="Short breaks")
    db.session.add_all([one, gone])
    db.session.flush()
    db.session.add_all([Subtheme(theme_id=one.id, key="T1.1", label="Counselling"),
                        Subtheme(theme_id=one.id, key="T1.2", label="Retired sub-theme")])
    db.session.commit()
    previous = {"themes": [{"id": "T1", "subthemes": [{"id": "T1.1"}]}]}
    result = Found(themes=[
        Found(id="T1", subthemes=[Found(id="T1.1"), Found(id="T1.2")]),
        Found(id="T2", subthemes=[Found(id="T2.1")]),
        Found(id="T5", subthemes=[Found(id="T5.1")])])
    keys = KeyMap.build(result, previous)
    assert keys.themes == {"T5": "T6"}
    assert [keys.theme(t) for t in ("T1", "T2", "T5")] == ["T1", "T2", "T6"]
    assert [keys.subtheme(s) for s in ("T1.1", "T1.2", "T2.1", "T5.1")] == [
        "T1.1", "T1.3", "T2.1", "T6.1"]
    stored = keys.previous_state([{"id": "T5", "label": "x", "subthemes": [{"id": "T5.1"}]}])
    assert stored == [{"id": "T6", "label": "x", "subthemes": [{"id": "T6.1"}]}]


def test_items_classified_between_runs_go_to_the_nearest_sub_theme(db):
    from feedback.analysis_bridge import execute_run
    from feedback.models import ActionCard, AnalysisRun, Subtheme, ThemeAssignment
    from tests.factories import run_full
    service = make_service(db)
    for topic in TOPICS:
        _add_cards(db, service, _texts(topic, 50), topic)
    assert run_full(db, themes="auto").status == "succeeded"
    placed = {c: s for c, s in db.session.execute(
        db.select(ThemeAssignment.card_id, ThemeAssignment.subtheme_id)
        .where(ThemeAssignment.subtheme_id.is_not(None)))}
    twins = list(placed)[::max(1, len(placed) // 12)][:12]
    new = {}
    for card_id in twins:
        text = db.session.get(ActionCard, card_id).text_redacted
        card = build_card(kind="change", text=text, text_redacted=text, service=service,
                          moderation_state="approved", safeguarding_flagged=False)
        db.session.add(card)
        db.session.flush()
        new[card.id] = card_id
    db.session.commit()
    run = AnalysisRun(kind="classify", status="queued")
    db.session.add(run)
    db.session.commit()
    assert execute_run(run.id).status == "succeeded"
    rows = db.session.execute(db.select(ThemeAssignment).where(
        ThemeAssignment.card_id.in_(new))).scalars().all()
    assert rows
    for row in rows:
        assert row.subtheme_id is not None
        assert db.session.get(Subtheme, row.subtheme_id).theme_id == row.theme_id
    same = sum(row.subtheme_id == placed[new[row.card_id]] for row in rows)
    assert same >= 0.75 * len(rows), (same, len(rows))
