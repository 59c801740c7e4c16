"""The provider home through the HTTP client, on SQLite and PostgreSQL: only the
provider's own services, contracts and actions; small groups suppressed; another
provider's ids answer 404."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.web.provider_factories import provider_with_items
from tests.factories import build_card


def _home(client) -> str:
    page = client.get("/provider")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_home_lists_own_services_words_counts_and_me_too_only(app, client, login_as):
    ours = provider_with_items(app, cards=10, feedback=2)
    theirs = provider_with_items(app, cards=12)
    login_as("provider", organisation=ours["org"])
    html = _home(client)
    assert ours["service_name"] in html and theirs["service_name"] not in html
    assert "Please change the opening hours 3" in html and "The staff listened 1" in html
    assert "Card 3 original" not in html and "Entry 1 original" not in html  # redacted only
    assert ">12<" in html  # 10 cards + 2 families
    assert "in the period: 45." in html  # me too: 0 + 1 + ... + 9
    assert "Cards waiting for an answer (10)" in html
    assert f'/provider/card/{ours["cards"][0]}/reply' in html
    assert f'/provider/card/{theirs["cards"][0]}/reply' not in html


def test_fewer_than_ten_people_shows_no_words_and_no_count(app, client, login_as):
    ours = provider_with_items(app, cards=4)
    login_as("provider", organisation=ours["org"])
    html = _home(client)
    assert 'id="too-few"' in html
    assert "Please change the opening hours" not in html
    assert "fewer than 10" in html and ">4<" not in html


def test_a_small_service_beside_a_large_one_is_suppressed(app, client, login_as):
    from feedback.extensions import db
    from tests.web.contracts_factories import make_provider, make_service
    ours = provider_with_items(app, cards=15)
    with app.app_context():
        org = make_provider(db, ours["org"])
        small = make_service(db, org, name="Tiny outreach service")
        db.session.add_all([build_card(kind="stop", text="x", text_redacted="x", service=small,
                                       moderation_state="approved") for _ in range(3)])
        db.session.commit()
    login_as("provider", organisation=ours["org"])
    html = _home(client)
    row = html.split("Tiny outreach service", 1)[1].split("</tr>", 1)[0]
    assert "fewer than 10" in row
    # The total would give the small service away beside the large one: both are withheld.
    large = html.split(ours["service_name"], 1)[1].split("</tr>", 1)[0]
    assert "15" not in large


def test_unpublished_and_flagged_items_are_not_shown(app, client, login_as):
    from feedback.extensions import db
    from feedback.models import Service
    ours = provider_with_items(app, cards=10)
    with app.app_context():
        service = db.session.get(Service, ours["service"])
        db.session.add_all([
            build_card(kind="stop", text="p", text_redacted="Still pending words", service=service, moderation_state="pending"),
            build_card(kind="stop", text="f", text_redacted="Flagged words", service=service,
                       moderation_state="approved", safeguarding_flagged=True)])
        db.session.commit()
    login_as("provider", organisation=ours["org"])
    html = _home(client)
    assert "Still pending words" not in html and "Flagged words" not in html


def test_home_shows_own_reviews_due_and_open_actions_only(app, client, login_as):
    from feedback import clock
    from feedback.extensions import db
    from feedback.models import ReviewAction
    from tests.web.contracts_factories import make_contract, make_provider, make_review
    ours = provider_with_items(app, cards=0)
    soon = clock.today() + timedelta(days=10)
    with app.app_context():
        org = make_provider(db, ours["org"])
        mine = make_contract(db, provider=org, reference="OWN-1", next_review=soon)
        other = make_contract(db, reference="OTHER-1", next_review=soon)
        for contract, words in ((mine, "Run a youth panel"), (other, "Someone else's action")):
            review = make_review(db, contract)
            review.actions.append(ReviewAction(description=words, owner="Provider",
                                               due_date=date(2027, 1, 31)))
        review.actions.append(ReviewAction(description="Finished action", owner="P",
                                           status="done"))
        db.session.commit()
    login_as("provider", organisation=ours["org"])
    html = _home(client)
    assert "OWN-1" in html and "OTHER-1" not in html
    assert "Run a youth panel" in html and "31 January 2027" in html
    assert "Someone else&#39;s action" not in html and "Finished action" not in html


@pytest.mark.parametrize("role", ["commissioner", "moderator", "forum_rep", "admin"])
def test_other_roles_are_refused(client, login_as, role):
    login_as(role)
    assert client.get("/provider").status_code == 403


def test_a_provider_without_an_organisation_is_refused(client, login_as):
    login_as("provider")
    assert client.get("/provider").status_code == 403


def test_themes_from_the_insight_queries_with_sub_themes_and_suppression(app, client, login_as):
    import uuid

    from feedback.extensions import db
    from feedback.models import Service, Subtheme, Theme, ThemeAssignment
    ours = provider_with_items(app, cards=14)
    theirs = provider_with_items(app, cards=10)
    with app.app_context():
        big = Theme(key=f"P{uuid.uuid4().hex[:8]}", label="Opening hours")
        small = Theme(key=f"P{uuid.uuid4().hex[:8]}", label="Bus passes")
        elsewhere = Theme(key=f"P{uuid.uuid4().hex[:8]}", label="Another provider's theme")
        db.session.add_all([big, small, elsewhere])
        db.session.flush()
        sub = Subtheme(theme_id=big.id, key=f"{big.key}.1", label="Weekend opening")
        db.session.add(sub)
        db.session.flush()
        for card_id in ours["cards"][:11]:
            db.session.add(ThemeAssignment(theme_id=big.id, card_id=card_id, subtheme_id=sub.id))
        for card_id in ours["cards"][11:]:
            db.session.add(ThemeAssignment(theme_id=small.id, card_id=card_id))
        for card_id in theirs["cards"]:
            db.session.add(ThemeAssignment(theme_id=elsewhere.id, card_id=card_id))
        db.session.commit()
    login_as("provider", organisation=ours["org"])
    html = _home(client)
    themes = html.split('id="themes"', 1)[1].split("</table>", 1)[0]
    assert "Opening hours" in themes and ">11<" in themes
    assert "Bus passes" in themes and "fewer than 10" in themes
    assert "Another provider" not in html
    assert "Sub-themes of Opening hours" in html and "Weekend opening: 11 people" in html
    # The platform holds nothing from before these cards: no trend against the year before.
    assert "More than the period before" not in themes and "No comparison" in themes
    assert re.search(r'id="no-comparison">No comparison: we hold no data for part of '
                     r'1 \w+ \d{4} to \d+ \w+ \d{4}\.</p>', html)
    with app.app_context():
        from tests.factories import make_history
        make_history(db, db.session.get(Service, ours["service"]))
    themes = _home(client).split('id="themes"', 1)[1].split("</table>", 1)[0]
    assert "More than the period before" in themes and "No comparison" not in themes
