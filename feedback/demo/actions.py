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
import re
from datetime import date, timedelta

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models import ActionUpdate, ContractReview, ReviewAction

# Progress notes that fit any agreed action (each action's own words are its description).
PROGRESS = [
    "Plan agreed with the service managers. The first changes start with new referrals from "
    "next month.",
    "Draft shared with the youth forum at their last meeting; their comments are being worked "
    "into the next version.",
    "A named manager now leads this, and progress is checked at the monthly performance "
    "meeting.",
    "The team leaders have been briefed, and this is on the agenda of every team meeting "
    "until it is in place.",
    "We have started recording this in our case system, so the figures can be reported at "
    "the next review.",
    "Families and young people were asked what would help; their answers are shaping the "
    "plan.",
    "The change is being tried in one team first; the other teams follow next month.",
    "The written procedure has been updated and shared with all staff.",
    "Staff are booked on a briefing session about the change next month.",
    "First month's figures collected. They will be in the return for the next review.",
]
# Where a provider keeps its evidence: its own folder on the providers' shared site.
EVIDENCE = (
    "https://sharepoint.shire-providers.example/sites/{provider}/Reviews/Action%20plan.docx",
    "https://sharepoint.shire-providers.example/sites/{provider}/Reviews/"
    "Monitoring%20figures.xlsx",
)
REVISED = [
    "The venue we had booked is closed for repairs until the new term. The replacement "
    "venue is only free from the later date.",
    "Recruitment took longer than planned: the first advert had no suitable applicants and "
    "we advertised again.",
]
COMPLETED = [
    "Done. The change has been in place for a month and the service manager has checked it "
    "with staff and families. The monitoring figures are on the shared site.",
]


def evidence_url(action, which: int) -> str:
    """A link to the evidence in the action's provider's own folder."""
    provider = "".join(w.capitalize() for w in re.findall(r"[A-Za-z0-9]+",
                                                           action.review.contract.provider.name))
    return EVIDENCE[which].format(provider=provider)


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
               evidence_url=evidence_url(action, 1) if index in (0, 4) else None)
        if index == 0 and notes:
            # A revised due date, with its reason (the earlier date is kept).
            previous = action.due_date or today
            new = max(previous, today) + timedelta(days=rng.randint(35, 56))
            update(action, 12, kind="progress", note=notes.pop(), to_status="in_progress",
                   previous_due_date=previous, new_due_date=new, reason=REVISED[0])
            action.due_date = new
        elif index == 1:
            # Completed by the provider, waiting for the commissioner to accept it.
            # The time the action shows is the update's: one moment, not two.
            claimed = update(action, 3, kind="completion_claimed", note=COMPLETED[0],
                             to_status="in_progress", evidence_url=evidence_url(action, 0))
            action.completion_claimed_at = claimed.created_at
        elif index == 3 and notes:
            update(action, rng.randint(2, 10), kind="progress", note=notes.pop(),
                   to_status="in_progress")
    return made
