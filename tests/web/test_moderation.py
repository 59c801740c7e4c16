"""Moderation and safeguarding queues over cards and feedback entries."""
from __future__ import annotations

from tests.helpers import approve_as_shown, post_form, shown_redactions
from tests.factories import build_card


def _items(app):
    from feedback.extensions import db
    from feedback.models import FeedbackEntry
    with app.app_context():
        plain = build_card(kind="change", text="Ring Sarah on 07700 900123", text_redacted=None, moderation_state="pending")
        flagged = build_card(kind="stop", text="i want to die", safeguarding_flagged=True,
                             safeguarding_categories=["self_harm"],
                             moderation_state="pending", text_redacted=None)
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
    assert "Waiting for moderation" in page  # the state's label, not its key ("Pending")
    response = approve_as_shown(client, "card", plain)
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


def test_approve_publishes_the_text_in_the_box_without_save_redactions(app, client, login_as):
    """The moderator fixes the redaction and presses Approve straight away: what
    is published is the text in the box, not the text saved before."""
    from feedback.extensions import db
    from feedback.models import ActionCard, AuditEvent
    with app.app_context():
        card = build_card(kind="change", text="Ring Sarah on 07700 900123",
                          text_redacted="Ring [name] on 07700 900123",
                          moderation_state="pending")  # a missed number
        db.session.add(card)
        db.session.commit()
        card_id = card.id
    moderator = login_as("moderator")
    url = f"/moderation/card/{card_id}"
    response = post_form(client, url + "/decide",
                         {"action": "approve", "text_redacted": "Ring [name] on [phone number]"},
                         form_url=url)
    assert response.status_code == 302
    with app.app_context():
        card = db.session.get(ActionCard, card_id)
        assert card.is_published and card.text_redacted == "Ring [name] on [phone number]"
        actions = [(e.action, e.detail) for e in db.session.execute(db.select(AuditEvent).filter_by(
            actor_id=moderator.id, object_id=card_id).order_by(AuditEvent.id)).scalars()]
        assert ("moderation.redaction_edited", {"fields": ["text_redacted"]}) in actions
        assert actions[-1][0] == "moderation.approved"


def test_approve_of_feedback_publishes_both_boxes_as_shown(app, client, login_as):
    from feedback.extensions import db
    from feedback.models import FeedbackEntry
    with app.app_context():
        entry = FeedbackEntry(respondent_type="parent_carer", went_well="Tom was kind",
                              could_be_better="Letters to 12 High Street came late")
        db.session.add(entry)
        db.session.commit()
        entry_id = entry.id
    login_as("moderator")
    shown = shown_redactions(client, "feedback", entry_id)
    # Never redacted yet: the boxes show the automatic redaction approval would publish.
    assert shown == {"went_well_redacted": "[name] was kind",
                     "could_be_better_redacted": "Letters to [address] came late"}
    assert approve_as_shown(client, "feedback", entry_id,
                            went_well_redacted="Staff were kind").status_code == 302
    with app.app_context():
        entry = db.session.get(FeedbackEntry, entry_id)
        assert entry.is_published and entry.went_well_redacted == "Staff were kind"
        assert entry.could_be_better_redacted == "Letters to [address] came late"


def test_approve_without_the_redacted_text_is_refused(app, client, login_as):
    from feedback.extensions import db
    from feedback.models import ActionCard
    plain, _, _ = _items(app)
    login_as("moderator")
    url = f"/moderation/card/{plain}"
    response = post_form(client, url + "/decide", {"action": "approve"}, form_url=url)
    assert response.status_code == 422
    assert "Save your redactions first, then approve" in response.get_data(as_text=True)
    with app.app_context():
        card = db.session.get(ActionCard, plain)
        assert card.moderation_state == "pending" and not card.is_published


def test_approve_with_every_box_emptied_is_refused(app, client, login_as):
    from feedback.extensions import db
    from feedback.models import ActionCard
    plain, _, _ = _items(app)
    login_as("moderator")
    response = approve_as_shown(client, "card", plain, text_redacted="  ")
    assert response.status_code == 422
    assert "There is nothing to publish" in response.get_data(as_text=True)
    with app.app_context():
        card = db.session.get(ActionCard, plain)
        assert card.moderation_state == "pending" and card.text_redacted is None
