"""The track page through the HTTP client, on SQLite and PostgreSQL: the current
status in plain words, the item's redacted words, every response, one dated
line per change and no line twice."""
from __future__ import annotations

import re

import pytest

from tests.helpers import post_form
from tests.fixtures.family_data import make_services
from tests.web.test_cards import _submit_and_code, service  # noqa: F401 (fixture)
from tests.web.test_family_form import answers, form_token


def _track(client, code) -> str:
    page = post_form(client, "/cards/track", {"code": code})
    assert page.status_code == 200
    return page.get_data(as_text=True)


def _steps(html) -> list[str]:
    block = re.search(r'<ol class="[^"]*app-track-steps[^"]*">(.*?)</ol>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", li).strip() for li in re.findall(r"<li>(.*?)</li>", block, re.S)]


def _approve(app, model, make_user):
    from feedback.extensions import db
    from feedback.moderation import services as moderation
    moderator = make_user("moderator")
    with app.app_context():
        item = db.session.execute(db.select(model)).scalar_one()
        kind = moderation.kind_of(item)
        moderation.approve(kind, item.id, db.session.get(type(moderator), moderator.id))


def test_card_track_shows_approval_words_responses_and_dated_changes(app, client, service,  # noqa: F811
                                                                     make_user):
    from feedback.cards.status import change_status
    from feedback.extensions import db
    from feedback.models import ActionCard

    code = _submit_and_code(client, service,
                            text="Please start a cooking club\nAsk Sarah on 07700 900123")
    html = _track(client, code)
    assert "Where it is now: Received, waiting to be checked" in html
    assert "Please start a cooking club" in html and "07700 900123" not in html
    assert "[phone number]" in html
    assert len(_steps(html)) == 1 and _steps(html)[0].startswith("Received on ")

    _approve(app, ActionCard, make_user)
    html = _track(client, code)
    assert "Where it is now: Approved, waiting for an answer" in html
    assert [s.split(" on ")[0] for s in _steps(html)] == ["Received", "Approved by a moderator"]

    lead = make_user("commissioner")
    with app.app_context():
        card = db.session.execute(db.select(ActionCard)).scalar_one()
        change_status(card, "action_planned", lead, response="We will start it in May.")
        card = db.session.execute(db.select(ActionCard)).scalar_one()
        change_status(card, "done", lead, response="The club starts on Friday.")
    html = _track(client, code)
    assert "Where it is now: Done" in html
    steps = _steps(html)
    assert [s.split(" on ")[0] for s in steps] == ["Received", "Approved by a moderator",
                                                    "Action planned", "Done"]
    assert all(re.search(r" on \d{1,2} \w+ \d{4}", s) for s in steps), steps
    assert "We will start it in May." in html and "The club starts on Friday." in html
    assert len(steps) == len(set(steps))


def test_feedback_track_shows_received_once_and_its_redacted_words(app, client, make_user):
    from feedback.models import FeedbackEntry
    services = make_services(app)
    csrf, token = form_token(client)
    assert client.post("/feedback/new", data=answers(services, token, csrf)).status_code == 302
    code = re.search(r'app-receipt-code">([^<]+)<',
                     client.get("/feedback/sent").get_data(as_text=True)).group(1)
    html = _track(client, code)
    steps = _steps(html)
    assert len(steps) == 1 and steps[0].startswith("Received on "), steps
    assert "What went well" in html and "Staff listened" in html
    assert "What could be better" in html and "Letters came late" in html
    assert "07700 900123" not in html and "[phone number]" in html

    _approve(app, FeedbackEntry, make_user)
    html = _track(client, code)
    assert "Where it is now: Approved, waiting for an answer" in html
    assert [s.split(" on ")[0] for s in _steps(html)] == ["Received", "Approved by a moderator"]


def test_a_flagged_card_says_only_received(app, client, service, make_user):  # noqa: F811
    from feedback.extensions import db
    from feedback.models import ActionCard
    code = _submit_and_code(client, service, text="Please start a cooking club")
    with app.app_context():
        card = db.session.execute(db.select(ActionCard)).scalar_one()
        card.safeguarding_flagged = True
        db.session.commit()
    _approve(app, ActionCard, make_user)
    html = _track(client, code)
    assert "Where it is now: Received, waiting to be checked" in html
    assert len(_steps(html)) == 1 and "Approved" not in html
