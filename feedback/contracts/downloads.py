"""A review's pack for someone to read or download, with the audit entry.

A held review's pack is its frozen pack (``contracts.frozen``), exactly as it
was shown when the meeting was recorded; a review not yet held gets a pack built
from today's figures. The pack carries redacted quotes from action cards and
family feedback, so every view and download is audited (who, which review,
which format, frozen or live), and so is a frozen pack that cannot be shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import audit
from ..models import ContractReview
from . import frozen
from .pack import ReviewPack, build_pack
from .periods import period_of

FORMATS = {"page": "web page", "print": "printable page", "docx": "Word",
           "xlsx": "Excel workbook"}


@dataclass(frozen=True)
class PackView:
    pack: ReviewPack
    frozen: frozen.Frozen | None  # None: a live pack (the review is not held yet)


def pack_for_review(review: ContractReview, actor, today: date, form: str) -> PackView:
    """The pack a reader sees in ``form``. Raises ``frozen.FrozenPackDamaged``
    (after auditing it) when a held review's stored pack cannot be shown."""
    if not review.is_held:
        pack = build_pack(review.contract_id, period_of(review), today=today)
        audit.record_now("contract_pack.viewed", actor, review, format=form, frozen=False)
        return PackView(pack, None)
    frozen.ensure_frozen(review, today)
    try:
        pack, about = frozen.load(review)
    except frozen.FrozenPackDamaged as error:
        audit.record_now("contract_pack.damaged", actor, review, format=form,
                         reason=error.reason)
        raise
    audit.record_now("contract_pack.viewed", actor, review, format=form, frozen=True)
    return PackView(pack, about)


def filename(pack: ReviewPack, extension: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in pack.reference)
    return f"review-pack-{safe}-{pack.period.start.isoformat()}.{extension}"


def held_on(review: ContractReview) -> date | None:
    """The date a held review's meeting took place (the Word and Excel packs say it);
    None for a review not held yet."""
    return review.meeting_date if review.is_held else None
