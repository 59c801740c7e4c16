"""Issue 15's "done when" on a seeded demo: labels read as phrases, no page or pack repeats
a quote, nothing is dated after now, nothing published is left to redact, held reviews'
packs are frozen (the checks of tests/web/demo_checks.py, also run on a full demo by
benchmarks/demo_check.py)."""
from __future__ import annotations

import pytest

from feedback import clock
from tests.web import demo_checks

PASSWORD = "a-long-demo-password-2026"


@pytest.mark.slow
def test_a_small_demo_meets_issue_15s_done_when(runner, db, client, login_as):
    result = runner.invoke(args=["seed-demo", "--password", PASSWORD, "--cards", "400",
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
