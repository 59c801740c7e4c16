"""The moderation queue shows the first redacted words of each item and stays on
its page after a decision. Through the HTTP client, on SQLite and PostgreSQL."""
from __future__ import annotations

import html as html_lib
import re
from datetime import timedelta

from tests.helpers import post_form, shown_redactions
from tests.factories import build_card


def _pending_cards(app, count):
    from feedback.extensions import db
    from feedback.models.base import utcnow
    start = utcnow() - timedelta(days=10)
    with app.app_context():
        cards = [build_card(kind="change", text=f"Card number {n} ask Sarah on 07700 900123",
                            text_redacted=None, created_at=start + timedelta(minutes=n),
                            moderation_state="pending")
                 for n in range(count)]
        db.session.add_all(cards)
        db.session.commit()
        return [c.id for c in cards]


def test_queue_shows_first_redacted_words_never_the_original(app, client, login_as):
    from feedback.extensions import db
    from feedback.models import FeedbackEntry
    with app.app_context():
        long = build_card(kind="change", text="x", text_redacted=" ".join(
            f"word{n}" for n in range(30)),
                          moderation_state="pending")
        entry = FeedbackEntry(respondent_type="parent_carer", went_well="Tom at 07700 900123 was kind",
                              could_be_better="")
        db.session.add_all([long, entry])
        db.session.commit()
    _pending_cards(app, 1)
    login_as("moderator")
    queue = client.get("/moderation").get_data(as_text=True)
    assert "First words (redacted)" in queue
    assert "Card number 0 ask [name] on [phone number]" in queue
    assert "07700" not in queue and "Sarah" not in queue
    assert "word11 …" in queue and "word12" not in queue
    assert "at [phone number] was kind" in queue


def test_a_decision_returns_to_the_queue_page_it_came_from(app, client, login_as):
    from feedback.moderation.services import PER_PAGE
    ids = _pending_cards(app, PER_PAGE + 5)
    login_as("moderator")
    second = client.get("/moderation?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second
    target = ids[PER_PAGE]
    link = html_lib.unescape(re.search(rf'href="(/moderation/card/{target}[^"]*)"', second).group(1))
    assert link.endswith("?page=2")
    page = client.get(link).get_data(as_text=True)
    assert f'action="/moderation/card/{target}/decide?page=2"' in page
    assert 'href="/moderation?page=2"' in page  # the back link
    texts = shown_redactions(client, "card", target)
    approved = post_form(client, f"/moderation/card/{target}/decide?page=2",
                         {"action": "approve", **texts}, form_url=link)
    assert approved.status_code == 302 and approved.headers["Location"].endswith("/moderation?page=2")
    other = ids[PER_PAGE + 1]
    rejected = post_form(client, f"/moderation/card/{other}/decide?page=2",
                         {"action": "reject", "reason": "Off topic"},
                         form_url=f"/moderation/card/{other}?page=2")
    assert rejected.headers["Location"].endswith("/moderation?page=2")
    saved = post_form(client, f"/moderation/card/{ids[PER_PAGE + 2]}/decide?page=2",
                      {"action": "redact", "text_redacted": "Card [name]"},
                      form_url=f"/moderation/card/{ids[PER_PAGE + 2]}?page=2")
    assert saved.headers["Location"].endswith(f"/moderation/card/{ids[PER_PAGE + 2]}?page=2")
    # The first page still goes back to the plain queue.
    first = post_form(client, f"/moderation/card/{ids[0]}/decide",
                      {"action": "reject", "reason": "Off topic"},
                      form_url=f"/moderation/card/{ids[0]}")
    assert first.headers["Location"].endswith("/moderation")
    # A page that has emptied shows the last page there is.
    assert client.get("/moderation?page=9").status_code == 200
