"""A service's refusal is one error (feedback.errors.NotAllowed): every service that can refuse
raises it for a user without the role, and the app answers it with a 403 page and an
``access.denied`` audit row, as a route guard does (never a 500)."""
from __future__ import annotations

import pytest

from feedback.errors import NotAllowed


def _refusals():
    from feedback.api import tokens
    from feedback.insight import answering, curation, services as insight
    from feedback.moderation import lead, replies as reply_moderation, services as moderation
    from feedback.provider import replies, services as provider
    return {
        "moderation queue": lambda u: moderation.moderation_queue(u),
        "moderation item": lambda u: moderation.view_item("card", 1, u, "moderate"),
        "safeguarding queue": lambda u: lead.safeguarding_queue(u),
        "refer to the lead": lambda u: lead.refer("card", 1, u, "a reason"),
        "safeguarding decision": lambda u: lead.record_safeguarding("card", 1, u, "no_concern",
                                                                   "note"),
        "waiting list": lambda u: answering.waiting_list(u),
        "answer many": lambda u: answering.answer_many(1, [1], None, u),
        "rename a theme": lambda u: curation.rename_theme(1, "A name", u),
        "insight dashboard": lambda u: insight.dashboard(None, u),
        "list API tokens": lambda u: tokens.list_tokens(u),
        "create an API token": lambda u: tokens.create_token("A system", u),
        "revoke an API token": lambda u: tokens.revoke_token(1, u),
        "provider home": lambda u: provider.home(u, None),
        "provider reply": lambda u: replies.submit_reply("card", 1, replies.ReplyInput("Hi"), u),
        "replies to moderate": lambda u: reply_moderation.reply_queue(u),
        "approve a reply": lambda u: reply_moderation.approve_reply(1, u, "Hi"),
        "held replies": lambda u: reply_moderation.held_replies(u),
        "decide a held reply": lambda u: reply_moderation.decide_held_reply(1, u, "release"),
    }


@pytest.mark.parametrize("name", sorted(_refusals()))
def test_each_service_refuses_a_user_without_the_role_with_not_allowed(app, make_user, name):
    user = make_user("forum_rep")
    with app.app_context():
        with pytest.raises(NotAllowed):
            _refusals()[name](user)


def test_not_allowed_from_a_service_is_a_403_page_with_an_audit_row(db, client, login_as,
                                                                     monkeypatch):
    """Through a real route: the dashboard's service refuses (as it would for a role its guard
    let through by mistake), and the page is the 403 with an audit row, not a 500."""
    from feedback.insight import services as insight
    from feedback.models import AuditEvent

    def refuses(*args, **kwargs):
        raise NotAllowed()

    monkeypatch.setattr(insight, "dashboard", refuses)
    login_as("commissioner")
    response = client.get("/insight")
    assert response.status_code == 403
    rows = db.session.execute(db.select(AuditEvent).where(
        AuditEvent.action == "access.denied")).scalars().all()
    assert [(r.detail or {}).get("path") for r in rows] == ["/insight"]


def test_not_allowed_and_field_errors_are_defined_once():
    import pathlib
    import re
    root = pathlib.Path(__file__).resolve().parents[2] / "feedback"
    defined = [str(p.relative_to(root)) for p in root.rglob("*.py")
               if re.search(r"^class NotAllowed\b", p.read_text(encoding="utf-8"), re.M)]
    assert defined == ["errors.py"]
    own_field = [str(p.relative_to(root)) for p in root.rglob("*.py") if p.name != "errors.py"
                 and re.search(r"^\s+self\.field = ", p.read_text(encoding="utf-8"), re.M)]
    assert own_field == []
