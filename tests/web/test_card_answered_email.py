"""Closing the loop: a young person who left an email address hears (through a real SMTP
server) that their card was answered or its status changed: the service is named and the
track page linked; never the receipt code, never their words, never the answer's words.
"Through my worker" contacts are listed for the participation team."""
from __future__ import annotations

import pytest

from feedback import receipts
from feedback.models import AuditEvent
from tests.factories import make_card, make_service
from tests.helpers import post_form, sign_in

CODE = "K7QF29MD"
WORDS = "Please start a homework club, my name is Jordan"
ANSWER = "We started a homework club on Tuesdays at the library."
ADDRESS = "sam.young@example.invalid"


def _card(db, **extra):
    service = make_service(db, name="Northshire Youth Club")
    card = make_card(db, service=service, text=WORDS, text_redacted="Please start a homework club",
                     receipt_hash=receipts.receipt_hash(CODE), contact_method="email",
                     contact_detail=ADDRESS, **extra)
    db.session.commit()
    return card


def _check_message(message):
    body = message.get_body(preferencelist=("plain",)).get_content()
    everything = message.as_string()
    assert "Northshire Youth Club" in body
    assert "https://voice.example.org/cards/track" in body
    for secret in (CODE, "K7QF-29MD", "K7QF", WORDS, "homework", "Jordan", ANSWER, "Tuesdays"):
        assert secret not in everything, secret
    return body


def test_an_answer_is_emailed_without_code_or_words(mail_app, db, make_user):
    card = _card(db)
    client = mail_app.test_client()
    sign_in(client, make_user("commissioner"))
    response = post_form(client, f"/insight/cards/{card.id}/answer",
                         {"status": "done", "response": ANSWER})
    assert response.status_code == 302
    [message] = mail_app.smtp.messages
    assert message["To"] == ADDRESS and message["X-Envelope-To"] == ADDRESS
    body = _check_message(message)
    assert "It has an answer" in body
    event = db.session.execute(db.select(AuditEvent).filter_by(
        action="card.contact_emailed")).scalar_one()
    assert ADDRESS not in str(event.detail) and event.object_id == card.id


def test_a_status_change_without_words_is_emailed_too(mail_app, db, make_user):
    card = _card(db)
    client = mail_app.test_client()
    sign_in(client, make_user("commissioner"))
    post_form(client, f"/insight/cards/{card.id}/answer", {"status": "being_looked_at"})
    [message] = mail_app.smtp.messages
    assert "\u201cbeing looked at\u201d" in _check_message(message)
    # A second answer that keeps the status is news as well.
    post_form(client, f"/insight/cards/{card.id}/answer",
              {"status": "being_looked_at", "response": ANSWER})
    assert len(mail_app.smtp.messages) == 2
    _check_message(mail_app.smtp.messages[1])


@pytest.mark.parametrize("method, detail", [("phone", "07700 900123"), ("worker", None),
                                            (None, None), ("email", "not an address")])
def test_no_email_without_an_email_address(mail_app, db, make_user, method, detail):
    card = _card(db)
    card.contact_method, card.contact_detail = method, detail
    db.session.commit()
    client = mail_app.test_client()
    sign_in(client, make_user("commissioner"))
    response = post_form(client, f"/insight/cards/{card.id}/answer",
                         {"status": "done", "response": ANSWER})
    assert response.status_code == 302 and mail_app.smtp.messages == []


def test_a_mail_server_that_is_down_does_not_lose_the_answer(make_app, db, make_user):
    card = _card(db)
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=9)
    client = app.test_client()
    sign_in(client, make_user("commissioner"))
    response = post_form(client, f"/insight/cards/{card.id}/answer",
                         {"status": "done", "response": ANSWER})
    assert response.status_code == 302
    db.session.expire_all()
    assert card.status == "done"


def test_without_a_mail_server_the_log_shows_no_address(client, login_as, db, caplog):
    card = _card(db)
    login_as("commissioner")
    with caplog.at_level("WARNING"):
        post_form(client, f"/insight/cards/{card.id}/answer", {"status": "done",
                                                               "response": ANSWER})
    assert "[card_answered] to 1 private address" in caplog.text
    assert ADDRESS not in caplog.text and "sam.young" not in caplog.text


def test_a_refused_message_logs_no_address_either(make_app, db, make_user, caplog):
    card = _card(db)
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=9)
    client = app.test_client()
    sign_in(client, make_user("commissioner"))
    with caplog.at_level("ERROR"):
        post_form(client, f"/insight/cards/{card.id}/answer", {"status": "done",
                                                               "response": ANSWER})
    assert "MESSAGE NOT SENT" in caplog.text and ADDRESS not in caplog.text


def test_the_address_goes_with_the_card_when_it_is_deleted(client, db):
    card = _card(db)
    card_id = card.id
    response = post_form(client, "/cards/track/delete", {"code": CODE, "confirm": "yes"},
                         form_url="/cards/track")
    assert response.status_code in (200, 302)
    from feedback.models import ActionCard
    db.session.expire_all()
    assert db.session.get(ActionCard, card_id) is None
    assert not db.session.execute(db.select(ActionCard).filter_by(contact_detail=ADDRESS)).first()


def test_worker_contacts_are_listed_for_the_participation_team(client, login_as, db):
    service = make_service(db, name="Leaving Care Team")
    make_card(db, service=service, text="original", text_redacted="Help with my first flat",
              contact_method="worker")
    make_card(db, service=service, text="held words", text_redacted="held words",
              contact_method="worker", safeguarding_flagged=True)
    make_card(db, service=service, text="by email", text_redacted="By email please",
              contact_method="email", contact_detail=ADDRESS)
    db.session.commit()
    login_as("participation_worker")
    page = client.get("/moderation/worker-contacts").get_data(as_text=True)
    assert "Help with my first flat" in page and "Leaving Care Team" in page
    assert "With the safeguarding lead" in page and "held words" not in page
    assert "By email please" not in page and ADDRESS not in page
    assert "original" not in page
    assert client.get("/moderation/worker-contacts?page=99999999").status_code == 200
    assert client.get("/moderation/worker-contacts?page=abc").status_code == 200
    assert db.session.execute(db.select(AuditEvent).filter_by(
        action="cards.worker_contacts_viewed")).first()


def test_worker_contacts_are_refused_to_other_roles(client, login_as):
    login_as("commissioner")
    assert client.get("/moderation/worker-contacts").status_code == 403
