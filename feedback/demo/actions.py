"""Demo data: providers' updates to the actions agreed at the demo's held reviews.

Called once from ``seed.seed_demo`` after the reviews are made. Some actions are moving
("in progress" with one or two progress notes, one with a link to evidence), one has a revised
due date with its reason, and one is completed by the provider and waits for the
commissioner to accept it. The provider's demo user writes the updates on its own
organisation's actions; other providers' updates carry no author (the page says the
provider's name). Its own random generator keeps the rest of the demo as it was.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models import ActionUpdate, ContractReview, ReviewAction

PROGRESS = [
    "Plan agreed with the service managers. The first changes start with new referrals from "
    "next month.",
    "Draft shared with the youth forum at their last meeting; their comments are being worked "
    "into the next version.",
    "Two of the five staff have finished the training; the other three are booked on the next "
    "course.",
    "Pilot running at the north hub for three weeks. 23 families have used it so far and "
    "the feedback cards are mostly positive.",
    "Interviews for the extra worker are arranged. Until they start, the team leader covers "
    "the Thursday clinic.",
    "Text reminders switched on for new referrals. Early figures show fewer missed first "
    "appointments.",
    "We asked young people at the drop-in which times suit them. Most said after 4pm, so the "
    "sessions have moved.",
    "Everyone waiting more than 12 weeks has had a phone call and a letter with a named "
    "contact.",
    "Information sheet rewritten with two care leavers and checked for plain English by the "
    "parent carer forum.",
    "First month's figures collected. They will be in the return for the next review.",
]
EVIDENCE = [
    "https://www.brightpath-youth.example/news/evening-sessions",
    "https://www.shirechildrenshealth.example/waiting-times",
    "https://sharepoint.shire-providers.example/sites/reviews/Action%20plan.docx",
]
REVISED = [
    "The venue we had booked is closed for repairs until the new term. The replacement "
    "venue is only free from the later date.",
    "Recruitment took longer than planned: the first advert had no suitable applicants and "
    "we advertised again.",
]
COMPLETED = [
    "Done. Sessions have run every week since the change, and attendance has gone from 6 to "
    "11 young people on average. The attendance sheet is on the shared site.",
]


def add_action_updates(users: dict, today: date, seed: int = 2026) -> int:
    """Providers' updates on the demo's open actions; returns how many were made."""
    rng = random.Random(seed)
    provider_user = users.get("provider")
    actions = list(db.session.execute(
        select(ReviewAction).join(ContractReview)
        .where(ReviewAction.status.in_(("open", "in_progress")))
        .order_by(ReviewAction.id)).scalars())
    # The demo provider's own actions first, so its home shows updates.
    own = provider_user.organisation if provider_user is not None else None
    actions.sort(key=lambda a: a.review.contract.provider is not own)
    notes = rng.sample(PROGRESS, k=len(PROGRESS))
    now = clock.now()
    made = 0

    def update(action, days_ago: int, **values) -> ActionUpdate:
        nonlocal made
        author = provider_user if action.review.contract.provider is own else None
        row = ActionUpdate(action=action, author=author, from_status=action.status,
                           created_at=now - timedelta(days=days_ago, hours=rng.randint(1, 8)),
                           **values)
        action.status = values.get("to_status") or action.status
        db.session.add(row)
        made += 1
        return row

    for index, action in enumerate(actions[:8]):
        if not notes:
            break
        update(action, rng.randint(20, 40), kind="progress", note=notes.pop(),
               to_status="in_progress",
               evidence_url=EVIDENCE[index % len(EVIDENCE)] if index in (0, 4) else None)
        if index == 0 and notes:
            # A revised due date, with its reason (the earlier date is kept).
            previous = action.due_date or today
            new = max(previous, today) + timedelta(days=rng.randint(35, 56))
            update(action, 12, kind="progress", note=notes.pop(), to_status="in_progress",
                   previous_due_date=previous, new_due_date=new, reason=REVISED[0])
            action.due_date = new
        elif index == 1:
            # Completed by the provider, waiting for the commissioner to accept it.
            update(action, 3, kind="completion_claimed", note=COMPLETED[0],
                   to_status="in_progress", evidence_url=EVIDENCE[0])
            action.completion_claimed_at = now - timedelta(days=3)
        elif index == 3 and notes:
            update(action, rng.randint(2, 10), kind="progress", note=notes.pop(),
                   to_status="in_progress")
    return made
