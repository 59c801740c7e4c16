"""Action cards raised by young people, their history, answers and support."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .submissions import (LEAD_QUEUE_PG, LEAD_QUEUE_SQLITE, PUBLISHED_PG, PUBLISHED_SQLITE,
                          UNANALYSED, SubmissionMixin)

CARD_KINDS = {"stop": "Stop", "start": "Start", "change": "Change"}
CONTACT_METHODS = {"email": "Email", "phone": "Phone or text", "worker": "Through my worker"}


class ActionCard(SubmissionMixin, db.Model):
    """What a young person wants a service to STOP, START or CHANGE.

    ``text`` is exactly what they wrote and is seen only by moderators and
    safeguarding leads; ``text_redacted`` is the version that may be published
    or quoted once approved.
    """

    __tablename__ = "action_card"
    __table_args__ = (
        Index("ix_action_card_service_created", "service_id", "created_at"),
        CheckConstraint("kind in ('stop','start','change')", name="kind"),
        # Insight counts read published cards only: on PostgreSQL this index
        # answers them without touching the table (0003_insight_indexes).
        Index("ix_action_card_published", "created_at",
              postgresql_include=["id", "service_id", "area_id", "me_too_count", "sentiment",
                                  "age_band", "in_care", "care_leaver", "send", "young_carer"],
              postgresql_where=text(PUBLISHED_PG), sqlite_where=text(PUBLISHED_SQLITE)),
        Index("ix_action_card_unanalysed", "id",
              postgresql_where=text(UNANALYSED), sqlite_where=text(UNANALYSED)),
        Index("ix_action_card_lead_queue", "created_at", postgresql_where=text(LEAD_QUEUE_PG),
              sqlite_where=text(LEAD_QUEUE_SQLITE)),
    )

    kind: Mapped[str] = mapped_column(String(10))
    service_unsure: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str] = mapped_column(Text)
    text_redacted: Mapped[str | None] = mapped_column(Text)
    feels_unsafe: Mapped[bool] = mapped_column(default=False)
    age_band: Mapped[str | None] = mapped_column(String(10), index=True)
    in_care: Mapped[bool] = mapped_column(default=False)
    care_leaver: Mapped[bool] = mapped_column(default=False)
    send: Mapped[bool] = mapped_column(default=False)
    young_carer: Mapped[bool] = mapped_column(default=False)
    contact_method: Mapped[str | None] = mapped_column(String(20))
    contact_detail: Mapped[str | None] = mapped_column(String(254))
    me_too_count: Mapped[int] = mapped_column(default=0)

    history = relationship("StatusChange", back_populates="card",
                           cascade="all, delete-orphan", order_by="StatusChange.changed_at")
    responses = relationship("Response", back_populates="card",
                             cascade="all, delete-orphan", order_by="Response.created_at")
    supports = relationship("MeToo", cascade="all, delete-orphan")

    @property
    def kind_label(self) -> str:
        return CARD_KINDS.get(self.kind, self.kind)

    @property
    def is_anonymous(self) -> bool:
        return not self.contact_detail and self.contact_method != "worker"


class StatusChange(db.Model):
    """One timestamped move in a card's or feedback entry's status."""

    __tablename__ = "status_change"
    __table_args__ = (
        CheckConstraint("(card_id IS NULL) <> (feedback_entry_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_card.id", ondelete="CASCADE"), index=True)
    feedback_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback_entry.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    changed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    card = relationship("ActionCard", back_populates="history")
    feedback_entry = relationship("FeedbackEntry", back_populates="history")
    changed_by = relationship("User")


class Response(db.Model):
    """A plain-English answer to a card or feedback entry ("you said, we did")."""

    __tablename__ = "response"
    __table_args__ = (
        CheckConstraint("(card_id IS NULL) <> (feedback_entry_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_card.id", ondelete="CASCADE"), index=True)
    feedback_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback_entry.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    review_action_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_action.id", ondelete="SET NULL"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    card = relationship("ActionCard", back_populates="responses")
    feedback_entry = relationship("FeedbackEntry", back_populates="responses")
    author = relationship("User")


class MeToo(db.Model):
    """One browser's support for a published card (one per browser per card)."""

    __tablename__ = "me_too"
    __table_args__ = (UniqueConstraint("card_id", "supporter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("action_card.id", ondelete="CASCADE"),
                                         index=True)
    supporter: Mapped[str] = mapped_column(String(64))  # hash of the signed browser id
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
