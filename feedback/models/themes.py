"""Analysis runs, themes found in the text, and which items belong to which theme."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

RUN_STATUSES = {"queued": "Queued", "running": "Running", "succeeded": "Finished",
                "failed": "Failed"}
ASSIGNMENT_METHODS = {"cluster": "Found by clustering", "classifier": "Classified",
                      "manual": "Moved by a person"}


class AnalysisRun(db.Model):
    """One run of the analysis engine, tracked while it works in the background."""

    __tablename__ = "analysis_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="full")  # full | classify
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    progress: Mapped[int] = mapped_column(default=0)  # 0..100
    stage: Mapped[str | None] = mapped_column(String(200))
    params: Mapped[dict | None] = mapped_column(db.JSON)
    n_items: Mapped[int | None] = mapped_column()
    n_themes: Mapped[int | None] = mapped_column()
    timings: Mapped[dict | None] = mapped_column(db.JSON)
    error: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[str | None] = mapped_column(String(64))
    # The classifier trained from curated themes, serialised by the engine.
    # Deferred (loaded on first use): pages listing runs never need its bytes.
    classifier: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    # The engine's plain-data summary, passed back as ``previous`` next time.
    previous_state: Mapped[dict | None] = mapped_column(db.JSON, deferred=True)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    started_at = mapped_column(UTCDateTime, nullable=True)
    finished_at = mapped_column(UTCDateTime, nullable=True)

    started_by = relationship("User")


class Theme(db.Model):
    """A theme: the engine's label, the name people gave it, and its state.

    ``key`` is the engine's stable id, kept across runs by matching to the
    previous run. ``curated_name`` survives re-runs; ``merged_into_id`` points
    at the theme that absorbed this one.
    """

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    curated_name: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list | None] = mapped_column(db.JSON)
    size: Mapped[int] = mapped_column(default=0)
    sentiment: Mapped[float | None] = mapped_column(Float)
    emerging: Mapped[bool] = mapped_column(default=False)
    hidden: Mapped[bool] = mapped_column(default=False, index=True)
    reviewed: Mapped[bool] = mapped_column(default=False)
    reviewed_at = mapped_column(UTCDateTime, nullable=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"), index=True)
    first_run_id: Mapped[int | None] = mapped_column(ForeignKey("analysis_run.id"))
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("analysis_run.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    merged_into = relationship("Theme", remote_side=[id])

    @property
    def name(self) -> str:
        return self.curated_name or self.label


class Subtheme(db.Model):
    """A finer group inside a theme: the engine's sub-theme (``key`` "T3.2", kept across runs
    by following the previous run's sub-theme centres) or one a person split off ("T3.C1a2b").

    ``theme_id`` is the theme it shows under: the engine's parent theme, or the theme that
    absorbed it when its parent was merged. ``curated_name``, ``hidden`` and ``merged_into_id``
    are curation and survive re-runs, as for themes.
    """

    __tablename__ = "subtheme"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    curated_name: Mapped[str | None] = mapped_column(String(200))
    keywords: Mapped[list | None] = mapped_column(db.JSON)
    size: Mapped[int] = mapped_column(default=0)
    hidden: Mapped[bool] = mapped_column(default=False)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("subtheme.id"))
    first_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("analysis_run.id", ondelete="SET NULL"))
    last_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("analysis_run.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    theme = relationship("Theme")
    merged_into = relationship("Subtheme", remote_side=[id])

    @property
    def name(self) -> str:
        return self.curated_name or self.label


class ThemeAssignment(db.Model):
    """An item (card or feedback entry) placed in a theme, with confidence."""

    __tablename__ = "theme_assignment"
    __table_args__ = (
        CheckConstraint("(card_id IS NULL) <> (feedback_entry_id IS NULL)", name="one_subject"),
        Index("ix_theme_assignment_theme_card", "theme_id", "card_id"),
        Index("ix_theme_assignment_theme_entry", "theme_id", "feedback_entry_id"),
        # Item -> theme joins of the insight counts read only the index.
        Index("ix_theme_assignment_card_theme", "card_id", "theme_id"),
        Index("ix_theme_assignment_entry_theme", "feedback_entry_id", "theme_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    # The sub-theme of ``theme_id`` the item is in (None: not split, or placed by the classifier).
    subtheme_id: Mapped[int | None] = mapped_column(
        ForeignKey("subtheme.id", ondelete="SET NULL"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("analysis_run.id", ondelete="SET NULL"),
                                               index=True)
    card_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_card.id", ondelete="CASCADE"), index=True)
    feedback_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback_entry.id", ondelete="CASCADE"), index=True)
    confidence: Mapped[float | None] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(20), default="cluster")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    theme = relationship("Theme")
