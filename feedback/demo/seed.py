"""Build the demo partnership and a believable history of cards and feedback.

``seed_demo(password, rng_seed)`` fills an empty database; it refuses if demo
data is already there (``reset_demo`` clears it first). The texts come from the
demo corpus (``feedback/demo/corpus/``, read by ``corpus.py``); everything else
is deterministic for a given seed, relative to "now" (``feedback/clock.py``):
no date is after it.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

from .. import clock
from ..auth.services import hash_password
from ..extensions import db
from ..models import (Area, Contract, ContractReview, Kpi, KpiReturn, Organisation, ReviewAction,
                      Service, User)
from ..permissions import ROLES
from ..contracts.rag import rate
from . import corpus
from . import partnership as P
from .actions import add_action_updates
from .curation import curate_themes
from .history import Answerer
from .inspections import seed_inspections
from .lead_queue import mark_lead_queue_examples
from .returns import seed_returns
from .panel import seed_panel
from .submissions import make_cards, make_feedback
from .collected import add_collected
from .replies import add_replies
from .welsh import PLAIN_NAMES_CY, mark_welsh_examples

DEMO_DOMAIN = "demo.invalid"
# The demo's default size: about one and a half times the corpus, so most texts
# appear once and none more than twice (``corpus.MAX_USES``).
DEFAULT_CARDS = 1700
DEFAULT_FEEDBACK = 950


class DemoDataExists(RuntimeError):
    """The database already holds demo data; pass ``--reset`` to rebuild it."""


def demo_present() -> bool:
    return db.session.execute(
        db.select(User.id).where(User.email.like(f"%@{DEMO_DOMAIN}")).limit(1)).first() is not None


def database_empty() -> bool:
    return db.session.execute(db.select(Organisation.id).limit(1)).first() is None


def reset_demo() -> None:
    """Delete every row of every table (demo databases only), children first."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name != "alembic_version":
            db.session.execute(table.delete())
    db.session.commit()


def _limit(today: date | None) -> datetime:
    """The demo's "now": the clock's, or the end of ``today`` (UK) if that is earlier."""
    now = clock.now()
    if today is None:
        return now
    return min(now, clock.start_of_uk_day(today + timedelta(days=1)) - timedelta(minutes=1))


def seed_demo(password: str, rng_seed: int = 2026, n_cards: int = DEFAULT_CARDS,
              n_feedback: int = DEFAULT_FEEDBACK, today: date | None = None,
              progress: Callable[[str], None] | None = None) -> dict:
    """Create the demo data and return counts. Commits the data once, then runs
    one analysis. ``progress`` is called with a line for each step. Counts larger
    than the corpus allows (each text at most twice) are reduced to that."""
    say = progress or (lambda line: None)
    if demo_present():
        raise DemoDataExists("demo data is already present; use --reset to rebuild it")
    rng = random.Random(rng_seed)
    limit = _limit(today)
    today = clock.uk_date_of(limit)
    orgs = _organisations()
    areas = _areas()
    say(f"Organisations: {len(orgs)}, areas: {len(areas)}")
    services = _services(orgs, areas, rng)
    say(f"Services: {len(services)}")
    users = _users(orgs, password)
    say(f"Users: {len(users)} (one per role, and a second forum representative)")
    contracts = _contracts(orgs, services, users, rng, today)
    say(f"Contracts: {len(contracts)}")
    db.session.flush()
    by_name = {s.name: s for s in services}
    answerer = Answerer(corpus.answers(), [t.text for t in corpus.card_texts()] + [
        f"{r.went_well} {r.could_be_better}" for r in corpus.feedback_texts()], rng)
    say(f"Cards: screening and redacting up to {n_cards} from the corpus ...")
    cards = make_cards(by_name, users, rng, limit, n_cards, answerer)
    db.session.add_all(cards)
    say(f"Cards: {len(cards)} ({sum(bool(c.safeguarding_flagged) for c in cards)} held for the "
        "safeguarding lead)")
    say(f"Feedback: screening and redacting up to {n_feedback} from the corpus ...")
    entries, batches = make_feedback(by_name, orgs, users, rng, limit, n_feedback, answerer)
    db.session.add_all(batches + entries)
    db.session.add_all(add_collected(orgs, by_name, users, limit))
    say(f"Feedback: {len(entries)} entries ({sum(bool(e.safeguarding_flagged) for e in entries)} "
        "held for the safeguarding lead)")
    given = [r.body for i in cards + entries for r in i.responses]
    say(f"Answers: {len(given)} given, using {len(set(given))} of the corpus's "
        f"{len(answerer)} answers")
    db.session.flush()
    mark_lead_queue_examples(users, rng, limit)
    mark_welsh_examples()
    n_reviews = _reviews(contracts, users, rng, today)
    say(f"Reviews: {n_reviews} held, with KPI returns and agreed actions")
    say(seed_returns(orgs, contracts, users, today))
    say(seed_inspections(by_name, users, today))
    say(f"Action updates: {add_action_updates(users, today)} from providers")
    say(f"Replies: {add_replies(users)} from providers (the newest of each waits for a moderator)")
    db.session.commit()
    say("Analysis: grouping the approved texts into themes ...")
    themes = _analyse()
    say(f"Analysis: {themes} themes")
    reviewed, renamed = curate_themes(users)
    say(f"Themes: {reviewed} reviewed by the commissioner, {renamed} renamed for what "
        "most of their texts are about")
    say(seed_panel(users, rng, today))
    frozen = freeze_at_meetings(limit)
    say(f"Review packs: {frozen} held reviews' packs frozen as they stood at their meetings")
    return {"organisations": len(orgs), "areas": len(areas), "services": len(services),
            "users": len(users), "contracts": len(contracts), "cards": len(cards),
            "feedback": len(entries), "themes": themes}


def as_agreed(action) -> tuple[str, date | None]:
    """An action's status and due date before the providers' updates (all made after
    its meeting): the first update's starting status and the first due date it had."""
    updates = sorted(action.updates, key=lambda u: u.created_at)
    if not updates:
        return action.status, action.due_date
    first_due = [u.previous_due_date for u in updates if u.previous_due_date is not None]
    return updates[0].from_status, first_due[0] if first_due else action.due_date


def freeze_at_meetings(limit: datetime) -> int:
    """Freeze each held review's pack as it was shown at its meeting: built as at the
    meeting's date, frozen that evening (never after ``limit``), with the review's actions
    as they were agreed (``as_agreed``) rather than as the providers' later updates left
    them. Commits; returns how many were frozen."""
    from ..contracts.frozen import freeze  # noqa: PLC0415  (after the analysis run)

    reviews = db.session.scalars(db.select(ContractReview).where(
        ContractReview.status != "draft").order_by(ContractReview.id)).all()
    made = 0
    for review in reviews:
        if review.frozen_pack is not None or review.meeting_date is None:
            continue
        now = [(a, a.status, a.due_date) for a in review.actions]
        for action in review.actions:
            action.status, action.due_date = as_agreed(action)
        row = freeze(review, None, review.meeting_date, "meeting")
        row.frozen_at = min(limit, clock.start_of_uk_day(review.meeting_date)
                            + timedelta(hours=17))
        for action, status, due in now:
            action.status, action.due_date = status, due
        made += 1
    db.session.commit()
    return made


def _analyse() -> int:
    """Theme the approved demo items once, in this process, so insight has something to show."""
    from ..analysis_bridge import execute_run
    from ..models import AnalysisRun

    # The number of themes chosen from the data, as a council's own run does (a fixed 12 made
    # broad themes that mixed unrelated things, which no label can title).
    run = AnalysisRun(kind="full", status="queued", stage="Waiting to start",
                      params={"themes": "auto"})
    db.session.add(run)
    db.session.commit()
    return execute_run(run.id).n_themes or 0


def _organisations() -> dict[str, Organisation]:
    orgs = {P.COUNCIL: Organisation(name=P.COUNCIL, kind="council")}
    for name in P.NHS_BOARDS:
        orgs[name] = Organisation(name=name, kind="nhs_board")
    for name in P.PROVIDERS:
        orgs[name] = Organisation(name=name, kind="provider")
    for name in P.FORUMS:
        orgs[name] = Organisation(name=name, kind="parent_carer_forum")
    for name in P.YOUTH_GROUPS:
        orgs[name] = Organisation(name=name, kind="youth_group")
    db.session.add_all(orgs.values())
    return orgs


def _areas() -> list[Area]:
    county = Area(name="Shire county", kind="county")
    districts = []
    for quadrant_name, names in P.AREAS.items():
        quadrant = Area(name=f"{quadrant_name} quadrant", kind="quadrant", parent=county)
        for i, name in enumerate(names):
            districts.append(Area(name=name, kind="borough" if i % 2 else "district",
                                  parent=quadrant))
    db.session.add(county)
    return districts


def _services(orgs, areas, rng) -> list[Service]:
    services = []
    for name, plain, area, provider_i, lo, hi, desc in P.SERVICES:
        service = Service(name=name, plain_name=plain, plain_name_cy=PLAIN_NAMES_CY.get(name),
                          thematic_area=area, min_age=lo, max_age=hi, description=desc,
                          provider=orgs[P.PROVIDERS[provider_i]])
        service.areas = rng.sample(areas, k=rng.randint(3, len(areas)))
        services.append(service)
    db.session.add_all(services)
    return services


def _users(orgs, password) -> dict[str, User]:
    pw_hash = hash_password(password)
    homes = {"commissioner": P.COUNCIL, "moderator": P.COUNCIL,
             "safeguarding_lead": P.COUNCIL, "forum_rep": P.FORUMS[0],
             "provider": P.PROVIDERS[0], "participation_worker": P.COUNCIL,
             "admin": P.COUNCIL}
    users = {}
    for role, label in ROLES.items():
        user = User(email=f"{role}@{DEMO_DOMAIN}", name=f"Demo {label.lower()}",
                    password_hash=pw_hash, organisation=orgs[homes[role]])
        user.set_roles([role])
        users[role] = user
    second = User(email=f"forum_rep_2@{DEMO_DOMAIN}", name="Demo forum representative (Vale)",
                  password_hash=pw_hash, organisation=orgs[P.FORUMS[1]])
    second.set_roles(["forum_rep"])
    users["forum_rep_2"] = second
    db.session.add_all(users.values())
    return users


def _contracts(orgs, services, users, rng, today) -> list[Contract]:
    by_provider: dict[int, list[Service]] = {}
    for service in services:
        by_provider.setdefault(id(service.provider), []).append(service)
    contracts = []
    number = 1
    for group in by_provider.values():
        chunks = [group] if len(group) <= 2 else [group[:len(group) // 2], group[len(group) // 2:]]
        for chunk in chunks:
            start = date(today.year - rng.randint(1, 3), rng.choice([1, 4, 7, 10]), 1)
            end = start.replace(year=start.year + rng.choice([3, 4, 5])) - timedelta(days=1)
            if end <= today:
                end = today + timedelta(days=rng.randint(60, 700))
            frequency = "quarterly" if rng.random() < 0.75 else "annual"
            contract = Contract(
                reference=f"SCC-CYP-{today.year - 3 + number % 3}-{number:03d}",
                title=f"{chunk[0].name}{' and related services' if len(chunk) > 1 else ''}",
                provider=chunk[0].provider, services=chunk,
                annual_value=Decimal(rng.randrange(80_000, 4_500_000, 5_000)),
                start_date=start, end_date=end,
                extension_options=rng.choice(["Up to 2 x 12 months", "1 x 24 months", "None"]),
                review_frequency=frequency,
                next_review_date=today + timedelta(days=rng.randint(-10, 120)),
                contract_manager=users["commissioner"])
            for name, target, unit, direction, _why in P.kpis_for(chunk[0].name,
                                                                   chunk[0].thematic_area):
                contract.kpis.append(Kpi(name=name, target=Decimal(target), unit=unit,
                                         direction=direction, amber_tolerance=Decimal("0.1")))
            contracts.append(contract)
            number += 1
    db.session.add_all(contracts)
    return contracts


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _reviews(contracts, users, rng, today) -> int:
    """A held review of the quarter before last for most quarterly contracts, its
    meeting in the last quarter, with an agreed action for its thematic area.
    Returns how many."""
    last_q_end = _quarter_start(today) - timedelta(days=1)
    last_q_start = _quarter_start(last_q_end)
    made = 0
    for contract in contracts:
        if contract.review_frequency != "quarterly" or rng.random() < 0.3:
            continue
        prev_end = last_q_start - timedelta(days=1)
        review = ContractReview(contract=contract, period_kind="quarter",
                                period_start=_quarter_start(prev_end), period_end=prev_end,
                                meeting_date=prev_end + timedelta(days=rng.randint(10, 30)),
                                status="held", created_by_id=None)
        for kpi in contract.kpis:
            wobble = Decimal(rng.uniform(0.8, 1.1)).quantize(Decimal("0.01"))
            value = (kpi.target * wobble).quantize(Decimal("0.1"))
            if kpi.unit == "count":  # complaints, placement moves: whole numbers
                value = value.quantize(Decimal("1"))
            if kpi.unit == "%":
                value = min(value, Decimal("100"))
            review.kpi_returns.append(KpiReturn(kpi=kpi, value=value, rag=rate(
                value, kpi.target, kpi.direction, kpi.amber_tolerance)))
        review.actions.append(ReviewAction(
            description=rng.choice(P.actions_for(contract.services[0].name,
                                                 contract.services[0].thematic_area)),
            owner=contract.provider.name, due_date=today + timedelta(days=rng.randint(-20, 60)),
            status=rng.choice(["open", "in_progress", "done"])))
        db.session.add(review)
        made += 1
    return made
