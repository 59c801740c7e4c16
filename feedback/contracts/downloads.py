"""Building a review's pack for someone to read or download, with the audit entry.

The pack carries redacted quotes from action cards and family feedback, so
every view and download is audited (who, which review, which format).
"""
from __future__ import annotations

from datetime import date

from .. import audit
from ..models import ContractReview
from .pack import ReviewPack, build_pack
from .reviews import period_of

FORMATS = {"page": "web page", "print": "printable page", "docx": "Word",
           "xlsx": "Excel workbook"}


def pack_for_review(review: ContractReview, actor, today: date, form: str,
                    live: bool = False) -> tuple[ReviewPack, bool]:
    """(pack, from_snapshot). A review whose meeting is recorded shows the pack
    as it stood then, unless ``live`` asks for today's figures."""
    pack, snapshot = None, False
    if review.pack_snapshot and review.status != "draft" and not live:
        try:
            pack, snapshot = ReviewPack.from_dict(review.pack_snapshot), True
        except ValueError:
            pack = None
    if pack is None:
        pack = build_pack(review.contract_id, period_of(review), today=today)
    audit.record_now("contract_pack.viewed", actor, review, format=form,
                     snapshot=snapshot)
    return pack, snapshot


def filename(pack: ReviewPack, extension: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in pack.reference)
    return f"review-pack-{safe}-{pack.period.start.isoformat()}.{extension}"
