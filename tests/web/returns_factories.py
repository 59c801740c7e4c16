"""Factories for return tests: a provider with a quarterly contract whose KPIs cover the
units (a percentage, weeks, a count), a contract manager, and the last complete quarter."""
from __future__ import annotations

import uuid
from datetime import date

KPIS = (("Seen within 18 weeks", 90, "%", "higher"),
        ("Waiting times", 6, "weeks", "lower"),
        ("Placement moves", 3, "count", "lower"))


def contract_with_manager(app, provider_name: str | None = None) -> dict:
    """A provider organisation, its contract (three KPIs) and a commissioner managing it."""
    from feedback import clock
    from feedback.contracts.periods import last_complete
    from feedback.extensions import db
    from tests import factories
    from tests.web.contracts_factories import make_contract, make_provider
    with app.app_context():
        org = make_provider(db, provider_name or f"Provider {uuid.uuid4().hex[:6]}")
        contract = make_contract(db, provider=org, start=date(2024, 4, 1), end=date(2030, 3, 31),
                                 kpis=KPIS)
        manager = factories.make_user(db, "commissioner",
                                      email=f"manager-{uuid.uuid4().hex[:6]}@example.org")
        contract.contract_manager_id = manager.id
        db.session.commit()
        period = last_complete("quarter", clock.today())
        return {"org": org.name, "org_id": org.id, "contract": contract.id,
                "reference": contract.reference, "manager": manager.email,
                "kpis": [k.id for k in contract.kpis], "period": period,
                "url": f"/returns/{contract.id}/{period.start.isoformat()}"}


def good_answers(made: dict, **changes) -> dict:
    """A complete return on target, as the form posts it."""
    a, b, c = made["kpis"]
    data = {f"value_{a}": "92", f"narrative_{a}": "", f"value_{b}": "5.5",
            f"narrative_{b}": "", f"value_{c}": "1", f"narrative_{c}": "",
            "heard": "Young people asked for appointments after school.",
            "changed": "We opened two evening clinics a week.",
            "safeguarding_referrals": "2", "complaints": "0"}
    data.update(changes)
    return data
