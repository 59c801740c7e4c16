"""Factories for contract tests and the role x URL matrix: a provider, services,
a contract with KPIs, and a review, created inside an app context."""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

MATRIX_PROVIDER = "Matrix provider organisation"


def make_provider(db, name: str | None = None):
    from feedback.models import Organisation
    org = db.session.execute(db.select(Organisation).filter_by(name=name)).scalar_one_or_none() \
        if name else None
    if org is None:
        org = Organisation(name=name or f"Provider {uuid.uuid4().hex[:6]}", kind="provider")
        db.session.add(org)
        db.session.flush()
    return org


def make_service(db, provider=None, area: str = "health_wellbeing", name: str | None = None):
    from feedback.models import Service
    service = Service(name=name or f"Service {uuid.uuid4().hex[:6]}", plain_name="A service",
                      provider=provider, thematic_area=area)
    db.session.add(service)
    db.session.flush()
    return service


def make_contract(db, *, provider=None, services=None, reference=None, start=date(2024, 4, 1),
                  end=date(2027, 3, 31), next_review=None, kpis=(("Seen within 18 weeks", 90,
                                                                   "%", "higher"),)):
    from feedback.models import Contract, Kpi
    provider = provider or make_provider(db)
    services = services if services is not None else [make_service(db, provider)]
    contract = Contract(reference=reference or f"C-{uuid.uuid4().hex[:6]}", title="A contract",
                        provider=provider, services=services, annual_value=Decimal("250000"),
                        start_date=start, end_date=end, review_frequency="quarterly",
                        next_review_date=next_review)
    for name, target, unit, direction in kpis:
        contract.kpis.append(Kpi(name=name, target=Decimal(str(target)), unit=unit,
                                 direction=direction, amber_tolerance=Decimal("0.1")))
    db.session.add(contract)
    db.session.flush()
    return contract


def make_review(db, contract, start=date(2026, 1, 1), end=date(2026, 3, 31), status="draft"):
    from feedback.models import ContractReview
    review = ContractReview(contract=contract, period_kind="quarter", period_start=start,
                            period_end=end, status=status)
    db.session.add(review)
    db.session.flush()
    return review


def matrix_url(app, template: str) -> str:
    """A contract (with a review and an action) owned by ``MATRIX_PROVIDER``; returns
    ``template`` filled with {contract}, {review}, {action}, {kpi}."""
    from feedback.extensions import db
    from feedback.models import ReviewAction
    with app.app_context():
        contract = make_contract(db, provider=make_provider(db, MATRIX_PROVIDER))
        review = make_review(db, contract)
        action = ReviewAction(review=review, description="Do it", owner="Them")
        db.session.add(action)
        db.session.commit()
        return template.format(contract=contract.id, review=review.id, action=action.id,
                               kpi=contract.kpis[0].id)
