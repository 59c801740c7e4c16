"""A provider's updates to an action agreed with it at a contract review, and the
commissioner's decisions on a provider's "completed".

Every update is kept (the history of an action): a progress note, a move of status, a
revised due date (with the earlier date and the required reason), evidence (a link or a
file kept outside the web root, see ``contracts.evidence``), a claim of completion, and
its acceptance or rejection (with a reason).
"""
from __future__ import annotations

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

UPDATE_KINDS = {
    "progress": "Progress update",
    "completion_claimed": "Marked completed by the provider",
    "completion_accepted": "Completion accepted",
    "completion_rejected": "Completion not accepted",
}


class ActionUpdate(db.Model):
    __tablename__ = "action_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("review_action.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(30), default="progress")
    note: Mapped[str | None] = mapped_column(Text)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    previous_due_date = mapped_column(Date, nullable=True)
    new_due_date = mapped_column(Date, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    evidence_file: Mapped[str | None] = mapped_column(String(64))  # stored name, never a path
    evidence_filename: Mapped[str | None] = mapped_column(String(200))  # the name it came with
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)

    action = relationship("ReviewAction", back_populates="updates")
    author = relationship("User")

    @property
    def kind_label(self) -> str:
        return UPDATE_KINDS.get(self.kind, self.kind)
