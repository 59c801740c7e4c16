"""Youth panels: a session in which young people check a period's themes and
"you said, we did" answers, what they said of each, and a commissioner's recorded
reason when no panel could check a period.

A period is a contract period (``contracts.periods.Period``: a calendar quarter or a
financial year), stored as its kind and first and last days.
"""
from __future__ import annotations

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import N_
from .base import UTCDateTime, utcnow

# Labels are marked for translation (N_) and translated where a page shows them.
VERDICTS = {"agreed": N_("Agreed"), "changed": N_("Changed"), "disputed": N_("Disputed")}
SUBJECTS = {"theme": N_("Theme"), "answer": N_("Answer")}
# The longest wording, reason or group name a person may type (in characters).
MAX_WORDING = 1000
MAX_GROUP = 120
MAX_YOUNG_PEOPLE = 500


class PanelSession(db.Model):
    """One meeting of a youth panel about one period. No young person is named: the group
    and how many came are all that is kept."""

    __tablename__ = "panel_session"
    __table_args__ = (CheckConstraint("young_people >= 1", name="young_people"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_kind: Mapped[str] = mapped_column(String(10))
    period_start = mapped_column(Date, nullable=False, index=True)
    period_end = mapped_column(Date, nullable=False)
    held_on = mapped_column(Date, nullable=False)
    group_name: Mapped[str] = mapped_column(String(MAX_GROUP))
    young_people: Mapped[int] = mapped_column()
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    recorded_by = relationship("User")
    verdicts = relationship("PanelVerdict", back_populates="session",
                            cascade="all, delete-orphan", passive_deletes=True,
                            order_by="PanelVerdict.id")


class PanelVerdict(db.Model):
    """What a panel said of one theme or one answer: agreed, changed (their wording kept
    beside the original) or disputed (their reason). ``original`` is the wording they saw."""

    __tablename__ = "panel_verdict"
    __table_args__ = (
        UniqueConstraint("session_id", "subject", "subject_id"),
        CheckConstraint("subject in ('theme','answer')", name="subject"),
        CheckConstraint("verdict in ('agreed','changed','disputed')", name="verdict"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("panel_session.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(10))  # theme | answer
    # A theme's id, or for an answer the action card's id.
    subject_id: Mapped[int] = mapped_column()
    original: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(10))
    wording: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    session = relationship("PanelSession", back_populates="verdicts")


class PanelWaiver(db.Model):
    """A commissioner's record of why no youth panel could check a period."""

    __tablename__ = "panel_waiver"
    __table_args__ = (UniqueConstraint("period_kind", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_kind: Mapped[str] = mapped_column(String(10))
    period_start = mapped_column(Date, nullable=False)
    period_end = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    recorded_by = relationship("User")
