"""The public feedback form: exact words, one entry per form, clear errors,
screening and redaction, receipt codes, rate limit and the 503 that gives text back."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from tests.helpers import csrf_token
from tests.fixtures.family_data import make_services

WELL = "Staff listened 👂 and rang back\r\nThe Saturday club was brilliant — «merci» ☺"
BETTER = "Letters came late. Ring me on 07700 900123 if you want to know more"


@pytest.fixture()
def services(app):
    return make_services(app)


def form_token(client) -> tuple[str, str]:
    page = client.get("/feedback/new").get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'id="token" name="token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="token"[^>]*value="([^"]+)"', page)
    return csrf_token(client, "/feedback/new"), token.group(1)


def answers(services, token, csrf, **overrides):
    data = {"csrf_token": csrf, "token": token, "service": str(services["Portage Home Visiting"]),
            "respondent_type": "parent_carer", "rating": "4", "went_well": WELL,
            "could_be_better": BETTER, "child_age_band": "5-10", "disability_send": "yes"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def entries(app):
    from feedback.extensions import db
    from feedback.models import FeedbackEntry
    with app.app_context():
        found = db.session.execute(db.select(FeedbackEntry)).scalars().all()
        for e in found:
            _ = e.history
            db.session.expunge(e)
        return found


def test_form_renders_every_widget_with_exit_button_and_no_consent_ticked(client, services):
    page = client.get("/feedback/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Exit this page" in html
    assert "Portage Home Visiting" in html
    for name in ("service", "respondent_type", "rating", "went_well", "could_be_better",
                 "ethnicity", "disability_send", "child_age_band", "area", "quote_consent"):
        assert f'name="{name}"' in html, name
    assert "govuk-character-count" in html and 'data-maxlength="2000"' in html
    assert "5 - Very good" in html and "1 - Very poor" in html
    assert "(optional)" in html and "You can skip these questions" in html
    consent = re.search(r'<input[^>]*name="quote_consent"[^>]*>', html).group(0)
    assert "checked" not in consent


def test_feedback_is_saved_exactly_once_with_receipt_and_redaction(app, client, services):
    csrf, token = form_token(client)
    sent = client.post("/feedback/new", data=answers(services, token, csrf))
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/feedback/sent")
    done = client.get("/feedback/sent").get_data(as_text=True)
    code = re.search(r'app-receipt-code">([^<]+)<', done).group(1)
    assert "Save this code" in done and "/cards/track" in done
    [entry] = entries(app)
    assert entry.went_well == WELL.replace("\r\n", "\n") or entry.went_well == WELL
    assert entry.could_be_better == BETTER
    assert "07700" not in entry.could_be_better_redacted
    assert "[phone number]" in entry.could_be_better_redacted
    assert entry.moderation_state == "pending" and entry.status == "received"
    assert entry.source == "family_form" and entry.rating == 4
    assert entry.child_age_band == "5-10" and entry.disability_send == "yes"
    assert entry.quote_consent is False and not entry.safeguarding_flagged
    assert [h.to_status for h in entry.history] == ["received"]
    from feedback.receipts import receipt_hash
    assert entry.receipt_hash == receipt_hash(code)
    # A double submit or a replay of the same form: still one entry, original confirmation.
    again = client.post("/feedback/new", data=answers(services, token, csrf))
    assert again.status_code == 302
    assert len(entries(app)) == 1
    assert code in client.get("/feedback/sent").get_data(as_text=True)


def test_replay_from_another_browser_saves_nothing_and_shows_no_code(app, services):
    first, second = app.test_client(), app.test_client()
    csrf, token = form_token(first)
    first.post("/feedback/new", data=answers(services, token, csrf))
    csrf2, _ = form_token(second)
    second.post("/feedback/new", data=answers(services, token, csrf2))
    assert len(entries(app)) == 1
    page = second.get("/feedback/sent").get_data(as_text=True)
    assert "We already have your feedback" in page and "app-receipt-code" not in page


@pytest.mark.parametrize("overrides, message", [
    ({"service": ""}, "Select the service"),
    ({"respondent_type": None}, "Select who is giving feedback"),
    ({"rating": None}, "Select how the service was overall"),
    ({"rating": "9"}, "Not a valid choice"),
    ({"went_well": "", "could_be_better": " "}, "Enter what went well or what could be better"),
    ({"went_well": "é" * 2001}, "What went well must be 2,000 characters or fewer"),
])
def test_errors_are_clear_and_keep_what_was_typed(app, client, services, overrides, message):
    csrf, token = form_token(client)
    page = client.post("/feedback/new", data=answers(services, token, csrf, **overrides))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<title>Error:" in html and "govuk-error-summary" in html
    assert message in html
    kept = overrides.get("went_well", WELL)
    if kept.strip():
        assert kept.replace("\r\n", "\n")[:40].replace("'", "&#39;") in html.replace("\r\n", "\n")
    assert entries(app) == []


def test_flagged_feedback_is_screened_held_and_escalated(app, client, services, caplog):
    csrf, token = form_token(client)
    client.post("/feedback/new", data=answers(
        services, token, csrf, could_be_better="My son told the nurse: I want to die"))
    [entry] = entries(app)
    assert entry.safeguarding_flagged and "self_harm" in entry.safeguarding_categories
    assert not entry.is_published
    assert "SAFEGUARDING ALERT" in caplog.text and "want to die" not in caplog.text


def test_rate_limit_is_kind_and_gives_the_words_back(make_app, services):
    app = make_app(RATE_LIMITS=True, SUBMIT_RATE_LIMIT="1 per minute")
    client = app.test_client()
    csrf, token = form_token(client)
    client.post("/feedback/new", data=answers(services, token, csrf))
    csrf, token = form_token(client)
    page = client.post("/feedback/new", data=answers(services, token, csrf,
                                                     went_well="Second visit was lovely ✨"))
    html = page.get_data(as_text=True)
    assert page.status_code == 429
    assert "Please wait a few minutes" in html and "Second visit was lovely ✨" in html
    assert "Exit this page" in html


def test_database_error_gives_the_words_back(app, client, services, db):
    """A real failure inside the database (a trigger refusing the insert), not a mock."""
    if db.engine.dialect.name == "sqlite":
        create = ("CREATE TRIGGER refuse_feedback BEFORE INSERT ON feedback_entry "
                  "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        drop = "DROP TRIGGER refuse_feedback"
    else:
        db.session.execute(text(
            "CREATE OR REPLACE FUNCTION refuse_feedback() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql"))
        create = ("CREATE TRIGGER refuse_feedback BEFORE INSERT ON feedback_entry "
                  "FOR EACH ROW EXECUTE FUNCTION refuse_feedback()")
        drop = "DROP TRIGGER refuse_feedback ON feedback_entry; DROP FUNCTION refuse_feedback()"
    db.session.execute(text(create))
    db.session.commit()
    try:
        csrf, token = form_token(client)
        page = client.post("/feedback/new", data=answers(services, token, csrf))
        html = page.get_data(as_text=True)
        assert page.status_code == 503
        assert "Here is what you wrote" in html
        assert "The Saturday club was brilliant — «merci» ☺" in html
    finally:
        for statement in drop.split("; "):
            db.session.execute(text(statement))
        db.session.commit()
    assert entries(app) == []
