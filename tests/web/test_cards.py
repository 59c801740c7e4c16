"""The action card journey through the HTTP client, on SQLite and PostgreSQL."""
from __future__ import annotations

import re

import pytest

from tests.helpers import csrf_token, post_form
from tests.factories import build_card


@pytest.fixture()
def service(app):
    from feedback.extensions import db
    from feedback.models import Service
    with app.app_context():
        s = Service(name="Northgate Youth Club", plain_name="Northgate youth club",
                    thematic_area="health_wellbeing", description="Evening club")
        db.session.add(s)
        db.session.commit()
        return s.id


def go_through(client, service_id, text="Please start a cooking club 🍳\nOn Fridays too",
               unsafe=False, contact=None):
    assert post_form(client, "/cards/new", {"service": str(service_id)}).status_code == 302
    assert post_form(client, "/cards/new/kind", {"kind": "start"}).status_code == 302
    data = {"text": text}
    if unsafe:
        data["unsafe"] = "yes"
    assert post_form(client, "/cards/new/text", data).status_code == 302
    assert post_form(client, "/cards/new/about", {"age_band": "11-13", "cohorts": ["in_care"]}
                     ).status_code == 302
    assert post_form(client, "/cards/new/contact", contact or {"method": "none"}).status_code == 302
    page = client.get("/cards/new/check")
    assert page.status_code == 200
    token = re.search(rb'name="token" type="hidden" value="([^"]+)"', page.data) or \
        re.search(rb'id="token" name="token" type="hidden" value="([^"]+)"', page.data)
    token = token.group(1).decode() if token else re.search(
        rb'name="token"[^>]*value="([^"]+)"', page.data).group(1).decode()
    return page, token


def send(client, token):
    return post_form(client, "/cards/new/check", {"token": token}, form_url="/cards/track")


def cards(app):
    from feedback.extensions import db
    from feedback.models import ActionCard
    with app.app_context():
        return db.session.execute(db.select(ActionCard)).scalars().all()


def test_whole_journey_saves_exactly_what_was_typed(app, client, service):
    text = "Please start a cooking club 🍳\nOn Fridays too. Ask Sarah on 07700 900123"
    page, token = go_through(client, service, text=text)
    assert "Check your card" in page.get_data(as_text=True)
    response = send(client, token)
    assert response.status_code == 302
    done = client.get("/cards/new/done").get_data(as_text=True)
    code = re.search(r'app-receipt-code">([A-Z0-9]{4}-[A-Z0-9]{4})<', done).group(1)
    assert "Save this code" in done
    [card] = cards(app)
    assert card.text == text
    assert card.kind == "start" and card.age_band == "11-13" and card.in_care
    assert "[name]" in card.text_redacted and "[phone number]" in card.text_redacted
    assert card.moderation_state == "pending" and not card.safeguarding_flagged
    assert card.receipt_hash and code not in (card.receipt_hash or "")


def test_double_submit_and_replay_save_one_card(app, client, service):
    _, token = go_through(client, service)
    assert send(client, token).status_code == 302
    first = client.get("/cards/new/done").get_data(as_text=True)
    code = re.search(r'app-receipt-code">([^<]+)<', first).group(1)
    assert send(client, token).status_code == 302  # the same form again
    again = client.get("/cards/new/done").get_data(as_text=True)
    assert code not in again and "We cannot show it again" in again  # shown once only
    other = app.test_client()  # a replay from another browser
    other.get("/cards/new")
    response = post_form(other, "/cards/new/check", {"token": token}, form_url="/cards/new")
    assert response.status_code == 302
    assert "We already have your card" in other.get("/cards/new/done").get_data(as_text=True)
    assert len(cards(app)) == 1


def test_errors_are_clear_and_lose_nothing(app, client, service):
    post_form(client, "/cards/new", {"service": str(service)})
    page = post_form(client, "/cards/new/kind", {})
    assert "Select stop, start or change" in page.get_data(as_text=True)
    assert "<title>Error:" in page.get_data(as_text=True)
    post_form(client, "/cards/new/kind", {"kind": "stop"})
    long_text = "é" * 1001
    page = post_form(client, "/cards/new/text", {"text": long_text}).get_data(as_text=True)
    assert "1,000 characters or fewer" in page and long_text in page
    page = post_form(client, "/cards/new/text", {"text": ""}).get_data(as_text=True)
    assert "Enter what you want the service to do" in page
    post_form(client, "/cards/new/text", {"text": "ok"})
    post_form(client, "/cards/new/about", {})
    page = post_form(client, "/cards/new/contact", {"method": "email", "detail": "nope"})
    assert "correct format" in page.get_data(as_text=True)
    assert 'value="nope"' in page.get_data(as_text=True)


def test_skipping_ahead_goes_back_to_the_first_unanswered_page(client, service):
    assert client.get("/cards/new/text").headers["Location"].endswith("/cards/new")


def test_flagged_card_shows_help_and_alerts(app, client, service, caplog):
    _, token = go_through(client, service, text="the older boys make me hold drugs", unsafe=True)
    send(client, token)
    done = client.get("/cards/new/done").get_data(as_text=True)
    assert "0800 1111" in done and "999" in done and "nobody can contact you" in done
    [card] = cards(app)
    assert card.safeguarding_flagged
    # The lists name exploitation; the model may add the kind it sees (drugs).
    assert {"exploitation", "said_unsafe"} <= set(card.safeguarding_categories)
    assert "SAFEGUARDING ALERT" in caplog.text
    assert "drugs" not in caplog.text  # the alert never carries the child's words


@pytest.mark.parametrize("contact, next_step", [
    ({"method": "worker"}, "They may get in touch with you through your worker."),
    ({"method": "email", "detail": "sam@example.org"},
     "They may use the contact details you gave to get in touch."),
])
def test_flagged_card_says_a_person_reads_it_first_and_how_they_may_reply(
        app, client, service, contact, next_step):
    _, token = go_through(client, service, text="the older boys make me hold drugs",
                          unsafe=True, contact=contact)
    send(client, token)
    done = client.get("/cards/new/done").get_data(as_text=True)
    assert "will read your card first" in done
    # The safeguarding lead may release the words to moderation later: never "not published".
    assert "will only be shared if they decide it is OK to share it" in done
    assert "not publish" not in done
    assert next_step in done
    assert ("contact details you gave" in done) == (contact["method"] != "worker")
    [card] = cards(app)
    assert card.safeguarding_flagged and card.contact_method == contact["method"]


def _submit_and_code(client, service, **kw):
    _, token = go_through(client, service, **kw)
    send(client, token)
    return re.search(r'app-receipt-code">([^<]+)<',
                     client.get("/cards/new/done").get_data(as_text=True)).group(1)


def test_track_shows_status_and_responses_then_delete_erases_everywhere(app, client, service,
                                                                       make_user):
    from feedback.cards.status import StatusError, change_status
    from feedback.extensions import db
    from feedback.models import ActionCard, MeToo, StatusChange

    code = _submit_and_code(client, service)
    lead = make_user("commissioner")
    with app.app_context():
        card = db.session.execute(db.select(ActionCard)).scalar_one()
        with pytest.raises(StatusError):
            change_status(card, "not_possible", lead)  # a reason is required
        db.session.rollback()
        card = db.session.execute(db.select(ActionCard)).scalar_one()
        change_status(card, "action_planned", lead, response="We will start it in May.")
        card.moderation_state = "approved"
        db.session.add(MeToo(card_id=card.id, supporter="x" * 64))
        db.session.commit()
    page = post_form(client, "/cards/track", {"code": code.lower().replace("-", " ")})
    html = page.get_data(as_text=True)
    assert "Action planned" in html and "We will start it in May." in html
    missing = post_form(client, "/cards/track", {"code": "BBBB-CCCC"}).get_data(as_text=True)
    assert "We could not find that code" in missing
    confirm = post_form(client, "/cards/track/delete", {"code": code}, form_url="/cards/track")
    assert "Are you sure" in confirm.get_data(as_text=True)
    gone = post_form(client, "/cards/track/delete", {"code": code, "confirm": "yes"},
                     form_url="/cards/track")
    assert "has been deleted" in gone.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(ActionCard)).scalar() == 0
        assert db.session.execute(db.select(db.func.count()).select_from(MeToo)).scalar() == 0
        assert db.session.execute(db.select(db.func.count()).select_from(StatusChange)).scalar() == 0


def test_me_too_once_per_browser(app, client, service):
    from feedback.extensions import db
    from feedback.models import ActionCard
    with app.app_context():
        card = build_card(kind="change", text="x", text_redacted="Later opening", service_id=service,
                          moderation_state="approved")
        hidden = build_card(kind="stop", text="y", text_redacted="Never shown", service_id=service, moderation_state="pending")
        db.session.add_all([card, hidden])
        db.session.commit()
        card_id = card.id
    page = client.get(f"/cards/service/{service}").get_data(as_text=True)
    assert "Later opening" in page and "Never shown" not in page
    url = f"/cards/{card_id}/me-too"
    token = csrf_token(client, f"/cards/service/{service}")
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.get(ActionCard, card_id).me_too_count == 1
    assert "You said me too" in client.get(f"/cards/service/{service}").get_data(as_text=True)


def test_a_card_the_model_alone_flags_is_held_with_its_score(app, client, service, make_user,
                                                             monkeypatch):
    """The learned screen's own flag (no phrase, no kind named) holds the card too, and
    its score and reasons are kept for the lead (the screen's answer is given here)."""
    from feedback import safeguarding
    from feedback.safeguarding import Screening
    from tests.helpers import sign_in
    monkeypatch.setattr(safeguarding, "screen", lambda text, *a, **k: Screening(
        True, (), score=0.9312, model_flagged=True, reasons=("nobody to talk to",)))
    _, token = go_through(client, service, text="there is nobody to talk to at home")
    send(client, token)
    [card] = cards(app)
    assert card.safeguarding_flagged and not card.is_published
    assert card.safeguarding_score == 0.9312
    assert card.safeguarding_trigger == {"phrases": [], "reasons": ["nobody to talk to"]}
    lead = app.test_client()
    assert sign_in(lead, make_user("safeguarding_lead")).status_code == 302
    queue = lead.get("/safeguarding").get_data(as_text=True)
    assert f"Action card {card.id}<" in queue and "0.93" in queue
    assert "The learned screen&#39;s score" in queue or "The learned screen's score" in queue
    page = lead.get(f"/safeguarding/card/{card.id}").get_data(as_text=True)
    assert "nobody to talk to" in page and "0.93" in page
