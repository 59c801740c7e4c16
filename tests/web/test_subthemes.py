"""Sub-themes on the web: listed on the theme page with the small-group rule, their own
pages (404 for another theme's sub-theme or an id out of range), and curation (rename,
merge, split, hide) by those who curate themes only, audited."""
from __future__ import annotations

import re

from tests.helpers import csrf_token, post_form
from tests.factories import build_card, make_service, now

SIZES = {"Waiting for counselling": 25, "Bus home from youth club": 12, "Changing social workers": 4}


def _build(db):
    """One theme with three sub-themes of 25, 12 and 4 people (action cards, published)."""
    from feedback.models import Subtheme, Theme, ThemeAssignment
    service = make_service(db)
    theme = Theme(key="T1", label="Help for young people", size=sum(SIZES.values()))
    other = Theme(key="T2", label="Something else", size=0)
    db.session.add_all([theme, other])
    db.session.flush()
    subs, cards = {}, {}
    for n, (label, size) in enumerate(SIZES.items(), start=1):
        sub = Subtheme(theme_id=theme.id, key=f"T1.{n}", label=label, size=size)
        db.session.add(sub)
        db.session.flush()
        subs[label] = sub
        cards[label] = []
        for m in range(size):
            card = build_card(kind="change", text=f"{label} ({m})", text_redacted=f"{label} ({m})",
                              service=service, moderation_state="approved",
                              safeguarding_flagged=False, created_at=now())
            db.session.add(card)
            db.session.flush()
            db.session.add(ThemeAssignment(theme_id=theme.id, subtheme_id=sub.id, card_id=card.id,
                                           confidence=0.5, method="cluster"))
            cards[label].append(card)
    other_sub = Subtheme(theme_id=other.id, key="T2.1", label="Elsewhere", size=0)
    db.session.add(other_sub)
    db.session.commit()
    return theme, subs, cards, other_sub


def _cell(html: str, name: str) -> str:
    match = re.search(re.escape(name) + r"</a></td><td[^>]*>([^<]+)</td>", html)
    assert match, f"{name} not listed"
    return match.group(1)


def _audit(db, action):
    from feedback.models import AuditEvent
    return db.session.execute(db.select(AuditEvent).filter_by(action=action)).scalars().all()


def test_theme_page_lists_sub_themes_with_the_small_group_rule(client, login_as, db):
    theme, subs, _cards, _other = _build(db)
    login_as("commissioner")
    html = client.get(f"/insight/themes/{theme.id}?period=all").get_data(as_text=True)
    assert "Sub-themes" in html and "<strong>41</strong> people" in html
    assert _cell(html, "Waiting for counselling") == "25"
    assert _cell(html, "Changing social workers") == "fewer than 10"
    # 41 - 25 - 12 would give the 4 away: the next smallest is withheld too.
    assert _cell(html, "Bus home from youth club") == "not shown"
    for sub in subs.values():
        assert f"/insight/themes/{theme.id}/subthemes/{sub.id}" in html


def test_sub_theme_pages_show_items_only_when_their_count_may_be_shown(client, login_as, db):
    theme, subs, cards, _other = _build(db)
    login_as("commissioner")
    big = client.get(f"/insight/themes/{theme.id}/subthemes/{subs['Waiting for counselling'].id}?period=all")
    html = big.get_data(as_text=True)
    assert big.status_code == 200 and 'id="subtheme-people">25<' in html
    assert "Waiting for counselling (3)" in html and f"Answer card {cards['Waiting for counselling'][0].id}" in html
    assert "Bus home from youth club (" not in html  # only its own items
    for label, text in (("Bus home from youth club", "not shown"),
                        ("Changing social workers", "fewer than 10")):
        page = client.get(f"/insight/themes/{theme.id}/subthemes/{subs[label].id}?period=all")
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and f'id="subtheme-people">{text}<' in html
        assert f"{label} (1)" not in html and "Answer card" not in html
    assert len(_audit(db, "subtheme.viewed")) == 3


def test_a_small_theme_is_not_broken_into_sub_themes(client, login_as, db):
    theme, subs, _cards, _other = _build(db)
    login_as("commissioner")
    html = client.get(f"/insight/themes/{theme.id}?period=all&source=forum_import").get_data(as_text=True)
    assert "Waiting for counselling" not in html


def test_sub_theme_of_another_theme_or_out_of_range_is_not_found(client, login_as, db):
    theme, subs, _cards, other_sub = _build(db)
    login_as("commissioner")
    sub = subs["Waiting for counselling"]
    assert client.get(f"/insight/themes/{theme.id}/subthemes/{other_sub.id}").status_code == 404
    assert client.get(f"/insight/themes/{other_sub.theme_id}/subthemes/{sub.id}").status_code == 404
    assert client.get(f"/insight/themes/{theme.id}/subthemes/{sub.id + 1000}").status_code == 404
    assert client.get(f"/insight/themes/{theme.id}/subthemes/99999999999999999999").status_code == 404
    assert client.get(f"/insight/themes/{theme.id}/subthemes/{other_sub.id}/rename").status_code == 404


def test_rename_a_sub_theme(client, login_as, db):
    from feedback.models import Subtheme
    theme, subs, _cards, _other = _build(db)
    login_as("commissioner")
    sub = subs["Waiting for counselling"]
    url = f"/insight/themes/{theme.id}/subthemes/{sub.id}/rename"
    blank = post_form(client, url, {"name": "   "})
    assert blank.status_code == 200 and "Enter a name for the sub-theme" in blank.get_data(as_text=True)
    done = post_form(client, url, {"name": "  Waiting   months for a counsellor "})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Subtheme, sub.id).name == "Waiting months for a counsellor"
    event = _audit(db, "subtheme.renamed")[0]
    assert event.object_type == "subtheme" and event.detail["after"] == "Waiting months for a counsellor"
    html = client.get(f"/insight/themes/{theme.id}?period=all").get_data(as_text=True)
    assert _cell(html, "Waiting months for a counsellor") == "25"


def test_merge_a_sub_theme_into_another_of_the_same_theme(client, login_as, db):
    from feedback.models import Subtheme, ThemeAssignment
    theme, subs, cards, other_sub = _build(db)
    login_as("commissioner")
    small, bus = subs["Changing social workers"], subs["Bus home from youth club"]
    url = f"/insight/themes/{theme.id}/subthemes/{small.id}/merge"
    wrong = post_form(client, url, {"into": str(other_sub.id)})
    assert wrong.status_code == 200 and "govuk-error-summary" in wrong.get_data(as_text=True)
    done = post_form(client, url, {"into": str(bus.id)})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/subthemes/{bus.id}")
    db.session.expire_all()
    assert db.session.get(Subtheme, small.id).merged_into_id == bus.id
    moved = db.session.execute(db.select(ThemeAssignment.subtheme_id).where(
        ThemeAssignment.card_id == cards["Changing social workers"][0].id)).scalar_one()
    assert moved == bus.id and db.session.get(Subtheme, bus.id).size == 16
    assert _audit(db, "subtheme.merged")[0].detail["items"] == 4
    html = client.get(f"/insight/themes/{theme.id}?period=all").get_data(as_text=True)
    assert _cell(html, "Bus home from youth club") == "16"
    assert "Changing social workers</a>" not in html
    assert client.get(f"/insight/themes/{theme.id}/subthemes/{small.id}").status_code == 404


def test_split_a_sub_theme(client, login_as, db):
    from feedback.models import Subtheme, ThemeAssignment
    theme, subs, cards, _other = _build(db)
    login_as("commissioner")
    sub = subs["Waiting for counselling"]
    url = f"/insight/themes/{theme.id}/subthemes/{sub.id}/split"
    chosen = [f"card:{c.id}" for c in cards["Waiting for counselling"][:11]]
    none = post_form(client, url, {"name": "Evening sessions", "items": []})
    assert none.status_code == 200 and "Select at least one item to move" in none.get_data(as_text=True)
    done = post_form(client, url, {"name": "Evening sessions", "items": chosen})
    assert done.status_code == 302
    db.session.expire_all()
    new = db.session.execute(db.select(Subtheme).filter_by(curated_name="Evening sessions")).scalar_one()
    assert new.theme_id == theme.id and new.size == 11 and db.session.get(Subtheme, sub.id).size == 14
    row = db.session.execute(db.select(ThemeAssignment).where(
        ThemeAssignment.card_id == cards["Waiting for counselling"][0].id)).scalar_one()
    assert row.subtheme_id == new.id and row.theme_id == theme.id and row.method == "manual"
    assert _audit(db, "subtheme.split")[0].detail["items"] == 11


def test_hide_and_show_a_sub_theme(client, login_as, db):
    from feedback.models import Subtheme
    theme, subs, _cards, _other = _build(db)
    login_as("commissioner")
    sub = subs["Waiting for counselling"]
    page = f"/insight/themes/{theme.id}/subthemes/{sub.id}"
    assert post_form(client, page + "/hide", {}, form_url=page).status_code == 302
    db.session.expire_all()
    assert db.session.get(Subtheme, sub.id).hidden
    html = client.get(f"/insight/themes/{theme.id}?period=all").get_data(as_text=True)
    assert "Hidden sub-themes:" in html and 'id="subthemes"' in html
    assert not re.search(r"Waiting for counselling</a></td>", html)
    assert "Hidden from the theme page" in client.get(page).get_data(as_text=True)
    post_form(client, page + "/hide", {}, form_url=page)
    db.session.expire_all()
    assert not db.session.get(Subtheme, sub.id).hidden
    assert [e.action for e in _audit(db, "subtheme.hidden") + _audit(db, "subtheme.shown")] == [
        "subtheme.hidden", "subtheme.shown"]


def test_roles_that_may_not_curate_are_refused(client, login_as, db):
    from feedback.models import Subtheme
    theme, subs, _cards, _other = _build(db)
    sub = subs["Waiting for counselling"]
    base = f"/insight/themes/{theme.id}/subthemes/{sub.id}"
    login_as("moderator")
    assert client.get(base).status_code == 403
    assert client.get(base + "/rename").status_code == 403
    token = csrf_token(client, "/staff")
    assert client.post(base + "/rename", data={"name": "Taken over", "csrf_token": token}
                       ).status_code == 403
    assert client.post(base + "/hide", data={"csrf_token": token}).status_code == 403
    assert client.post(base + "/merge", data={"into": "1", "csrf_token": token}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Subtheme, sub.id).curated_name is None
    assert not db.session.get(Subtheme, sub.id).hidden


def test_curation_services_refuse_without_the_role(db, make_user):
    import pytest

    from feedback.insight import subtheme_curation
    from feedback.errors import NotAllowed
    theme, subs, _cards, _other = _build(db)
    provider = db.session.merge(make_user("provider"))
    with pytest.raises(NotAllowed):
        subtheme_curation.rename_subtheme(theme.id, subs["Waiting for counselling"].id, "x", provider)
    with pytest.raises(NotAllowed):
        subtheme_curation.set_subtheme_hidden(theme.id, subs["Waiting for counselling"].id, True,
                                              provider)


def test_theme_curation_carries_sub_themes(client, login_as, db):
    """Merging a theme moves its sub-themes under the other theme; splitting a theme takes
    the moved items out of their sub-theme."""
    from feedback.models import Subtheme, Theme, ThemeAssignment
    theme, subs, cards, other_sub = _build(db)
    other = db.session.get(Theme, other_sub.theme_id)
    login_as("commissioner")
    bare = client.get(f"/insight/themes/{theme.id}?period=all")
    assert "Waiting for counselling" in bare.get_data(as_text=True)
    moved = [f"card:{c.id}" for c in cards["Bus home from youth club"][:10]]
    assert post_form(client, f"/insight/themes/{theme.id}/split",
                     {"name": "Late buses", "items": moved}).status_code == 302
    db.session.expire_all()
    row = db.session.execute(db.select(ThemeAssignment).where(
        ThemeAssignment.card_id == cards["Bus home from youth club"][0].id)).scalar_one()
    assert row.theme_id != theme.id and row.subtheme_id is None
    new_theme = db.session.get(Theme, row.theme_id)
    html = client.get(f"/insight/themes/{new_theme.id}?period=all").get_data(as_text=True)
    assert "This theme has no sub-themes for this selection." in html
    assert post_form(client, f"/insight/themes/{theme.id}/merge",
                     {"into": str(other.id)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Subtheme, subs["Waiting for counselling"].id).theme_id == other.id
    html = client.get(f"/insight/themes/{other.id}?period=all").get_data(as_text=True)
    assert _cell(html, "Waiting for counselling") == "25"
    sub = subs["Waiting for counselling"]
    assert client.get(f"/insight/themes/{other.id}/subthemes/{sub.id}").status_code == 200
    assert client.get(f"/insight/themes/{theme.id}/subthemes/{sub.id}").status_code == 404


def test_family_feedback_counts_its_families_in_a_sub_theme(client, login_as, db):
    from feedback.models import FeedbackEntry, ThemeAssignment
    theme, subs, cards, _other = _build(db)
    service = cards["Waiting for counselling"][0].service
    entry = FeedbackEntry(respondent_type="parent_carer", could_be_better="The wait is too long",
                          could_be_better_redacted="The wait is too long", quote_consent=True,
                          moderation_state="approved", families_represented=12, service=service,
                          created_at=now())
    db.session.add(entry)
    db.session.flush()
    db.session.add(ThemeAssignment(theme_id=theme.id, subtheme_id=subs["Waiting for counselling"].id,
                                   feedback_entry_id=entry.id, confidence=0.9))
    db.session.commit()
    login_as("commissioner")
    html = client.get(f"/insight/themes/{theme.id}?period=all").get_data(as_text=True)
    assert "<strong>53</strong> people" in html and _cell(html, "Waiting for counselling") == "37"
    page = client.get(f"/insight/themes/{theme.id}/subthemes/{subs['Waiting for counselling'].id}"
                      "?period=all").get_data(as_text=True)
    assert 'id="subtheme-people">37<' in page and f"Answer feedback {entry.id}" in page
