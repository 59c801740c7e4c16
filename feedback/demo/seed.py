"""Build the demo partnership and a believable history of cards and feedback.

``seed_demo(password, rng_seed)`` fills an empty database; it refuses if demo
data is already there (``reset_demo`` clears it first). Everything is
deterministic for a given seed, relative to today's date.
"""
from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from ..auth.services import hash_password
from ..extensions import db
from ..models import (ActionCard, Area, Contract, ContractReview, FeedbackEntry, ImportBatch, Kpi,
                      KpiReturn, Organisation, Response, ReviewAction, Service, StatusChange, User)
from ..permissions import ROLES
from ..contracts.rag import rate
from ..safeguarding_record import trigger_of
from . import partnership as P
from .lead_queue import mark_lead_queue_examples
from .text import card_text, concerning_text, feedback_text

DEMO_DOMAIN = "demo.invalid"
DEMO_MONTHS = 18


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


def seed_demo(password: str, rng_seed: int = 2026, n_cards: int = 2400,
              n_feedback: int = 1800, today: date | None = None) -> dict:
    """Create the demo data and return counts. Commits once at the end."""
    if demo_present():
        raise DemoDataExists("demo data is already present; use --reset to rebuild it")
    rng = random.Random(rng_seed)
    today = today or datetime.now(timezone.utc).date()
    orgs = _organisations()
    areas = _areas()
    services = _services(orgs, areas, rng)
    users = _users(orgs, password)
    contracts = _contracts(orgs, services, users, rng, today)
    db.session.flush()
    n_cards_made = _cards(services, areas, users, rng, today, n_cards)
    n_entries = _feedback(services, areas, orgs, users, rng, today, n_feedback)
    mark_lead_queue_examples(users, rng)
    _reviews(contracts, users, rng, today)
    db.session.commit()
    return {"organisations": len(orgs), "areas": len(areas), "services": len(services),
            "users": len(users), "contracts": len(contracts), "cards": n_cards_made,
            "feedback": n_entries, "themes": _analyse()}


def _analyse() -> int:
    """Theme the approved demo items once, in this process, so insight has something to show."""
    from ..analysis_bridge import execute_run
    from ..models import AnalysisRun

    # A fixed number of themes skips choosing k, which is most of a run's time.
    run = AnalysisRun(kind="full", status="queued", stage="Waiting to start",
                      params={"themes": 12})
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
        service = Service(name=name, plain_name=plain, thematic_area=area, min_age=lo,
                          max_age=hi, description=desc,
                          provider=orgs[P.PROVIDERS[provider_i]])
        service.areas = rng.sample(areas, k=rng.randint(3, len(areas)))
        services.append(service)
    db.session.add_all(services)
    return services


def _users(orgs, password) -> dict[str, User]:
    pw_hash = hash_password(password)
    homes = {"commissioner": P.COUNCIL, "moderator": P.COUNCIL,
             "safeguarding_lead": P.COUNCIL, "forum_rep": P.FORUMS[0],
             "provider": P.PROVIDERS[0], "admin": P.COUNCIL}
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


def _when(rng, today, months=DEMO_MONTHS) -> datetime:
    days = rng.randint(0, months * 30)
    start = datetime.combine(today, datetime.min.time(), tzinfo=timezone.utc)
    return start - timedelta(days=days, minutes=rng.randint(0, 24 * 60 - 1))


def _status_path(rng) -> list[str]:
    roll = rng.random()
    if roll < 0.22:
        return ["received"]
    if roll < 0.40:
        return ["received", "being_looked_at"]
    if roll < 0.60:
        return ["received", "being_looked_at", "action_planned"]
    if roll < 0.88:
        return ["received", "being_looked_at", "action_planned", "done"]
    return ["received", "being_looked_at", "not_possible"]


RESPONSES = {
    "action_planned": "Thank you. We have agreed with the service to look at this in the next contract review.",
    "done": "You said this needed to change, and we listened. The service has changed how it works so this should not happen again.",
    "not_possible": "We are sorry. We cannot do this right now because the funding for it has ended, but we have asked the service to find other ways to help.",
}


def _apply_history(item, path, created, user, rng, is_card=True):
    when = created
    previous = None
    for status in path:
        change = StatusChange(from_status=previous, to_status=status, changed_at=when,
                              changed_by=None if status == "received" else user,
                              reason=RESPONSES["not_possible"] if status == "not_possible" else None)
        item.history.append(change)
        if status in RESPONSES:
            item.responses.append(Response(body=RESPONSES[status], author=user, created_at=when))
        previous = status
        when = when + timedelta(days=rng.randint(3, 40))
    item.status = path[-1]
    item.status_changed_at = item.history[-1].changed_at
    if path[-1] == "not_possible":
        item.status_reason = RESPONSES["not_possible"]


def _receipt_hash(rng) -> str:
    return hashlib.sha256(f"demo-{rng.random()}".encode()).hexdigest()


def _cards(services, areas, users, rng, today, n) -> int:
    from ..redaction import redact
    from ..safeguarding import screen
    moderator, commissioner = users["moderator"], users["commissioner"]
    bands = ["8-10", "11-13", "14-15", "16-17", "18-21", "22-25"]
    for i in range(n):
        service = rng.choice(services)
        created = _when(rng, today)
        # The first few cards are always flagged, so even a small demo has some
        # for the safeguarding queue to show.
        flagged = rng.random() < 0.02 or i < 4
        if flagged:
            kind, text = rng.choice(["stop", "change"]), concerning_text(rng)
        else:
            kind, text = card_text(rng, service.thematic_area)
        screening = screen(text)
        flagged = flagged or screening.flagged
        card = ActionCard(kind=kind, text=text, text_redacted=redact(text), service=service,
                          area=rng.choice(areas), created_at=created,
                          age_band=rng.choice(bands) if rng.random() < 0.8 else None,
                          in_care=rng.random() < 0.18, care_leaver=rng.random() < 0.1,
                          send=rng.random() < 0.3, young_carer=rng.random() < 0.08,
                          receipt_hash=_receipt_hash(rng),
                          me_too_count=rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 13]))
        if service.thematic_area == "corporate_parenting":
            card.in_care = card.in_care or rng.random() < 0.5
        if flagged:
            card.safeguarding_flagged = True
            card.safeguarding_categories = list(screening.categories) or ["said_unsafe"]
            found = trigger_of(screening)
            card.safeguarding_trigger, card.safeguarding_score = found.trigger, found.score
            card.feels_unsafe = not screening.flagged or rng.random() < 0.5
            card.moderation_state = "pending"
            card.me_too_count = 0
            if rng.random() < 0.6:
                card.safeguarding_outcome = rng.choice(["referred", "no_concern", "other"])
                card.safeguarding_note = "Discussed with the duty team; actions recorded in the case system."
                card.safeguarding_reviewed_by_id = None
                card.safeguarding_reviewed_at = created + timedelta(hours=rng.randint(1, 48))
                card.safeguarding_release = "private"
            card.history.append(StatusChange(to_status="received", changed_at=created))
        else:
            age_days = (today - created.date()).days
            if age_days < 10 and rng.random() < 0.6:
                card.moderation_state = "pending"
                card.history.append(StatusChange(to_status="received", changed_at=created))
            elif rng.random() < 0.04:
                card.moderation_state = "rejected"
                card.moderation_reason = "Not about a service we commission."
                card.moderated_by = moderator
                card.moderated_at = created + timedelta(days=1)
                card.history.append(StatusChange(to_status="received", changed_at=created))
            else:
                card.moderation_state = "approved"
                card.moderated_at = created + timedelta(days=rng.randint(0, 3))
                _apply_history(card, _status_path(rng), created, commissioner, rng)
        db.session.add(card)
    return n


def _feedback(services, areas, orgs, users, rng, today, n) -> int:
    commissioner = users["commissioner"]
    forum_a, forum_b = orgs[P.FORUMS[0]], orgs[P.FORUMS[1]]
    rep_a, rep_b = users["forum_rep"], users["forum_rep_2"]
    batches = []
    for forum, rep, label in ((forum_a, rep_a, "Spring coffee mornings"),
                              (forum_a, rep_a, "Autumn SEND survey"),
                              (forum_b, rep_b, "Short breaks survey")):
        batch = ImportBatch(forum=forum, uploaded_by=rep, filename=f"{label.lower().replace(' ', '-')}.xlsx",
                            file_hash=hashlib.sha256(label.encode()).hexdigest(),
                            created_at=_when(rng, today, months=6), rows_total=0,
                            rows_imported=0, rows_duplicate=0, rows_invalid=0)
        batches.append(batch)
    db.session.add_all(batches)
    made = 0
    for i in range(n):
        service = rng.choice(services)
        created = _when(rng, today)
        rating = rng.choices([1, 2, 3, 4, 5], weights=[12, 18, 22, 28, 20])[0]
        well, better = feedback_text(rng, rating)
        roll = rng.random()
        entry = FeedbackEntry(service=service, area=rng.choice(areas), created_at=created,
                              rating=rating, went_well=well, could_be_better=better,
                              went_well_redacted=well, could_be_better_redacted=better,
                              respondent_type=rng.choices(["parent_carer", "young_person", "professional"], weights=[70, 15, 15])[0],
                              quote_consent=rng.random() < 0.7,
                              child_age_band=rng.choice(["0-4", "5-10", "11-15", "16-18", "19-25"]),
                              receipt_hash=_receipt_hash(rng))
        if roll < 0.15:
            forum, rep = (forum_a, rep_a) if rng.random() < 0.6 else (forum_b, rep_b)
            entry.source, entry.forum, entry.submitted_by = "forum", forum, rep
            entry.source_kind = rng.choice(["event", "meeting", "coffee_morning"])
            entry.source_name = f"{forum.name} {entry.source_kind.replace('_', ' ')}"
            entry.source_date = created.date()
            entry.families_represented = rng.randint(2, 25)
            entry.consent_collected = True
            entry.respondent_type = "parent_carer"
            entry.receipt_hash = None
        elif roll < 0.30:
            batch = rng.choice(batches)
            entry.source, entry.forum = "forum_import", batch.forum
            entry.import_batch = batch
            entry.import_row_number = batch.rows_total + 2
            batch.rows_total += 1
            batch.rows_imported += 1
            entry.source_kind = "survey" if "survey" in batch.filename else "event"
            entry.source_name = batch.filename
            entry.source_date = created.date()
            entry.consent_collected = True
            entry.receipt_hash = None
            entry.row_hash = hashlib.sha256(f"{batch.filename}-{i}".encode()).hexdigest()
        entry.moderation_state = "approved" if rng.random() < 0.92 else "pending"
        if entry.moderation_state == "approved":
            entry.moderated_at = created + timedelta(days=1)
            _apply_history(entry, _status_path(rng), created, commissioner, rng)
        else:
            entry.history.append(StatusChange(to_status="received", changed_at=created))
        db.session.add(entry)
        made += 1
    return made


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
            for name, target, unit, direction in P.KPIS[chunk[0].thematic_area]:
                contract.kpis.append(Kpi(name=name, target=Decimal(target), unit=unit,
                                         direction=direction, amber_tolerance=Decimal("0.1")))
            contracts.append(contract)
            number += 1
    db.session.add_all(contracts)
    return contracts


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _reviews(contracts, users, rng, today) -> None:
    """A held review last quarter for most contracts, with agreed actions."""
    last_q_end = _quarter_start(today) - timedelta(days=1)
    last_q_start = _quarter_start(last_q_end)
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
            review.kpi_returns.append(KpiReturn(kpi=kpi, value=value, rag=rate(
                value, kpi.target, kpi.direction, kpi.amber_tolerance)))
        review.actions.append(ReviewAction(
            description="Provider to publish waiting times on its website and write to families on the list every 6 weeks.",
            owner=contract.provider.name, due_date=today + timedelta(days=rng.randint(-20, 60)),
            status=rng.choice(["open", "in_progress", "done"])))
        db.session.add(review)
