"""Young Inspectors' reports: the standards a council inspects against, the reports,
their scores, their "should change" items and their files.

Each "should change" item is a ``FeedbackEntry`` with source ``young_inspectors``
(linked here by ``InspectionItem``), so the themes, the insight counts and the review
packs count it like any other voice, after the same screening, redaction and
moderation (``PublishedRule``).
"""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import N_
from .base import UTCDateTime, utcnow

# The score scale, best first, with the words the form and the report use.
# Marked for translation; translated where they are shown (``gettext``).
SCORES = {4: N_("Excellent"), 3: N_("Good"), 2: N_("Needs to improve"),
          1: N_("Not good enough")}
NOT_SCORED = N_("Not looked at this time")
# The standards a new council starts with (also written by 0017_inspections).
DEFAULT_STANDARDS = (
    ("Welcome", "How young people are greeted and made to feel when they arrive."),
    ("Information", "Whether young people can find and understand what the service offers and "
                    "what will happen."),
    ("Being listened to", "Whether staff listen, take young people seriously and act on what "
                          "they say."),
    ("Environment", "Whether the place feels safe, comfortable, clean and right for young "
                    "people."),
    ("Accessibility", "Whether everyone can get there and use the service, whatever their needs, "
                      "language or disability."),
)
MAX_STANDARD_NAME = 80
MAX_STANDARD_DESCRIPTION = 300
MAX_INSPECTORS = 50
MAX_FILES = 10


class InspectionStandard(db.Model):
    """One standard young inspectors score a service against. A standard used by a report
    is retired (hidden from new reports), never deleted."""

    __tablename__ = "inspection_standard"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_STANDARD_NAME), unique=True)
    description: Mapped[str] = mapped_column(String(MAX_STANDARD_DESCRIPTION), default="")
    position: Mapped[int] = mapped_column(default=0)
    retired_at = mapped_column(UTCDateTime, nullable=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class Inspection(db.Model):
    """One visit by a group of young inspectors to a service, and what they reported.
    No young person is named: the group and how many took part only."""

    __tablename__ = "inspection"
    __table_args__ = (
        CheckConstraint(f"inspectors BETWEEN 1 AND {MAX_INSPECTORS}", name="inspectors"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    visit_date = mapped_column(Date, nullable=False, index=True)
    group_name: Mapped[str] = mapped_column(String(120))
    inspectors: Mapped[int] = mapped_column()
    what_was_good: Mapped[str] = mapped_column(Text, default="")
    what_was_good_redacted: Mapped[str] = mapped_column(Text, default="")
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # The provider's response, written from the provider home.
    response: Mapped[str | None] = mapped_column(Text)
    response_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    response_at = mapped_column(UTCDateTime, nullable=True)

    service = relationship("Service")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    response_by = relationship("User", foreign_keys=[response_by_id])
    scores = relationship("InspectionScore", cascade="all, delete-orphan",
                          order_by="InspectionScore.id")
    items = relationship("InspectionItem", cascade="all, delete-orphan",
                         order_by="InspectionItem.position")
    files = relationship("InspectionFile", cascade="all, delete-orphan",
                         order_by="InspectionFile.id")


class InspectionScore(db.Model):
    """The group's score for one standard (``SCORES``)."""

    __tablename__ = "inspection_score"
    __table_args__ = (
        UniqueConstraint("inspection_id", "standard_id"),
        CheckConstraint("score BETWEEN 1 AND 4", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("inspection_standard.id"), index=True)
    score: Mapped[int] = mapped_column()

    standard = relationship("InspectionStandard")

    @property
    def words(self) -> str:
        return gettext(SCORES[self.score]) if self.score in SCORES else str(self.score)


class InspectionItem(db.Model):
    """One "should change" item: its words live in a ``FeedbackEntry`` (source
    ``young_inspectors``) so that they are moderated, themed and counted."""

    __tablename__ = "inspection_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    feedback_entry_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_entry.id", ondelete="CASCADE"), unique=True)
    position: Mapped[int] = mapped_column(default=0)

    entry = relationship("FeedbackEntry")


class InspectionFile(db.Model):
    """A photo or document of the visit, kept outside the web root under
    ``<instance>/inspection_files/<stored_name>`` and served only to those who may
    read the report."""

    __tablename__ = "inspection_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column()
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
