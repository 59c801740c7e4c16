"""Theme curation: rename, merge, split, hide, review; audited; survives re-runs."""
from __future__ import annotations

from tests.helpers import post_form
from tests.factories import build_card, make_cards, make_service, run_full, theme_of


def _themed(db):
    cards = make_cards(db, make_service(db))
    run = run_full(db)
    assert run.status == "succeeded", run.error
    return cards


def _audit(db, action):
    from feedback.models import AuditEvent
    return db.session.execute(db.select(AuditEvent).filter_by(action=action)).scalars().all()


def test_rename_is_audited_and_survives_a_rerun(client, login_as, db):
    cards = _themed(db)
    theme = theme_of(db, cards[0].id)
    login_as("commissioner")
    url = f"/insight/themes/{theme.id}/rename"
    response = post_form(client, url, {"name": "  Waiting too long for help "})
    assert response.status_code == 302
    assert _audit(db, "theme.renamed")
    run_full(db)
    db.session.expire_all()
    assert theme_of(db, cards[0].id).name == "Waiting too long for help"


def test_rename_needs_a_name(client, login_as, db):
    cards = _themed(db)
    theme = theme_of(db, cards[0].id)
    login_as("commissioner")
    page = post_form(client, f"/insight/themes/{theme.id}/rename", {"name": "  "})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Enter a name for the theme" in html
    assert "<title>Error: " in html and "govuk-error-summary" in html
    long = post_form(client, f"/insight/themes/{theme.id}/rename", {"name": "x" * 201})
    assert "The name must be 200 characters or fewer" in long.get_data(as_text=True)


def test_merge_moves_items_and_stays_merged_after_rerun(client, login_as, db):
    from feedback.models import Theme
    cards = _themed(db)
    a, b = theme_of(db, cards[0].id), theme_of(db, cards[25].id)
    login_as("commissioner")
    response = post_form(client, f"/insight/themes/{a.id}/merge", {"into": str(b.id)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/insight/themes/{b.id}")
    db.session.expire_all()
    assert theme_of(db, cards[0].id).id == b.id
    assert db.session.get(Theme, a.id).merged_into_id == b.id
    assert _audit(db, "theme.merged")
    run_full(db)
    db.session.expire_all()
    assert theme_of(db, cards[0].id).id == b.id
    merged = client.get(f"/insight/themes/{a.id}")  # a link to it says where it went
    assert merged.status_code == 200 and "This theme was merged into" in merged.get_data(as_text=True)


def test_merge_needs_a_choice(client, login_as, db):
    cards = _themed(db)
    theme = theme_of(db, cards[0].id)
    login_as("commissioner")
    page = post_form(client, f"/insight/themes/{theme.id}/merge", {"into": ""})
    assert "Select the theme to merge into" in page.get_data(as_text=True)


def test_split_moves_chosen_items_and_they_stay_after_rerun(client, login_as, db):
    cards = _themed(db)
    theme = theme_of(db, cards[0].id)
    login_as("commissioner")
    url = f"/insight/themes/{theme.id}/split"
    assert "waiting" in client.get(url).get_data(as_text=True)
    chosen = [f"card:{c.id}" for c in cards[:3]]
    response = post_form(client, url, {"items": chosen, "name": "Counsellor waiting lists"})
    assert response.status_code == 302
    db.session.expire_all()
    new = theme_of(db, cards[0].id)
    assert new.name == "Counsellor waiting lists" and new.id != theme.id and new.reviewed
    assert theme_of(db, cards[3].id).id == theme.id
    assert _audit(db, "theme.split")
    run_full(db)
    db.session.expire_all()
    assert theme_of(db, cards[1].id).id == new.id


def test_split_errors(client, login_as, db):
    cards = _themed(db)
    theme = theme_of(db, cards[0].id)
    login_as("commissioner")
    html = post_form(client, f"/insight/themes/{theme.id}/split", {"name": ""}).get_data(as_text=True)
    assert "Select at least one item to move" in html and "Enter a name for the new theme" in html


def test_hide_and_review_toggle(client, login_as, db):
    cards = _themed(db)
    theme = theme_of(db, cards[0].id)
    login_as("commissioner")
    post_form(client, f"/insight/themes/{theme.id}/hide", {}, form_url=f"/insight/themes/{theme.id}")
    post_form(client, f"/insight/themes/{theme.id}/review", {}, form_url=f"/insight/themes/{theme.id}")
    db.session.expire_all()
    theme = theme_of(db, cards[0].id)
    assert theme.hidden and theme.reviewed and theme.reviewed_at is not None
    assert theme.name not in client.get("/insight").get_data(as_text=True)
    assert theme.name in client.get("/insight/themes").get_data(as_text=True)
    assert _audit(db, "theme.hidden") and _audit(db, "theme.reviewed")


def test_curated_split_trains_the_classifier_for_new_items(db, make_user):
    from feedback.analysis_bridge import execute_run
    from feedback.insight import curation
    from feedback.models import AnalysisRun
    cards = _themed(db)
    user = db.session.merge(make_user("commissioner"))
    theme = theme_of(db, cards[20].id)  # transport
    refs = [f"card:{c.id}" for c in cards[20:40] if "fares" in c.text_redacted]
    new = curation.split_theme(theme.id, refs, "Bus fares", user)
    card = build_card(kind="change", text="x", text_redacted="bus fares to the youth club cost too much money",
                      moderation_state="approved", safeguarding_flagged=False)
    db.session.add(card)
    db.session.commit()
    run = AnalysisRun(kind="classify", status="queued")
    db.session.add(run)
    db.session.commit()
    assert execute_run(run.id).status == "succeeded"
    assert theme_of(db, card.id).id == new.id


def test_the_demo_commissioner_reviews_every_theme_and_renames_by_automatic_label(db):
    """The demo's curation: every live theme reviewed and audited; a theme whose automatic label
    is in the demo's list renamed; a label not in the list, or a theme a person already named,
    keeps its name."""
    from feedback.demo.curation import NAMES, curate_themes
    from feedback.models import Theme
    from tests.factories import make_user

    cards = _themed(db)
    themes = db.session.scalars(db.select(Theme).order_by(Theme.id)).all()
    assert len(themes) >= 3
    first, second = list(NAMES)[:2]
    themes[0].label = first
    themes[1].label, themes[1].curated_name = first, "Named by a person"
    themes[2].label = NAMES[second]  # a curated name as a label is not a key: not renamed
    db.session.commit()
    users = {"commissioner": make_user(db, "commissioner")}
    assert curate_themes(users) == (len(themes), 1)
    db.session.expire_all()
    assert db.session.get(Theme, themes[0].id).name == NAMES[first]
    assert db.session.get(Theme, themes[1].id).name == "Named by a person"
    assert db.session.get(Theme, themes[2].id).name == NAMES[second]
    assert db.session.get(Theme, themes[2].id).curated_name is None
    # No curated name lands on a theme whose automatic label it was not keyed to.
    renamed = {row.object_id for row in _audit(db, "theme.renamed")}
    for theme in db.session.scalars(db.select(Theme)):
        if theme.id in renamed:
            assert theme.curated_name == NAMES[theme.label], theme.label
    assert all(t.reviewed and t.reviewed_by_id == users["commissioner"].id
               for t in db.session.scalars(db.select(Theme)))
    assert len(_audit(db, "theme.renamed")) == 1 and len(_audit(db, "theme.reviewed")) == len(themes)
    assert cards


def test_all_themes_are_listed_by_the_name_people_see(client, login_as, db):
    """A renamed theme sits among the others by its new name, on both databases."""
    from feedback.models import Theme

    _themed(db)
    themes = db.session.scalars(db.select(Theme).order_by(Theme.id)).all()
    themes[0].label, themes[0].curated_name = "Zebra crossings", None
    themes[1].label, themes[1].curated_name = "Zzz engine label", "Buses"
    themes[2].label, themes[2].curated_name = "Parking", None
    db.session.commit()
    login_as("commissioner")
    html = client.get("/insight/themes").get_data(as_text=True)
    at = [html.index(name) for name in ("Buses", "Parking", "Zebra crossings")]
    assert at == sorted(at)
