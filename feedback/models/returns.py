"""Performance Monitoring Form returns: what a provider reports for one contract and
one period (each KPI's value and narrative, what they heard and changed, safeguarding
referrals and complaints, supporting files), and its state.

States: ``draft`` (the provider saves and edits) -> ``submitted`` (locked) ->
``returned`` (sent back for correction by a commissioner, with a reason; editable
again) -> ``submitted`` -> ``accepted``. The rules live in ``feedback.returns.services``.
"""
from __future__ import annotations

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Numeric, String, Text, \
    UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

RETURN_STATUSES = {"draft": "Draft", "submitted": "Submitted",
                   "returned": "Returned for correction", "accepted": "Accepted"}
# States in which the provider may change the return.
EDITABLE = ("draft", "returned")
# States whose figures count (the review pack reads these).
COUNTED = ("submitted", "accepted")
MAX_NARRATIVE = 4000
MAX_ACCOUNT = 8000  # "what we heard" and "what we changed"


class PerformanceReturn(db.Model):
    __tablename__ = "performance_return"
    __table_args__ = (
        UniqueConstraint("contract_id", "period_kind", "period_start"),
        CheckConstraint("safeguarding_referrals >= 0", name="referrals"),
        CheckConstraint("complaints >= 0", name="complaints"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"),
                                             index=True)
    period_kind: Mapped[str] = mapped_column(String(10))
    period_start = mapped_column(Date, nullable=False)
    period_end = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    heard: Mapped[str | None] = mapped_column(Text)
    changed: Mapped[str | None] = mapped_column(Text)
    safeguarding_referrals: Mapped[int | None] = mapped_column(Integer)
    complaints: Mapped[int | None] = mapped_column(Integer)
    correction_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at = mapped_column(UTCDateTime, nullable=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at = mapped_column(UTCDateTime, nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    contract = relationship("Contract")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    values = relationship("ReturnValue", back_populates="performance_return",
                          cascade="all, delete-orphan", order_by="ReturnValue.kpi_id")
    files = relationship("ReturnFile", back_populates="performance_return",
                         cascade="all, delete-orphan", order_by="ReturnFile.id")

    @property
    def status_label(self) -> str:
        return RETURN_STATUSES.get(self.status, self.status)

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def counted(self) -> bool:
        return self.status in COUNTED


class ReturnValue(db.Model):
    """One KPI's value in a return, with the provider's narrative."""

    __tablename__ = "return_value"
    __table_args__ = (UniqueConstraint("return_id", "kpi_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(
        ForeignKey("performance_return.id", ondelete="CASCADE"), index=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"), index=True)
    value = mapped_column(Numeric(14, 2), nullable=True)
    narrative: Mapped[str | None] = mapped_column(Text)

    performance_return = relationship("PerformanceReturn", back_populates="values")
    kpi = relationship("Kpi")


class ReturnFile(db.Model):
    """A supporting file: stored outside the web root under a random name
    (``feedback.returns.files``); only its metadata is here."""

    __tablename__ = "return_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(
        ForeignKey("performance_return.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # pdf | docx | xlsx
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    uploaded_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    performance_return = relationship("PerformanceReturn", back_populates="files")
