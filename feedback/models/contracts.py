"""Contracts, KPIs, contract reviews and the actions agreed at them."""
from __future__ import annotations

from sqlalchemy import (CheckConstraint, Column, Date, ForeignKey, Numeric, String, Table, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import N_
from .base import UTCDateTime, utcnow

# Labels marked for translation (N_); a page translates them where it shows them.
REVIEW_FREQUENCIES = {"quarterly": N_("Quarterly"), "annual": N_("Annual")}
KPI_DIRECTIONS = {"higher": N_("Higher is better"), "lower": N_("Lower is better")}
PERIOD_KINDS = {"quarter": N_("Quarter"), "year": N_("Year")}
REVIEW_STATUSES = {"draft": N_("Draft"), "held": N_("Meeting held"), "closed": N_("Closed")}
ACTION_STATUSES = {"open": N_("Open"), "in_progress": N_("In progress"), "done": N_("Done"),
                   "dropped": N_("Dropped")}
RAG = {"green": N_("Green"), "amber": N_("Amber"), "red": N_("Red")}

contract_service = Table(
    "contract_service", db.metadata,
    Column("contract_id", ForeignKey("contract.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
)
review_action_card = Table(
    "review_action_card", db.metadata,
    Column("review_action_id", ForeignKey("review_action.id", ondelete="CASCADE"),
           primary_key=True),
    Column("card_id", ForeignKey("action_card.id", ondelete="CASCADE"), primary_key=True),
)
review_action_theme = Table(
    "review_action_theme", db.metadata,
    Column("review_action_id", ForeignKey("review_action.id", ondelete="CASCADE"),
           primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
)


class Contract(db.Model):
    __tablename__ = "contract"
    __table_args__ = (
        CheckConstraint("end_date > start_date", name="dates"),
        CheckConstraint("annual_value >= 0", name="value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    provider_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    annual_value = mapped_column(Numeric(14, 2), nullable=False)
    start_date = mapped_column(Date, nullable=False)
    end_date = mapped_column(Date, nullable=False, index=True)
    extension_options: Mapped[str | None] = mapped_column(Text)
    review_frequency: Mapped[str] = mapped_column(String(20), default="quarterly")
    next_review_date = mapped_column(Date, nullable=True, index=True)
    contract_manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    provider = relationship("Organisation")
    contract_manager = relationship("User")
    services = relationship("Service", secondary=contract_service, lazy="selectin")
    kpis = relationship("Kpi", back_populates="contract", cascade="all, delete-orphan",
                        order_by="Kpi.id")
    reviews = relationship("ContractReview", back_populates="contract",
                           cascade="all, delete-orphan", order_by="ContractReview.period_start")


class Kpi(db.Model):
    __tablename__ = "kpi"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"),
                                             index=True)
    name: Mapped[str] = mapped_column(String(200))
    target = mapped_column(Numeric(14, 2), nullable=False)
    unit: Mapped[str] = mapped_column(String(40), default="%")
    direction: Mapped[str] = mapped_column(String(10), default="higher")
    # How far short of target is still amber, as a fraction of the target.
    amber_tolerance = mapped_column(Numeric(5, 3), nullable=False, default=0.1)

    contract = relationship("Contract", back_populates="kpis")


class ContractReview(db.Model):
    """A monitoring review of one contract for one period (quarter or year)."""

    __tablename__ = "contract_review"
    __table_args__ = (UniqueConstraint("contract_id", "period_kind", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"),
                                             index=True)
    period_kind: Mapped[str] = mapped_column(String(10))
    period_start = mapped_column(Date, nullable=False)
    period_end = mapped_column(Date, nullable=False)
    meeting_date = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    contract = relationship("Contract", back_populates="reviews")
    kpi_returns = relationship("KpiReturn", back_populates="review", cascade="all, delete-orphan")
    actions = relationship("ReviewAction", back_populates="review", cascade="all, delete-orphan",
                           order_by="ReviewAction.id")
    frozen_pack = relationship("FrozenPack", back_populates="review", uselist=False,
                               cascade="all, delete-orphan", passive_deletes=True)

    @property
    def is_held(self) -> bool:
        """The one rule for "held": the meeting is recorded (held or closed), so
        the review's pack is frozen (``contracts.frozen``)."""
        return self.status != "draft"


# Why a frozen pack was made (shown beside "Frozen on <date>").
FREEZE_SOURCES = {
    "meeting": N_("when the meeting was recorded"),
    "legacy": N_("when the meeting was recorded, before packs were frozen"),
    "rebuilt": N_("from the figures of that day, because the copy kept at the meeting was "
                  "from an older version"),
    "first_view": N_("when the pack was first opened after packs were frozen"),
    "command": N_("by the command that freezes held reviews' packs"),
    "demo": N_("when the demo data was made"),
}


class FrozenPack(db.Model):
    """A held review's pack exactly as it was shown: ``ReviewPack.to_dict()``
    output with its SHA-256 (``digest``) so damage is found rather than shown.
    ``digest`` is empty only on copies moved here by migration 0009 from the
    old ``pack_snapshot`` column, until they are first read and checked."""

    __tablename__ = "frozen_pack"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("contract_review.id", ondelete="CASCADE"), unique=True)
    pack: Mapped[dict] = mapped_column(db.JSON, nullable=False)
    digest: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(20), default="meeting")
    frozen_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    frozen_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    review = relationship("ContractReview", back_populates="frozen_pack")
    frozen_by = relationship("User")


class KpiReturn(db.Model):
    """The value reported for one KPI in one review period."""

    __tablename__ = "kpi_return"
    __table_args__ = (UniqueConstraint("review_id", "kpi_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("contract_review.id", ondelete="CASCADE"),
                                           index=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"), index=True)
    value = mapped_column(Numeric(14, 2), nullable=True)
    rag: Mapped[str | None] = mapped_column(String(10))
    commentary: Mapped[str | None] = mapped_column(Text)

    review = relationship("ContractReview", back_populates="kpi_returns")
    kpi = relationship("Kpi")


class ReviewAction(db.Model):
    """An action agreed at a review, linked to the themes and cards it answers."""

    __tablename__ = "review_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("contract_review.id", ondelete="CASCADE"),
                                           index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_date = mapped_column(Date, nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    completed_at = mapped_column(UTCDateTime, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    # Set when the provider says the action is completed, until a commissioner accepts
    # (the action becomes done) or rejects it (with a reason, kept in its updates).
    completion_claimed_at = mapped_column(UTCDateTime, nullable=True)

    review = relationship("ContractReview", back_populates="actions")
    updates = relationship("ActionUpdate", back_populates="action", cascade="all, delete-orphan",
                           order_by="ActionUpdate.created_at")
    cards = relationship("ActionCard", secondary=review_action_card)
    themes = relationship("Theme", secondary=review_action_theme)
