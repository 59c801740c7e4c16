"""Action cards under stress, on SQLite and PostgreSQL: rate limits, a real
database failure during submit, error states of every widget, queue paging,
and the demo data.

No mocks: the rate limits are Flask-Limiter's own, and the database failure
is a real lock held by a second connection while the app waits a short time.
"""
from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from markupsafe import escape
from sqlalchemy import create_engine, text as sql

from tests.helpers import csrf_token, post_form
from tests.web.test_cards import cards, go_through, send
from tests.factories import build_card

TEXT = "Stop <b>shouting</b> at us & listen 🙅\u200d♀️🌈\nSecond line, with ‘quotes’ 𝓯𝓪𝓷𝓬𝔂\n\nThird"


@pytest.fixture()
def service(app):
    from feedback.extensions import db
    from feedback.models import Service
    with app.app_context():
        s = Service(name="Riverside Youth Club", plain_name="Riverside youth club",
                    thematic_area="health_wellbeing")
        db.session.add(s)
        db.session.commit()
        return s.id


def _published_card(app, service_id) -> int:
    from feedback.extensions import db
    with app.app_context():
        card = build_card(kind="start", text="More trips", text_redacted="More trips",
                          service_id=service_id, moderation_state="approved",
                          safeguarding_flagged=False)
        db.session.add(card)
        db.session.commit()
        return card.id


# --- rate limits ----------------------------------------------------------------

def test_submissions_past_the_limit_are_refused_kindly_and_the_card_is_kept(make_app, service):
    app = make_app(RATE_LIMITS=True, SUBMIT_RATE_LIMIT="2 per minute")
    client = app.test_client()
    for _ in range(2):
        _, token = go_through(client, service)
        assert send(client, token).status_code == 302
    _, token = go_through(client, service, text="Third card 🎈\nkeep me")
    refused = send(client, token)
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "You have sent a lot of cards in a short time" in page
    assert "Nothing you sent is lost" in page
    assert len(cards(app)) == 2
    # The answers are still there: check answers shows them, ready to send later.
    check = client.get("/cards/new/check")
    assert check.status_code == 200
    assert "Third card 🎈<br>keep me" in check.get_data(as_text=True)


def test_track_attempts_past_the_limit_are_refused(make_app):
    app = make_app(RATE_LIMITS=True, TRACK_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [post_form(client, "/cards/track", {"code": "ABCD-EFGH"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = post_form(client, "/cards/track", {"code": "ABCD-EFGH"})
    assert refused.status_code == 429
    assert "Too many tries. Wait a minute, then check your code again." in refused.get_data(as_text=True)
    # Looking at the form is not an attempt.
    assert client.get("/cards/track").status_code == 200


def test_delete_attempts_past_the_limit_are_refused(make_app):
    app = make_app(RATE_LIMITS=True, TRACK_RATE_LIMIT="2 per minute")
    client = app.test_client()
    token = csrf_token(client, "/cards/track")
    codes = [client.post("/cards/track/delete", data={"csrf_token": token, "code": "ABCD-EFGH",
                                                      "confirm": "yes"}).status_code
             for _ in range(3)]
    assert codes == [302, 302, 429]
    refused = client.post("/cards/track/delete", data={"csrf_token": token, "code": "ABCD-EFGH"})
    assert "Too many tries. Wait a minute, then try again." in refused.get_data(as_text=True)


def test_me_too_past_the_limit_is_refused(make_app, service):
    app = make_app(RATE_LIMITS=True, ME_TOO_RATE_LIMIT="2 per minute")
    card_id = _published_card(app, service)
    client = app.test_client()
    token = csrf_token(client, f"/cards/service/{service}")
    codes = [client.post(f"/cards/{card_id}/me-too", data={"csrf_token": token}).status_code
             for _ in range(3)]
    assert codes == [302, 302, 429]
    refused = client.post(f"/cards/{card_id}/me-too", data={"csrf_token": token})
    assert "Too many taps. Wait a minute and try again." in refused.get_data(as_text=True)
    from feedback.extensions import db
    from feedback.models import ActionCard
    with app.app_context():
        assert db.session.get(ActionCard, card_id).me_too_count == 1  # one browser, one support


# --- a real database failure while sending --------------------------------------

class _Lock:
    """Hold a real lock on the card table from a second connection."""

    def __init__(self, url: str):
        self.url = url

    def __enter__(self):
        if self.url.startswith("sqlite"):
            self.conn = sqlite3.connect(self.url.split("///", 1)[1], isolation_level=None)
            self.conn.execute("BEGIN EXCLUSIVE")
        else:
            self.engine = create_engine(self.url)
            self.conn = self.engine.connect()
            self.conn.execute(sql("LOCK TABLE action_card IN ACCESS EXCLUSIVE MODE"))
        return self

    def __exit__(self, *exc):
        if self.url.startswith("sqlite"):
            self.conn.execute("ROLLBACK")
            self.conn.close()
        else:
            self.conn.rollback()
            self.conn.close()
            self.engine.dispose()


def _impatient_app(make_app, database):
    """An app that gives up on a lock after 0.3 s instead of waiting."""
    if database.startswith("sqlite"):
        options = {"connect_args": {"timeout": 0.3, "isolation_level": "IMMEDIATE",
                                    "check_same_thread": False}}
    else:
        options = {"pool_pre_ping": True,
                   "connect_args": {"options": "-c lock_timeout=300 -c statement_timeout=5000"}}
    return make_app(SQLALCHEMY_ENGINE_OPTIONS=options)


def test_database_failure_gives_the_text_back_then_the_same_form_saves_once(
        make_app, database, service):
    app = _impatient_app(make_app, database)
    client = app.test_client()
    _, token = go_through(client, service, text=TEXT)
    with _Lock(database):
        failed = send(client, token)
    assert failed.status_code == 503
    page = failed.get_data(as_text=True)
    assert "Here is what you wrote" in page and "It has not been saved" in page
    escaped = (TEXT.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    assert escaped in page, "the exact text, escaped, with its emoji and line breaks"
    assert "<b>shouting</b>" not in page
    assert re.search(r"reference: <strong>[0-9A-F]{10}</strong>", page)
    assert cards(app) == []
    # Lock released: the same one-time token is sent again and saves exactly one card.
    assert send(client, token).status_code == 302
    done = client.get("/cards/new/done").get_data(as_text=True)
    assert re.search(r'app-receipt-code">[A-Z0-9]{4}-[A-Z0-9]{4}<', done)
    assert send(client, token).status_code == 302
    [card] = cards(app)
    assert card.text == TEXT and card.submission_token == token


# --- error states of the widgets ------------------------------------------------

def _assert_error_page(response, *messages):
    page = response.get_data(as_text=True)
    assert re.search(r"<title>Error: ", page), "the title starts with Error:"
    assert 'class="govuk-error-summary"' in page
    for message in map(lambda m: str(escape(m)), messages):
        assert re.search(r'govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span> '
                         + re.escape(message), page), message
        assert f">{message}</a>" in page, f"summary links to the field: {message}"
    return page


def test_checkboxes_show_their_error_state(client, service):
    post_form(client, "/cards/new", {"service": str(service)})
    post_form(client, "/cards/new/kind", {"kind": "stop"})
    post_form(client, "/cards/new/text", {"text": "Stop it"})
    response = post_form(client, "/cards/new/about", {"cohorts": ["in_care", "astronaut"]})
    assert response.status_code == 200
    page = _assert_error_page(response, "Select the things that are true for you, or none")
    assert "govuk-form-group--error" in page and 'class="govuk-checkboxes"' in page
    # What was ticked is kept.
    assert re.search(r'value="in_care"[^>]*checked', page)
    text_page = post_form(client, "/cards/new/text", {"text": "Stop it", "unsafe": "maybe"})
    _assert_error_page(text_page, "Select I don't feel safe, or leave it empty")


def test_text_input_and_character_count_error_states(client, service):
    post_form(client, "/cards/new", {"service": str(service)})
    post_form(client, "/cards/new/kind", {"kind": "stop"})
    long = post_form(client, "/cards/new/text", {"text": "é" * 1001})
    page = _assert_error_page(long, "Your card must be 1,000 characters or fewer")
    assert "govuk-textarea--error" in page and "é" * 1001 in page
    # Exactly 1,000, with line breaks sent as CR LF, is allowed.
    assert post_form(client, "/cards/new/text", {"text": "a\r\n" * 333 + "a"}).status_code == 302
    post_form(client, "/cards/new/about", {})
    detail = post_form(client, "/cards/new/contact", {"method": "phone", "detail": "12"})
    page = _assert_error_page(detail, "Enter a phone number, like 07700 900 982")
    assert "govuk-input--error" in page
    track = post_form(client, "/cards/track", {"code": ""})
    _assert_error_page(track, "Enter your code")


def _pending_card(app, **values) -> int:
    from feedback.extensions import db
    with app.app_context():
        card = build_card(kind="change", text="Ring Jo on 07700 900123",
                          **{"moderation_state": "pending", "text_redacted": None, **values})
        db.session.add(card)
        db.session.commit()
        return card.id


def test_staff_textareas_and_radios_show_their_error_states(app, client, login_as):
    card = _pending_card(app)
    flagged = _pending_card(app, safeguarding_flagged=True, safeguarding_categories=["self_harm"])
    login_as("moderator")
    url = f"/moderation/card/{card}"
    reject = post_form(client, url + "/decide", {"action": "reject", "reason": " "}, form_url=url)
    assert reject.status_code == 422
    page = _assert_error_page(reject, "Enter why you are rejecting it")
    assert "govuk-textarea--error" in page
    redact = post_form(client, url + "/decide", {"action": "redact", "text_redacted": "x" * 5001},
                       form_url=url)
    assert redact.status_code == 422
    page = _assert_error_page(redact, "The redacted text must be 5,000 characters or fewer")
    assert "x" * 5001 in page  # what the moderator typed is kept
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})
    login_as("safeguarding_lead")
    url = f"/safeguarding/card/{flagged}"
    decision = post_form(client, url, {"note": ""})
    assert decision.status_code == 422
    page = _assert_error_page(decision, "Select what was done", "Enter a note about what was done")
    assert "govuk-radios" in page and "govuk-textarea--error" in page


# --- paging of the staff queues -------------------------------------------------

def _bulk_cards(app, n, **values) -> list[int]:
    from feedback.extensions import db
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with app.app_context():
        made = [build_card(kind="change", text=f"Card {i}", created_at=start + timedelta(minutes=i),
                           **{"moderation_state": "pending", "text_redacted": None, **values})
                for i in range(n)]
        db.session.add_all(made)
        db.session.commit()
        return [c.id for c in made]


def _listed(page: str, prefix: str) -> list[int]:
    return [int(n) for n in re.findall(prefix + r'card/(\d+)(?:\?page=\d+)?">Action card', page)]


def test_moderation_queue_pages_through_every_item_once(app, client, login_as):
    ids = _bulk_cards(app, 120, moderation_state="pending")
    _bulk_cards(app, 3, safeguarding_flagged=True, safeguarding_categories=["abuse"])
    login_as("moderator")
    first = client.get("/moderation").get_data(as_text=True)
    assert "Waiting for moderation (120)" in first and "Page 1 of 3" in first
    assert "<title>Moderation (page 1 of 3)" in first
    assert 'class="govuk-pagination"' in first and 'href="/moderation?page=2"' in first
    assert "govuk-pagination__prev" not in first
    assert "<strong>3</strong> flagged items are with the safeguarding lead" in first
    seen = _listed(first, "/moderation/")
    for number in (2, 3):
        seen += _listed(client.get(f"/moderation?page={number}").get_data(as_text=True),
                        "/moderation/")
    assert seen == ids, "oldest first, every item exactly once, flagged items never listed"
    last = client.get("/moderation?page=3").get_data(as_text=True)
    assert len(_listed(last, "/moderation/")) == 20
    assert "govuk-pagination__next" not in last and 'aria-current="page"' in last
    # Nonsense and out-of-range pages fall back to a real page.
    assert _listed(client.get("/moderation?page=abc").get_data(as_text=True), "/moderation/") == ids[:50]
    assert _listed(client.get("/moderation?page=99").get_data(as_text=True), "/moderation/") == ids[100:]


def test_short_queue_has_no_pagination(app, client, login_as):
    _bulk_cards(app, 3, moderation_state="pending")
    login_as("moderator")
    page = client.get("/moderation").get_data(as_text=True)
    assert "Waiting for moderation (3)" in page and "govuk-pagination" not in page


def test_safeguarding_queue_pages_open_items_first(app, client, login_as):
    from feedback.extensions import db
    from feedback.models import ActionCard
    decided = _bulk_cards(app, 30, safeguarding_flagged=True, safeguarding_categories=["abuse"],
                          safeguarding_outcome="referred", safeguarding_note="Referred")
    with app.app_context():
        for i, card_id in enumerate(decided):
            db.session.get(ActionCard, card_id).safeguarding_reviewed_at = (
                datetime(2026, 3, 1, tzinfo=timezone.utc) + timedelta(hours=i))
        db.session.commit()
    open_ids = _bulk_cards(app, 45, safeguarding_flagged=True, safeguarding_categories=["self_harm"])
    login_as("safeguarding_lead")
    first = client.get("/safeguarding").get_data(as_text=True)
    second = client.get("/safeguarding?page=2").get_data(as_text=True)
    assert "Flagged items (75)" in first and "Page 2 of 2" in second
    seen = _listed(first, "/safeguarding/") + _listed(second, "/safeguarding/")
    assert seen == open_ids + list(reversed(decided)), \
        "undecided oldest first, then decided most recent first"


# --- the demo data ------------------------------------------------------------------

def test_demo_cards_cover_every_status_and_flagged_cards_are_never_published(runner, db):
    from feedback.models import ActionCard
    from feedback.models.submissions import STATUSES
    from feedback.safeguarding import screen
    result = runner.invoke(args=["seed-demo", "--password", "lantern-orchard-velvet-42",
                                 "--cards", "200", "--feedback", "50"])
    assert result.exit_code == 0, result.output
    all_cards = db.session.execute(db.select(ActionCard)).scalars().all()
    assert len(all_cards) == 200
    assert {c.status for c in all_cards} == set(STATUSES)
    flagged = [c for c in all_cards if c.safeguarding_flagged]
    assert len(flagged) >= 2
    # Held, and each says why: the categories the screen found, or a moderator's referral.
    assert all(not c.is_published and (c.safeguarding_categories or c.safeguarding_referral_reason)
               for c in flagged)
    assert any(screen(c.text).flagged for c in flagged), "some flagged by the real screen"
    assert any(c.safeguarding_outcome is None for c in flagged)
    assert all(c.text_redacted is not None for c in all_cards)
    assert any(c.text_redacted != c.text for c in all_cards), "redaction applied somewhere"
    assert not [c for c in all_cards if c.status == "not_possible" and not c.status_reason]
