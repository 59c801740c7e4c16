"""Frozen review packs: a held review's pack never changes.

When a review's meeting is recorded (``reviews.hold_review``) its pack is built
once and stored as plain data (``ReviewPack.to_dict()``) in ``FrozenPack``, with
its SHA-256, the moment it was frozen and who froze it. Every later view, Word
and Excel download of that review is rendered from the stored pack, so new
items, analysis re-runs, renamed themes and corrected KPI returns no longer
change what the meeting saw. A review not yet held has a live pack.

Contracts:

- ``freeze(review, actor, today, source)`` builds and stores the pack; it
  flushes only (the calling use case commits).
- ``load(review) -> (ReviewPack, Frozen)`` reads it back, checking the digest
  and every field; a pack that does not match raises ``FrozenPackDamaged``
  (an error page, never a different pack).
- ``freeze_held_packs(today, actor=None, source="command")`` freezes every held
  review that has no frozen pack yet and checks the packs moved from the old
  ``pack_snapshot`` column; it commits. ``flask --app wsgi contracts
  freeze-held`` and the demo seed call it.

Only ``reviews.reopen_review`` (explicit, with a reason, audited) discards a
frozen pack.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit, clock
from ..extensions import db
from ..models import ContractReview, FrozenPack
from ..models.contracts import FREEZE_SOURCES
from .pack_types import ReviewPack
from .periods import period_of


class FrozenPackDamaged(Exception):
    """The stored pack of a held review cannot be shown as it was frozen."""

    def __init__(self, review_id: int, reason: str):
        super().__init__(f"the frozen pack of review {review_id} is damaged: {reason}")
        self.review_id = review_id
        self.reason = reason


@dataclass(frozen=True)
class Frozen:
    """What a reader is told about a frozen pack."""

    on: date  # the UK date it was frozen
    by: str | None  # the name of the person who froze it, when a person did
    how: str  # why it was frozen then, in words (``FREEZE_SOURCES``)
    at_meeting: bool = True  # frozen when the meeting was recorded: the pack the meeting saw


@dataclass(frozen=True)
class FreezeResult:
    frozen: int  # held reviews that had no frozen pack
    checked: int  # packs kept before packs were frozen, read and kept as they are
    rebuilt: int  # of those, packs from an older version, rebuilt from that day's figures


def digest(data) -> str:
    """SHA-256 of the pack's canonical JSON (keys sorted, no spaces)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _build(review: ContractReview, today: date) -> dict:
    from .pack import build_pack
    return build_pack(review.contract_id, period_of(review), today=today).to_dict()


def freeze(review: ContractReview, actor, today: date, source: str) -> FrozenPack:
    """Store ``review``'s pack as it stands on ``today``; flushes only."""
    data = _build(review, today)
    row = FrozenPack(review=review, pack=data, digest=digest(data), source=source,
                     frozen_by_id=getattr(actor, "id", None))
    db.session.add(row)
    db.session.flush()
    audit.record("contract_review.pack_frozen", actor, review, source=source,
                 digest=row.digest)
    return row


def _check_legacy(review: ContractReview, today: date) -> FrozenPack:
    """A pack moved from ``pack_snapshot``: kept when it reads, else rebuilt."""
    row = review.frozen_pack
    try:
        ReviewPack.from_dict(row.pack)
    except ValueError as error:
        db.session.delete(row)
        db.session.flush()
        review.frozen_pack = None
        row = freeze(review, None, today, "rebuilt")
        audit.record("contract_review.pack_rebuilt", None, review, reason=str(error))
        return row
    row.digest = digest(row.pack)
    db.session.flush()
    return row


def ensure_frozen(review: ContractReview, today: date) -> FrozenPack:
    """The frozen pack of a held review, freezing it first (and committing) when
    it has none: a review held before packs were frozen."""
    row = review.frozen_pack
    if row is None:
        try:
            row = freeze(review, None, today, "first_view")
            db.session.commit()
        except IntegrityError:  # frozen meanwhile by another request: read that one
            db.session.rollback()
            row = review.frozen_pack
    elif row.digest is None:
        row = _check_legacy(review, today)
    return row


def load(review: ContractReview) -> tuple[ReviewPack, Frozen]:
    """The stored pack, exactly as frozen, and what to say about it."""
    row = review.frozen_pack
    data = row.pack
    if not isinstance(data, dict) or digest(data) != row.digest:
        raise FrozenPackDamaged(review.id, gettext("it no longer matches the copy made when "
                                                   "it was frozen"))
    try:
        pack = ReviewPack.from_dict(data)
    except ValueError as error:
        raise FrozenPackDamaged(review.id, str(error)) from error
    who = row.frozen_by.name if row.frozen_by is not None else None
    return pack, Frozen(clock.uk_date_of(row.frozen_at), who,
                        gettext(FREEZE_SOURCES.get(row.source, row.source)),
                        row.source in ("meeting", "legacy"))


def freeze_held_packs(today: date | None = None, actor=None,
                      source: str = "command") -> FreezeResult:
    """Freeze every held review's pack that is not frozen yet (as it stands
    ``today``), and check the packs kept before packs were frozen. Commits."""
    today = today or clock.today()
    reviews = db.session.execute(
        select(ContractReview).where(ContractReview.status != "draft")
        .order_by(ContractReview.id)).scalars().all()
    frozen = checked = rebuilt = 0
    for review in reviews:
        row = review.frozen_pack
        if row is None:
            freeze(review, actor, today, source)
            frozen += 1
        elif row.digest is None:
            checked += 1
            rebuilt += _check_legacy(review, today).source == "rebuilt"
    db.session.commit()
    return FreezeResult(frozen, checked, rebuilt)
