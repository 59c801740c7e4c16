"""Issue 15's "done when" on a seeded demo: labels read as phrases, no page or pack repeats
a quote, nothing is dated after now, nothing published is left to redact, held reviews'
packs are frozen as at their meetings, each contract's KPIs, narratives, words, complaints
and evidence agree, no praise is filed as a Change card, and a completed action shows one
time (the checks of tests/web/demo_checks.py, also run on a full demo by
benchmarks/demo_check.py)."""
from __future__ import annotations

import pytest

from feedback import clock
from tests.web import demo_checks

PASSWORD = "a-long-demo-password-2026"


@pytest.mark.slow
def test_a_small_demo_meets_issue_15s_done_when(runner, db, client, login_as):
    result = runner.invoke(args=["seed-demo", "--password", PASSWORD, "--cards", "600",
                                 "--feedback", "300"])
    assert result.exit_code == 0, result.output
    login_as("commissioner")
    results = demo_checks.run_all(db, client, clock.now())
    assert {name: problems for name, problems in results.items() if problems} == {}
    _the_checks_catch_what_they_look_for(db)


def _the_checks_catch_what_they_look_for(db):
    """Each check reports a fault put into the same demo."""
    from datetime import timedelta

    from feedback.models import ActionCard, ContractReview, Response, Theme
    card = db.session.scalars(db.select(ActionCard).where(ActionCard.is_published)).first()
    card.text_redacted = "Ring my mum on 07700 900123 please"
    response = db.session.scalars(db.select(Response)).first()
    response.created_at = clock.now() + timedelta(days=1)
    theme = db.session.scalars(db.select(Theme)).first()
    theme.label = "Nothing and nothing"
    held = [r for r in db.session.scalars(db.select(ContractReview)) if r.is_held]
    db.session.delete(held[0].frozen_pack)
    db.session.flush()
    db.session.expire(held[0], ["frozen_pack"])
    _the_story_checks_catch_what_they_look_for(db, held[1])
    assert any(f"card {card.id}" in p for p in demo_checks.redaction(db))
    assert demo_checks.dates(db, clock.now()) == ["1 Response rows dated after now"]
    assert any("a word twice" in p and "only weak words" in p for p in demo_checks.labels(db))
    assert demo_checks.frozen_packs(db) == [f"review {held[0].id} is held but its pack is "
                                            "not frozen"]
    page = ('<div class="govuk-inset-text app-quote"><p class="govuk-body">&ldquo;{}&rdquo;</p>'
            * 3).format("No bus on Saturdays.", "A kind nurse", "no bus on saturdays")
    assert demo_checks.repeats(demo_checks.page_quotes(page)) == ["No bus on Saturdays.",
                                                                  "no bus on saturdays"]
    db.session.rollback()


def _the_story_checks_catch_what_they_look_for(db, review):
    """The demo's story checks each report a fault put into the demo (before the rollback)."""
    from datetime import timedelta

    from feedback.models import (ActionCard, ActionUpdate, Contract, PerformanceReturn,
                                 ReviewAction)
    assert demo_checks.contract_stories(db) == []
    assert demo_checks.packs_at_meetings(db) == []
    assert demo_checks.card_kinds(db) == []
    assert demo_checks.action_times(db) == []
    # 1: a KPI from another service, complaints that disagree, words from two pairs,
    # another provider's evidence.
    contracts = db.session.scalars(db.select(Contract).order_by(Contract.id)).all()
    contracts[0].kpis[0].name = "Assessments completed within 12 weeks of the journey"
    with_complaints = [r for r in db.session.scalars(db.select(PerformanceReturn))
                       if r.complaints is not None and any(
                           k.name.startswith("Complaints") for k in r.contract.kpis)]
    with_complaints[0].complaints += 1
    worded = [r for r in db.session.scalars(db.select(PerformanceReturn).order_by(
        PerformanceReturn.id)) if r.heard]
    worded[0].changed = worded[1].changed
    update = db.session.scalars(db.select(ActionUpdate).where(
        ActionUpdate.evidence_url.is_not(None))).first()
    update.evidence_url = "https://www.brightpath-youth.example/news/evening-sessions"
    # 2: a pack frozen on another day than its meeting.
    review.frozen_pack.frozen_at -= timedelta(days=2)
    # 3: praise as a Change card.
    card = db.session.scalars(db.select(ActionCard).where(ActionCard.kind == "change")).first()
    card.text = "new driver this term is really patient with me"
    # 4: two completion times.
    claimed = db.session.scalars(db.select(ReviewAction).where(
        ReviewAction.completion_claimed_at.is_not(None))).first()
    claimed.completion_claimed_at += timedelta(hours=2)
    db.session.flush()
    stories = demo_checks.contract_stories(db)
    assert any("not the ones written" in p for p in stories)
    assert any(f"return {with_complaints[0].id} " in p and "complaints are" in p
               for p in stories)
    assert any(f"return {worded[0].id} " in p and "not one pair" in p for p in stories)
    assert any(f"action {update.action_id}: evidence" in p for p in stories)
    assert demo_checks.packs_at_meetings(db) == [
        f"review {review.id}: pack frozen on "
        f"{review.meeting_date - timedelta(days=2)}, meeting on {review.meeting_date}"]
    assert demo_checks.card_kinds(db) == [f"card {card.id} (Change): {card.text!r} asks for "
                                          "nothing"]
    assert [p.split(":")[0] for p in demo_checks.action_times(db)] == [f"action {claimed.id}"]
