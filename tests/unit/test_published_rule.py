"""One rule for "published": approved by a moderator and not held back by
safeguarding. Its one home is ``SubmissionMixin.is_published`` (a hybrid
property: a bool on an item, one SQL clause on the class); no query writes the
condition out, so a change to the rule cannot miss one of them."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOME = Path("feedback/models/submissions.py")
# The written-out SQL forms of either half of the rule.
APPROVED = re.compile(r"\b(?:ActionCard|FeedbackEntry|model|cls)\.moderation_state\s*==\s*['\"]approved['\"]")
UNFLAGGED = re.compile(r"safeguarding_flagged(?:\.is_\(\s*False\s*\)|\s*==\s*(?:False|0)\b"
                       r"|\.is_not\(\s*True\s*\)|\.isnot\(\s*True\s*\)|\.is_\(\s*false\(\)\s*\))")


def _sources():
    for folder in ("feedback", "analysis", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if ".venv" in path.parts:  # benchmarks/bertopic/.venv: a benchmark's own packages
                continue
            yield path.relative_to(ROOT), path.read_text(encoding="utf-8")


def _statement(text: str, at: int) -> str:
    """The few lines around ``at``: enough to see the query the clause sits in."""
    start = text.rfind("\n", 0, max(0, text.rfind("\n", 0, at) - 1))
    return text[max(start, 0):text.find("\n", text.find("\n", at) + 1)]


def test_no_query_writes_out_the_published_condition():
    offenders = []
    for path, text in _sources():
        if path == HOME:
            continue
        for match in APPROVED.finditer(text):
            offenders.append(f"{path}:{text.count(chr(10), 0, match.start()) + 1}")
        for match in UNFLAGGED.finditer(text):
            # The moderation queue lists items that are NOT published yet
            # (pending and not held): the one other use of "not flagged".
            if '"pending"' in _statement(text, match.start()):
                continue
            offenders.append(f"{path}:{text.count(chr(10), 0, match.start()) + 1}")
    assert not offenders, ("write ``Model.is_published`` instead of the condition: "
                           + ", ".join(offenders))


def test_the_rule_is_one_clause_on_the_model_and_a_bool_on_an_item():
    from sqlalchemy.dialects import postgresql, sqlite

    from feedback.models import ActionCard, FeedbackEntry
    for model in (ActionCard, FeedbackEntry):
        pg = str(model.is_published.compile(dialect=postgresql.dialect(),
                                             compile_kwargs={"literal_binds": True}))
        lite = str(model.is_published.compile(dialect=sqlite.dialect(),
                                              compile_kwargs={"literal_binds": True}))
        table = model.__tablename__
        assert pg == (f"{table}.moderation_state = 'approved' AND "
                      f"{table}.safeguarding_flagged IS false")
        assert lite == (f"{table}.moderation_state = 'approved' AND "
                        f"{table}.safeguarding_flagged IS 0")
    card = ActionCard(moderation_state="approved", safeguarding_flagged=False)
    assert card.is_published is True
    assert ActionCard(moderation_state="approved", safeguarding_flagged=True).is_published is False
    assert ActionCard(moderation_state="pending", safeguarding_flagged=False).is_published is False


def test_the_scan_finds_a_written_out_condition():
    """The scan itself: the forms it must catch, and what it lets through."""
    caught = ['.where(ActionCard.moderation_state == "approved")',
              "model.safeguarding_flagged.is_(False)", "FeedbackEntry.safeguarding_flagged == False"]
    assert all(APPROVED.search(s) or UNFLAGGED.search(s) for s in caught)
    assert not APPROVED.search('item.moderation_state == "approved"')  # one item, in Python
