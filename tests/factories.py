"""Builders of test data: services, action cards, feedback entries, users, and the insight
tests' topics and analysis runs. Each takes the ``db`` fixture (or runs inside an app
context) and plain keyword arguments; anything not given gets a value that passes the
model's rules. Contract-specific builders are in ``tests/web/contracts_factories.py``."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from feedback import clock

TOPICS = {
    "waiting": ["the waiting list for counselling is far too long",
                "I waited months to see a counsellor on the waiting list",
                "waiting times for the mental health team are too long",
                "the wait for an appointment with the counsellor is months"],
    "transport": ["the bus to the youth club stops running too early",
                  "there is no bus home after the youth club finishes",
                  "bus fares to get to the youth club cost too much",
                  "the late bus from youth club never comes on time"],
    "social_worker": ["my social worker keeps changing every few months",
                      "I have had five different social workers this year",
                      "social worker changes mean I tell my story again",
                      "please stop changing my social worker so often"],
}


def now() -> datetime:
    return clock.now()


def make_service(db, name="Counselling for young people", provider=None, thematic_area="health_wellbeing"):
    from feedback.models import Service
    service = Service(name=name, plain_name=name, thematic_area=thematic_area, provider=provider)
    db.session.add(service)
    db.session.flush()
    return service


def make_cards(db, service, per_topic=20, topics=TOPICS, created=None, **extra):
    """Published cards, ``per_topic`` for each topic, varied by a number suffix."""
    cards = []
    created = created or (now() - timedelta(days=1))
    for topic, texts in topics.items():
        for n in range(per_topic):
            text = f"{texts[n % len(texts)]} ({topic} {n})"
            card = build_card(text, service=service, created_at=created, **extra)
            cards.append(card)
    db.session.add_all(cards)
    db.session.commit()
    return cards


def build_card(text="The youth club should stay open later", **values):
    """One action card, not added to the session: a "change" card, approved and unflagged,
    its redacted text its text, unless ``values`` say otherwise (a card waiting for
    moderation says ``moderation_state="pending", text_redacted=None``). The one place tests
    construct an ``ActionCard``."""
    from feedback.models import ActionCard
    fields = dict(kind="change", text=text, text_redacted=text, moderation_state="approved",
                  safeguarding_flagged=False)
    fields.update(values)
    return ActionCard(**fields)


def make_card(db, service=None, text="The youth club should stay open later", **values):
    """One action card, approved and unflagged unless ``values`` say otherwise (flushed)."""
    card = build_card(text, service=service, **values)
    db.session.add(card)
    db.session.flush()
    return card


def make_history(db, service, since=datetime(2020, 1, 1, tzinfo=timezone.utc)):
    """A rejected card received at ``since``: the platform holds data for ``service`` from
    then (``insight.coverage``), so periods after it can be compared. Being rejected, it
    is counted nowhere else."""
    card = make_card(db, service, text="An early card", moderation_state="rejected",
                     created_at=since)
    db.session.commit()
    return card


def make_feedback_entry(db, service=None, could_be_better="The waiting room was too noisy",
                        **values):
    """One family feedback entry, approved and unflagged unless ``values`` say otherwise
    (flushed)."""
    from feedback.models import FeedbackEntry
    fields = dict(respondent_type="parent_carer", rating=3, could_be_better=could_be_better,
                  could_be_better_redacted=could_be_better, service=service,
                  moderation_state="approved", safeguarding_flagged=False)
    fields.update(values)
    entry = FeedbackEntry(**fields)
    db.session.add(entry)
    db.session.flush()
    return entry


def make_user(db, *roles, email=None, name=None, organisation=None, password_hash=None,
              active=True):
    """A staff account holding ``roles`` (committed). ``organisation`` is an
    ``Organisation`` or the name of one, made when missing (a parent carer forum)."""
    from feedback.models import Organisation, User
    from tests.helpers import password_hash as hashed

    if isinstance(organisation, str):
        org = db.session.execute(db.select(Organisation).filter_by(name=organisation)
                                 ).scalar_one_or_none()
        if org is None:
            org = Organisation(name=organisation, kind="parent_carer_forum")
            db.session.add(org)
        organisation = org
    elif organisation is not None:
        organisation = db.session.merge(organisation)
    user = User(email=email or f"{'-'.join(roles) or 'staff'}-{uuid.uuid4().hex[:6]}@example.org",
                name=name or f"Test {' '.join(roles)}", password_hash=password_hash or hashed(),
                organisation=organisation, active=active)
    user.set_roles(roles)
    db.session.add(user)
    db.session.commit()
    return user


def run_full(db, themes=3):
    """A full analysis run performed inline; returns the finished run."""
    from feedback.analysis_bridge import execute_run
    from feedback.models import AnalysisRun
    run = AnalysisRun(kind="full", status="queued", params={"themes": themes})
    db.session.add(run)
    db.session.commit()
    return execute_run(run.id)


def theme_of(db, card_id):
    from feedback.models import Theme, ThemeAssignment
    return db.session.execute(db.select(Theme).join(ThemeAssignment, ThemeAssignment.theme_id == Theme.id)
                              .where(ThemeAssignment.card_id == card_id)).scalar_one_or_none()
