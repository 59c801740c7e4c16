"""Messages with a count read right for one ("1 second", "1 card", "1 hour"), through the
pages that show them; each is one ngettext / {% pluralize %} message (docs/i18n.md)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from feedback.auth import throttle
from feedback.models import SignInThrottle, User
from tests.factories import build_card, make_service
from tests.helpers import TEST_PASSWORD, csrf_token, post_form, sign_in
from tests.i18n_helpers import compile_catalogues
from tests.web.contracts_factories import make_contract, make_review


def _try(client, email, password):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "email": email,
                                        "password": password})


def test_the_sign_in_wait_says_1_second_and_1_minute(app, client, make_user, db):
    user = make_user("commissioner")
    for _ in range(throttle.FREE_FAILURES):
        _try(client, user.email, "wrong-password-123")
    row = db.session.execute(db.select(SignInThrottle)).scalar_one()
    delay = throttle.delay_after(row.failures)
    row.last_failed_at = datetime.now(timezone.utc) - delay + timedelta(milliseconds=500)
    db.session.commit()
    page = _try(client, user.email, TEST_PASSWORD).get_data(as_text=True)
    assert "Try again in 1 second" in page and "1 seconds" not in page
    with app.test_request_context():
        assert throttle.wait_message(timedelta(seconds=30)).endswith("Try again in 30 seconds")
        assert throttle.wait_message(timedelta(seconds=100)).endswith("Try again in 2 minutes")


def test_an_action_with_one_card_says_1_card_moved(db, client, login_as):
    contract = make_contract(db, reference="ONE-1", next_review=date.today())
    review = make_review(db, contract, date.today() - timedelta(days=90),
                         date.today() - timedelta(days=1))
    service = contract.services[0]
    card = build_card(kind="start", text="original", text_redacted="Please open later",
                      service_id=service.id, moderation_state="approved",
                      created_at=datetime.now(timezone.utc) - timedelta(days=3))
    db.session.add(card)
    db.session.commit()
    login_as("commissioner")
    due = date.today() + timedelta(days=30)
    saved = post_form(client, f"/contracts/reviews/{review.id}/actions/new", {
        "description": "Open later", "owner": "The provider",
        "due_date": [str(due.day), str(due.month), str(due.year)],
        "card_ids": [str(card.id)],
        "message_to_young_people": "The hub opens later from June."}, follow_redirects=True)
    page = saved.get_data(as_text=True)
    assert "Action saved. 1 card moved to action planned." in page
    assert "1 cards" not in page


def test_the_invitation_says_1_hour(make_app, make_user):
    app = make_app(INVITATION_HOURS=1)
    client = app.test_client()
    admin = make_user("admin")
    assert sign_in(client, admin).status_code == 302
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert "The link works once, for 1 hour." in page and "1 hours" not in page


def test_the_account_page_says_1_recovery_code_left(app, client, login_as, db):
    user = login_as("commissioner")
    found = db.session.get(User, user.id)
    found.totp_enabled, found.recovery_codes = True, ["only-one-left"]
    db.session.commit()
    page = client.get("/account").get_data(as_text=True)
    assert "On, 1 recovery code left" in page and "1 recovery codes" not in page


def test_you_said_we_did_counts_one_answer_and_many_in_each_language(client, db):
    compile_catalogues()
    service = make_service(db)
    db.session.add(build_card(kind="change", text="original", text_redacted="Longer hours",
                              service=service, moderation_state="approved", status="done",
                              status_changed_at=datetime(2026, 3, 1, tzinfo=timezone.utc)))
    db.session.commit()
    assert ">1 answer</h2>" in client.get("/you-said-we-did?lang=en").get_data(as_text=True)
    assert ">1 ateb</h2>" in client.get("/you-said-we-did?lang=cy").get_data(as_text=True)
    db.session.add(build_card(kind="stop", text="original", text_redacted="Queues",
                              service=service, moderation_state="approved", status="done",
                              status_changed_at=datetime(2026, 3, 2, tzinfo=timezone.utc)))
    db.session.commit()
    assert ">2 answers</h2>" in client.get("/you-said-we-did?lang=en").get_data(as_text=True)
    assert ">2 ateb</h2>" in client.get("/you-said-we-did?lang=cy").get_data(as_text=True)
    assert ">2 answers</h2>" in client.get("/you-said-we-did?lang=easy").get_data(as_text=True)
