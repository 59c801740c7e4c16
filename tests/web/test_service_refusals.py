"""A service's refusal is one error (feedback.errors.NotAllowed): every service that can refuse
raises it for a user without the role, and the app answers it with a 403 page and an
``access.denied`` audit row, as a route guard does (never a 500)."""
from __future__ import annotations

import pytest

from feedback.errors import NotAllowed


def _refusals():
    from feedback.insight import answering, curation, services as insight
    from feedback.moderation import lead, services as moderation
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
    }


@pytest.mark.parametrize("name", sorted(_refusals()))
def test_each_service_refuses_a_user_without_the_role_with_not_allowed(app, make_user, name):
    user = make_user("forum_rep")
    with app.app_context():
        with pytest.raises(NotAllowed):
            _refusals()[name](user)


def test_not_allowed_from_a_service_is_a_403_page_with_an_audit_row(make_app, db):
    from feedback.models import AuditEvent

    def refuses():
        raise NotAllowed()

    # A separate app: the shared one may already have served a request (no new routes then).
    fresh = make_app()
    fresh.add_url_rule("/_refuses_for_test", "refuses_for_test", refuses)
    response = fresh.test_client().get("/_refuses_for_test")
    assert response.status_code == 403
    assert b"Reference" in response.data or b"reference" in response.data
    rows = db.session.execute(db.select(AuditEvent).where(
        AuditEvent.action == "access.denied")).scalars().all()
    assert [(r.detail or {}).get("path") for r in rows] == ["/_refuses_for_test"]


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
