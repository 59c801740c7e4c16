"""Factories for the provider's pages: a provider organisation with a service, and
published cards and feedback entries about it, created inside an app context."""
from __future__ import annotations

import uuid

from tests.factories import build_card


def provider_with_items(app, *, cards: int = 10, feedback: int = 0, name: str | None = None,
                        receipt_code: str | None = None) -> dict:
    """A provider organisation, one service of its own and ``cards`` published action cards
    and ``feedback`` published feedback entries about it (the first card carries
    ``receipt_code`` when given). Returns their ids and names."""
    from feedback import receipts
    from feedback.extensions import db
    from feedback.models import FeedbackEntry
    from tests.web.contracts_factories import make_provider, make_service
    with app.app_context():
        org = make_provider(db, name or f"Provider {uuid.uuid4().hex[:6]}")
        service = make_service(db, org)
        made_cards = [build_card(kind="change", text=f"Card {i} original",
                                 text_redacted=f"Please change the opening hours {i}",
                                 service=service, moderation_state="approved", me_too_count=i,
                                 safeguarding_flagged=False) for i in range(cards)]
        if receipt_code and made_cards:
            made_cards[0].receipt_hash = receipts.receipt_hash(receipt_code)
        made_entries = [FeedbackEntry(respondent_type="parent_carer", rating=4,
                                      went_well=f"Entry {i} original",
                                      went_well_redacted=f"The staff listened {i}",
                                      service=service, moderation_state="approved")
                        for i in range(feedback)]
        db.session.add_all(made_cards + made_entries)
        db.session.commit()
        return {"org": org.name, "org_id": org.id, "service": service.id,
                "service_name": service.name, "cards": [c.id for c in made_cards],
                "feedback": [e.id for e in made_entries]}
