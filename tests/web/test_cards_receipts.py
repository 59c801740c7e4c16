"""Receipt codes are shown once and nothing secret rides in the session cookie.

The session cookie is signed, not encrypted: these tests decode it as anyone
holding it could, at every step of the journey.
"""
from __future__ import annotations

import base64
import re
import zlib
from datetime import datetime, timedelta, timezone

from tests.helpers import post_form
from tests.web.test_cards import cards, go_through, send, service  # noqa: F401 - fixture

EMAIL = "sam.young@example.invalid"
TEXT = "Please change the bus times. My name is Jordan"


def _cookie_text(app, client) -> str:
    """The session cookie decoded, without the key (as anyone holding it can)."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    if cookie is None:
        return ""
    value = cookie.value
    compressed = value.startswith(".")
    payload = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if compressed:
        raw = zlib.decompress(raw)
    decoded = raw.decode("utf-8")
    # And through Flask's own serializer, to be sure the whole payload was read.
    loaded = app.session_interface.get_signing_serializer(app).loads(value)
    return decoded + repr(loaded)


def _code(page: str) -> str | None:
    found = re.search(r'app-receipt-code">([A-Z0-9]{4}-[A-Z0-9]{4})<', page)
    return found.group(1) if found else None


def test_session_cookie_never_holds_the_words_the_contact_or_the_code(app, client, service):
    go_through(client, service, text=TEXT, contact={"method": "email", "detail": EMAIL})
    mid = _cookie_text(app, client)
    assert "Jordan" not in mid and "bus times" not in mid and EMAIL not in mid
    page, token = go_through(client, service, text=TEXT,
                             contact={"method": "email", "detail": EMAIL})
    assert send(client, token).status_code == 302
    after_send = _cookie_text(app, client)
    done = client.get("/cards/new/done").get_data(as_text=True)
    code = _code(done)
    assert code
    for text in (after_send, _cookie_text(app, client)):
        assert code not in text and code.replace("-", "") not in text
        assert "Jordan" not in text and EMAIL not in text
        assert "flagged" not in text and "anonymous" not in text


def test_confirmation_shows_the_code_once_then_says_it_cannot(app, client, service):
    _, token = go_through(client, service)
    send(client, token)
    first = client.get("/cards/new/done").get_data(as_text=True)
    code = _code(first)
    assert code and "Save this code" in first
    second = client.get("/cards/new/done")
    assert second.status_code == 200
    page = second.get_data(as_text=True)
    assert code not in page and "We cannot show it again" in page
    assert "Check your card" in page
    # Nor is it kept on the server once shown: only its hash is (on the card).
    from feedback.extensions import db
    from feedback.models import JourneyState
    with app.app_context():
        stored = repr([row.data for row in db.session.execute(
            db.select(JourneyState)).scalars()])
    assert code not in stored


def test_flagged_card_help_shows_on_the_first_showing_only(app, client, service):
    _, token = go_through(client, service, text="the older boys make me hold drugs", unsafe=True)
    send(client, token)
    first = client.get("/cards/new/done").get_data(as_text=True)
    assert "0800 1111" in first and "999" in first and "check you are safe" in first
    again = client.get("/cards/new/done").get_data(as_text=True)
    assert "check you are safe" not in again and "0800 1111" not in again
    assert _code(again) is None


def test_replayed_check_page_does_not_tell_whether_the_card_was_flagged(app, client, service):
    _, token = go_through(client, service, text="the older boys make me hold drugs", unsafe=True)
    send(client, token)
    other = app.test_client()
    other.get("/cards/new")
    post_form(other, "/cards/new/check", {"token": token}, form_url="/cards/new")
    page = other.get("/cards/new/done").get_data(as_text=True)
    assert "We already have your card" in page and "check you are safe" not in page


def test_long_non_latin_card_keeps_the_cookie_small(app, client, service):
    import random
    letters = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]  # CJK: compresses badly
    rng = random.Random(7)
    text = "".join(rng.choice(letters) for _ in range(1000))
    _, token = go_through(client, service, text=text)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert len(cookie.value) < 600, len(cookie.value)
    assert send(client, token).status_code == 302
    [card] = cards(app)
    assert card.text == text


def test_journey_rows_expire_and_the_purge_deletes_them(app, client, service):
    from feedback.extensions import db
    from feedback.models import JourneyState
    from feedback.privacy.retention import RetentionPolicy, purge
    go_through(client, service)
    later = datetime.now(timezone.utc) + timedelta(hours=3)
    with app.app_context():
        assert purge(RetentionPolicy(), apply=False).counts["journey_states"] == 0
        assert purge(RetentionPolicy(), apply=False, now=later).counts["journey_states"] == 1
        assert purge(RetentionPolicy(), apply=True, now=later).counts["journey_states"] == 1
        assert db.session.execute(db.select(db.func.count()).select_from(JourneyState)
                                  ).scalar() == 0
    # The journey starts again cleanly: the lost answers are asked for again.
    assert client.get("/cards/new/kind").headers["Location"].endswith("/cards/new")


def test_erasing_a_flagged_card_awaiting_the_lead_keeps_the_leads_copy(app, client, service,
                                                                       make_user):
    from feedback.extensions import db
    from feedback.models import ActionCard
    from feedback.moderation import lead as moderation
    from feedback.privacy.retention import RetentionPolicy, purge
    _, token = go_through(client, service, text="the older boys make me hold drugs", unsafe=True)
    send(client, token)
    code = _code(client.get("/cards/new/done").get_data(as_text=True))
    gone = post_form(client, "/cards/track/delete", {"code": code, "confirm": "yes"},
                     form_url="/cards/track")
    assert "has been deleted" in gone.get_data(as_text=True)
    # For the young person it is gone: the code finds nothing.
    missing = post_form(client, "/cards/track", {"code": code}).get_data(as_text=True)
    assert "We could not find that code" in missing
    lead = make_user("safeguarding_lead")
    with app.app_context():
        [card] = db.session.execute(db.select(ActionCard)).scalars().all()
        assert card.erase_requested_at is not None and card.receipt_hash is None
        assert card.moderation_state == "rejected" and not card.is_published
        queue = moderation.safeguarding_queue(lead)
        assert [item.item.id for item in queue.items] == [card.id]
        # Nothing is deleted by the purge while the lead has not decided.
        assert purge(RetentionPolicy(), apply=True).counts["action_cards"] == 0
        moderation.record_safeguarding("card", card.id, lead, "referred", "Called the school")
        assert purge(RetentionPolicy(), apply=True).counts["action_cards"] == 1
        assert db.session.execute(db.select(db.func.count()).select_from(ActionCard)
                                  ).scalar() == 0


def test_erasing_an_unflagged_card_still_deletes_it_at_once(app, client, service):
    _, token = go_through(client, service)
    send(client, token)
    code = _code(client.get("/cards/new/done").get_data(as_text=True))
    post_form(client, "/cards/track/delete", {"code": code, "confirm": "yes"},
              form_url="/cards/track")
    assert cards(app) == []
