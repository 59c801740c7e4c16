"""Service feedback from families, and forum bulk imports."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import N_
from .base import UTCDateTime, utcnow
from .submissions import (LEAD_QUEUE_PG, LEAD_QUEUE_SQLITE, PUBLISHED_PG, PUBLISHED_SQLITE,
                          UNANALYSED, SubmissionMixin)

RESPONDENT_TYPES = {"parent_carer": "Parent or carer", "young_person": "Young person",
                    "professional": "Professional"}
RATINGS = {5: "Very good", 4: "Good", 3: "Neither good nor poor", 2: "Poor", 1: "Very poor"}
# Labels are marked for translation (N_) and translated where a page shows them.
FEEDBACK_SOURCES = {"family_form": N_("Family feedback"), "forum": N_("Forum submission"),
                    "forum_import": N_("Forum import"),
                    "provider_import": N_("Collected by a provider")}
# Who collected an entry: independent voice (the platform, a forum, the council) or the
# provider of the service itself (``FeedbackEntry.collected_by_id``).
COLLECTED = {"independent": N_("Independent"), "provider": N_("Collected by providers")}
FEEDBACK_SOURCES["young_inspectors"] = N_("Young Inspectors")  # feedback/models/inspections.py
FORUM_SOURCE_KINDS = {"event": N_("Event"), "survey": N_("Survey"), "meeting": N_("Meeting"),
                      "coffee_morning": N_("Coffee morning"), "other": N_("Other")}


class ImportBatch(db.Model):
    """One uploaded CSV/XLSX file; ``file_hash`` stops the same file twice."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    # The provider that collected the file's feedback (its own survey); None: independent.
    collected_by_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    file_hash: Mapped[str] = mapped_column(String(64), index=True)
    column_mapping: Mapped[dict | None] = mapped_column(db.JSON)
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_imported: Mapped[int] = mapped_column(default=0)
    rows_duplicate: Mapped[int] = mapped_column(default=0)
    rows_invalid: Mapped[int] = mapped_column(default=0)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    forum = relationship("Organisation", foreign_keys=[forum_id])
    collected_by = relationship("Organisation", foreign_keys=[collected_by_id])
    uploaded_by = relationship("User")


class FeedbackEntry(SubmissionMixin, db.Model):
    """One family's (or, from a forum, several families') feedback on a service."""

    __tablename__ = "feedback_entry"
    __table_args__ = (
        Index("ix_feedback_entry_service_created", "service_id", "created_at"),
        # Insight counts (0003_insight_indexes): see ActionCard.
        Index("ix_feedback_entry_published", "created_at",
              postgresql_include=["id", "service_id", "area_id", "source", "families_represented",
                                  "sentiment", "rating", "child_age_band", "disability_send"],
              postgresql_where=text(PUBLISHED_PG), sqlite_where=text(PUBLISHED_SQLITE)),
        Index("ix_feedback_entry_unanalysed", "id",
              postgresql_where=text(UNANALYSED), sqlite_where=text(UNANALYSED)),
        Index("ix_feedback_entry_lead_queue", "created_at", postgresql_where=text(LEAD_QUEUE_PG),
              sqlite_where=text(LEAD_QUEUE_SQLITE)),
        CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 5)", name="rating"),
        CheckConstraint("families_represented >= 1", name="families"),
        UniqueConstraint("row_hash"),
    )

    source: Mapped[str] = mapped_column(String(20), default="family_form", index=True)
    respondent_type: Mapped[str] = mapped_column(String(20))
    rating: Mapped[int | None] = mapped_column(index=True)
    went_well: Mapped[str] = mapped_column(Text, default="")
    could_be_better: Mapped[str] = mapped_column(Text, default="")
    went_well_redacted: Mapped[str | None] = mapped_column(Text)
    could_be_better_redacted: Mapped[str | None] = mapped_column(Text)
    quote_consent: Mapped[bool] = mapped_column(default=False)
    # Optional equality questions.
    ethnicity: Mapped[str | None] = mapped_column(String(60))
    disability_send: Mapped[str | None] = mapped_column(String(20))
    child_age_band: Mapped[str | None] = mapped_column(String(10), index=True)
    # Forum provenance.
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    source_kind: Mapped[str | None] = mapped_column(String(20))
    source_name: Mapped[str | None] = mapped_column(String(200))
    source_date = mapped_column(Date, nullable=True)
    families_represented: Mapped[int] = mapped_column(default=1)
    consent_collected: Mapped[bool] = mapped_column(default=False)
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="SET NULL"), index=True)
    import_row_number: Mapped[int | None] = mapped_column()
    row_hash: Mapped[str | None] = mapped_column(String(64))
    # Provenance: the provider that collected this feedback itself (its exit questionnaire,
    # its survey), imported by the provider; None for independent voice.
    collected_by_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"),
                                                        index=True)

    forum = relationship("Organisation", foreign_keys=[forum_id])
    collected_by = relationship("Organisation", foreign_keys=[collected_by_id])
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    import_batch = relationship("ImportBatch")
    history = relationship("StatusChange", back_populates="feedback_entry",
                           cascade="all, delete-orphan", order_by="StatusChange.changed_at")
    responses = relationship("Response", back_populates="feedback_entry",
                             cascade="all, delete-orphan", order_by="Response.created_at")

    @property
    def rating_label(self) -> str:
        return RATINGS.get(self.rating, "Not given") if self.rating else "Not given"

    @property
    def provenance(self) -> str:
        """Who collected it, in words: "Collected by <provider>" or "Independent"."""
        if self.collected_by_id is None:
            return COLLECTED["independent"]
        name = self.collected_by.name if self.collected_by is not None else "a provider"
        return f"Collected by {name}"

    @property
    def full_text(self) -> str:
        return "\n".join(t for t in (self.went_well, self.could_be_better) if t)
