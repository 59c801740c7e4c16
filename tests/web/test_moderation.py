"""Moderation and safeguarding queues over cards and feedback entries."""
from __future__ import annotations

from tests.conftest import post_form


def _items(app):
    from feedback.extensions import db
    from feedback.models import ActionCard, FeedbackEntry
    with app.app_context():
        plain = ActionCard(kind="change", text="Ring Sarah on 07700 900123", text_redacted=None)
        flagged = ActionCard(kind="stop", text="i want to die", safeguarding_flagged=True,
                             safeguarding_categories=["self_harm"])
        entry = FeedbackEntry(respondent_type="parent_carer", went_well="Nice staff",
                              could_be_better="Tom was late", safeguarding_flagged=True,
                              safeguarding_categories=["abuse"])
        db.session.add_all([plain, flagged, entry])
        db.session.commit()
        return plain.id, flagged.id, entry.id


def test_moderator_sees_original_approves_and_view_is_audited(app, client, login_as):
    from feedback.extensions import db
    from feedback.models import ActionCard, AuditEvent
    plain, flagged, _ = _items(app)
    moderator = login_as("moderator")
    queue = client.get("/moderation").get_data(as_text=True)
    assert f"Action card {plain}" in queue and f"Action card {flagged}" not in queue
    page = client.get(f"/moderation/card/{plain}").get_data(as_text=True)
    assert "Ring Sarah on 07700 900123" in page
    response = post_form(client, f"/moderation/card/{plain}/decide", {"action": "approve"},
                         form_url=f"/moderation/card/{plain}")
    assert response.status_code == 302
    with app.app_context():
        card = db.session.get(ActionCard, plain)
        assert card.is_published and card.text_redacted == "Ring [name] on [phone number]"
        actions = [e.action for e in db.session.execute(db.select(AuditEvent).filter_by(
            actor_id=moderator.id)).scalars()]
        assert "action_card.viewed" in actions and "moderation.approved" in actions


def test_reject_needs_a_reason_and_redactions_can_be_edited(app, client, login_as):
    from feedback.extensions import db
    from feedback.models import ActionCard
    plain, _, _ = _items(app)
    login_as("moderator")
    url = f"/moderation/card/{plain}/decide"
    page = post_form(client, url, {"action": "reject"}, form_url=f"/moderation/card/{plain}")
    assert page.status_code == 422 and "Enter why you are rejecting it" in page.get_data(as_text=True)
    post_form(client, url, {"action": "redact", "text_redacted": "Ring [name] please"},
              form_url=f"/moderation/card/{plain}")
    post_form(client, url, {"action": "reject", "reason": "Off topic"},
              form_url=f"/moderation/card/{plain}")
    with app.app_context():
        card = db.session.get(ActionCard, plain)
        assert card.text_redacted == "Ring [name] please"
        assert card.moderation_state == "rejected" and card.moderation_reason == "Off topic"


def test_safeguarding_lead_queue_covers_both_kinds_and_records_decisions(app, client, login_as):
    from feedback.extensions import db
    from feedback.models import AuditEvent, FeedbackEntry
    plain, flagged, entry = _items(app)
    lead = login_as("safeguarding_lead")
    queue = client.get("/safeguarding").get_data(as_text=True)
    assert f"Action card {flagged}" in queue and f"Feedback {entry}" in queue
    assert f"Action card {plain}<" not in queue
    page = client.get(f"/safeguarding/feedback/{entry}").get_data(as_text=True)
    assert "Tom was late" in page
    bad = post_form(client, f"/safeguarding/feedback/{entry}", {"outcome": "referred"})
    assert "Enter a note" in bad.get_data(as_text=True)
    ok = post_form(client, f"/safeguarding/feedback/{entry}",
                   {"outcome": "referred", "note": "Passed to the duty team"})
    assert ok.status_code == 302
    with app.app_context():
        item = db.session.get(FeedbackEntry, entry)
        assert item.safeguarding_outcome == "referred" and item.safeguarding_flagged
        assert not item.is_published
        assert db.session.execute(db.select(AuditEvent).filter_by(
            actor_id=lead.id, action="feedback_entry.viewed")).first()


def test_commissioner_cannot_read_queues(client, login_as, app):
    _items(app)
    login_as("commissioner")
    assert client.get("/moderation").status_code == 403
    assert client.get("/safeguarding").status_code == 403
