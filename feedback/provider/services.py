"""The provider home: what a provider's organisation may see of its own services.

Scoped to the acting user's organisation: its services, and the contracts it holds.
Counts and themes come from the commissioners' insight queries with a filter on the
provider (``Filters.provider_id``), so suppression below 10 people (``feedback.disclosure``)
and the "published" rule (``is_published``) are the same as theirs. The words of cards and
feedback are listed only when the provider's services heard from 10 people or more in the
period, and only as redacted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from .. import audit, disclosure
from ..contracts.register import due_summary
from ..errors import NotAllowed
from ..extensions import db
from ..insight import coverage, queries
from ..insight.filters import Filters, period_dates, period_label
from ..insight.subthemes import listing
from ..models import (ActionCard, Contract, ContractReview, FeedbackEntry, ReviewAction, Service,
                      Theme)
from ..models.submissions import OPEN_STATUSES
from ..permissions import has_role

PERIOD = "12m"
LISTED = 30  # the most recent published cards and feedback entries listed
SUBTHEMES_FOR = 5  # the largest themes shown with their sub-themes


def organisation_of(actor) -> int:
    """The acting provider's organisation id; ``NotAllowed`` for anyone else."""
    if not has_role(actor, "provider") or actor.organisation_id is None:
        raise NotAllowed()
    return actor.organisation_id


def own_services(organisation_id: int) -> list[Service]:
    return list(db.session.execute(select(Service).where(
        Service.provider_id == organisation_id).order_by(Service.name)).scalars())


@dataclass(frozen=True)
class ServiceCount:
    service: Service
    people: int
    text: str


@dataclass
class ProviderHome:
    organisation_id: int
    period: str
    services: list
    total: int
    counts: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    subthemes: dict = field(default_factory=dict)  # theme id -> insight.subthemes.Listing
    cards: list = field(default_factory=list)
    feedback: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    waiting_count: int = 0
    me_too: int = 0
    due: object = None
    actions: list = field(default_factory=list)
    # "No comparison: we hold no data for part of ..." when the trend cannot be given
    # (``insight.coverage``), else None.
    comparison: str | None = None

    @property
    def small(self) -> bool:
        """Fewer than 10 people in the period: no words and no breakdown are shown."""
        return disclosure.is_small(self.total) or self.total == 0

    @property
    def total_text(self) -> str:
        return disclosure.SMALL_TEXT if disclosure.is_small(self.total) else f"{self.total:,}"


def _service_counts(f: Filters, services: list[Service]) -> tuple[int, list[ServiceCount]]:
    items = queries.items_subquery(f, themed=False)
    people = dict(db.session.execute(select(items.c.service_id, func.sum(items.c.people))
                                     .group_by(items.c.service_id)).all())
    values = {("total",): sum(int(n or 0) for n in people.values())}
    values.update({("service", s.id): int(people.get(s.id) or 0) for s in services})
    cells = [("service", s.id) for s in services]
    protected = disclosure.protect(values, [(("total",), cells)] if cells else [],
                                   keep=[("total",)])
    rows = [ServiceCount(s, values[("service", s.id)],
                         protected.text(("service", s.id), values[("service", s.id)]))
            for s in services]
    return values[("total",)], rows


def _published(model, organisation_id: int, f: Filters):
    return (select(model).join(Service, model.service_id == Service.id)
            .where(model.is_published, Service.provider_id == organisation_id,
                   model.created_at >= f.start_at, model.created_at < f.end_at))


def open_actions(organisation_id: int) -> list[ReviewAction]:
    """Actions agreed at reviews of the organisation's contracts and not yet done, by due date."""
    return list(db.session.execute(
        select(ReviewAction).join(ContractReview).join(Contract)
        .where(Contract.provider_id == organisation_id,
               ReviewAction.status.in_(("open", "in_progress")))
        .order_by(ReviewAction.due_date.is_(None), ReviewAction.due_date, ReviewAction.id)
    ).scalars())


def home(actor, today: date) -> ProviderHome:
    """Everything the provider home shows, for the acting provider's organisation."""
    org = organisation_of(actor)
    start, end = period_dates(PERIOD, today)
    f = Filters(start=start, end=end, provider_id=org, period=PERIOD, as_of=today)
    services = own_services(org)
    total, counts = _service_counts(f, services)
    page = ProviderHome(org, period_label(f), services, total, counts,
                        due=due_summary(today, scope_org_id=org), actions=open_actions(org))
    if not page.small:
        page.themes = [row for row in queries.theme_summary(f)]
        page.comparison = coverage.comparison_gap(f)
        for row in [r for r in page.themes if not r.suppressed][:SUBTHEMES_FOR]:
            theme = db.session.get(Theme, row.theme_id)
            page.subthemes[row.theme_id] = listing(theme, f)
        page.cards = list(db.session.execute(_published(ActionCard, org, f).order_by(
            ActionCard.created_at.desc(), ActionCard.id.desc()).limit(LISTED)).scalars())
        page.feedback = list(db.session.execute(_published(FeedbackEntry, org, f).order_by(
            FeedbackEntry.created_at.desc(), FeedbackEntry.id.desc()).limit(LISTED)).scalars())
        waiting = _published(ActionCard, org, f).where(ActionCard.status.in_(OPEN_STATUSES))
        page.waiting_count = db.session.execute(
            select(func.count()).select_from(waiting.subquery())).scalar_one()
        page.waiting = list(db.session.execute(waiting.order_by(
            ActionCard.me_too_count.desc(), ActionCard.created_at).limit(LISTED)).scalars())
        cards = _published(ActionCard, org, f).subquery()
        page.me_too = int(db.session.execute(
            select(func.coalesce(func.sum(cards.c.me_too_count), 0))).scalar_one())
    audit.record("provider.home_viewed", actor, None, organisation=org)
    db.session.commit()
    return page
