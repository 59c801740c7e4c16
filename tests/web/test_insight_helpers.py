"""Builders shared by the insight, bridge, curation and answering tests (no tests here)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

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
    return datetime.now(timezone.utc)


def make_service(db, name="Counselling for young people", provider=None, thematic_area="health_wellbeing"):
    from feedback.models import Service
    service = Service(name=name, plain_name=name, thematic_area=thematic_area, provider=provider)
    db.session.add(service)
    db.session.flush()
    return service


def make_cards(db, service, per_topic=20, topics=TOPICS, created=None, **extra):
    """Published cards, ``per_topic`` for each topic, varied by a number suffix."""
    from feedback.models import ActionCard
    cards = []
    created = created or (now() - timedelta(days=1))
    for topic, texts in topics.items():
        for n in range(per_topic):
            text = f"{texts[n % len(texts)]} ({topic} {n})"
            card = ActionCard(kind="change", text=text, text_redacted=text, service=service,
                              moderation_state="approved", safeguarding_flagged=False,
                              created_at=created, **extra)
            cards.append(card)
    db.session.add_all(cards)
    db.session.commit()
    return cards


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
