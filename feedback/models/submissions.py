"""What action cards and feedback entries share: moderation, safeguarding,
answer status and analysis results.

Statuses, moderation states and safeguarding outcomes are plain strings from
the dictionaries below; services validate them before they reach a model.
"""
from __future__ import annotations

from sqlalchemy import Float, ForeignKey, String, Text, and_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..extensions import db
from ..i18n import N_
from .base import UTCDateTime, utcnow

STATUSES = {
    "received": "Received",
    "being_looked_at": "Being looked at",
    "action_planned": "Action planned",
    "done": "Done",
    "not_possible": "Not possible",
}
# Allowed moves between statuses. "not_possible" always needs a reason.
STATUS_MOVES = {
    "received": {"being_looked_at", "action_planned", "done", "not_possible"},
    "being_looked_at": {"action_planned", "done", "not_possible"},
    "action_planned": {"being_looked_at", "done", "not_possible"},
    "done": {"being_looked_at", "action_planned"},
    "not_possible": {"being_looked_at", "action_planned"},
}
OPEN_STATUSES = ("received", "being_looked_at", "action_planned")
# While the answer status is still "received", what moderation did is the news: the state
# a card or entry is in, in the words the public and its sender see (``current_label``).
WAITING_LABELS = {"pending": "Received, waiting to be checked",
                  "approved": "Approved, waiting for an answer",
                  "rejected": "Checked, not published"}

MODERATION_STATES = {"pending": N_("Waiting for moderation"), "approved": N_("Approved"),
                     "rejected": N_("Rejected")}
SAFEGUARDING_OUTCOMES = {"referred": N_("Referred"), "no_concern": N_("No concern"),
                         "handled": N_("Handled (no referral needed)"),
                         "other": N_("Other action")}
# After these outcomes the lead chooses: keep the words private (the default)
# or release them to moderation, so they can count like any other item.
RELEASABLE_OUTCOMES = ("no_concern", "handled")
SAFEGUARDING_RELEASES = {"private": N_("Keep private"),
                         "released": N_("Release to moderation")}
AGE_BANDS = {"8-10": "8 to 10", "11-13": "11 to 13", "14-15": "14 to 15", "16-17": "16 to 17",
             "18-21": "18 to 21", "22-25": "22 to 25"}
CHILD_AGE_BANDS = {"0-4": "0 to 4", "5-10": "5 to 10", "11-15": "11 to 15",
                   "16-18": "16 to 18", "19-25": "19 to 25"}
COHORTS = {"in_care": "In care", "care_leaver": "Care leaver", "send": "SEND",
           "young_carer": "Young carer"}

# Partial index conditions for the insight counts (published items; items
# approved but not yet placed in themes). Booleans are spelt per database.
PUBLISHED_PG = "moderation_state = 'approved' AND safeguarding_flagged IS false"
PUBLISHED_SQLITE = "moderation_state = 'approved' AND safeguarding_flagged = 0"
UNANALYSED = "sentiment IS NULL AND moderation_state = 'approved'"
# The safeguarding lead's queue (moderation/lead.py): flagged, or decided by a
# lead before. Written as the queue's query renders it, so both databases use it.
LEAD_QUEUE_PG = "safeguarding_flagged IS true OR safeguarding_outcome IS NOT NULL"
LEAD_QUEUE_SQLITE = "safeguarding_flagged IS 1 OR safeguarding_outcome IS NOT NULL"


class PublishedRule:
    """The "published" rule, for every model with ``moderation_state`` and
    ``safeguarding_flagged`` columns (cards, feedback entries, providers' replies)."""

    @hybrid_property
    def is_published(self) -> bool:
        """Approved by a moderator and not held back by safeguarding.

        The one home of the rule: on an instance a bool, on the class one SQL
        clause (``ActionCard.is_published``, ``ProviderReply.is_published``) that every query of items for
        display uses (tests/unit/test_published_rule.py checks that none writes
        the condition out). It compiles to the partial indexes' condition
        (``PUBLISHED_PG``, ``PUBLISHED_SQLITE``), so they still serve it.
        """
        return self.moderation_state == "approved" and not self.safeguarding_flagged

    @is_published.inplace.expression
    @classmethod
    def _is_published_clause(cls):
        return and_(cls.moderation_state == "approved", cls.safeguarding_flagged.is_(False))


class SubmissionMixin(PublishedRule):
    """Columns common to ``ActionCard`` and ``FeedbackEntry``."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the receipt code; the code itself is shown once and never stored.
    receipt_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # One-time form token: a double submit or replay finds the first submission.
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    # Answer status ("you said, we did").
    status: Mapped[str] = mapped_column(String(20), default="received", index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_changed_at = mapped_column(UTCDateTime, nullable=True)

    # Moderation: nothing is published or quoted before approval.
    moderation_state: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    moderation_reason: Mapped[str | None] = mapped_column(Text)
    moderated_at = mapped_column(UTCDateTime, nullable=True)

    @declared_attr
    def moderated_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    # Safeguarding: the screen raises priority; a lead records the decision.
    safeguarding_flagged: Mapped[bool] = mapped_column(default=False, index=True)
    safeguarding_categories: Mapped[list | None] = mapped_column(db.JSON)
    safeguarding_outcome: Mapped[str | None] = mapped_column(String(20))
    safeguarding_note: Mapped[str | None] = mapped_column(Text)
    safeguarding_reviewed_at = mapped_column(UTCDateTime, nullable=True)
    # Its author erased it with the receipt code while it awaited the safeguarding
    # lead: it has left publication and analysis, and the lead's copy is deleted
    # by the retention purge once the lead has recorded what was done.
    erase_requested_at = mapped_column(UTCDateTime, nullable=True)

    @declared_attr
    def safeguarding_reviewed_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    # What raised it, kept at screening time for the lead's view (see
    # feedback/safeguarding_record.py): {"phrases": [{"category", "phrase",
    # "words"}], "reasons": [...]}, and the model's score (None without a model).
    safeguarding_trigger: Mapped[dict | None] = mapped_column(db.JSON)
    safeguarding_score: Mapped[float | None] = mapped_column(Float)
    # A moderator's referral to the lead: who, when and why.
    safeguarding_referral_reason: Mapped[str | None] = mapped_column(Text)
    safeguarding_referred_at = mapped_column(UTCDateTime, nullable=True)

    @declared_attr
    def safeguarding_referred_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    # The lead's choice after a no-concern or handled decision (keys of
    # SAFEGUARDING_RELEASES); a released item is no longer flagged.
    safeguarding_release: Mapped[str | None] = mapped_column(String(20))

    # Analysis results (compound sentiment -1..1), written by the analysis bridge.
    sentiment: Mapped[float | None] = mapped_column(Float)

    @declared_attr
    def service_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("service.id"), index=True)

    @declared_attr
    def area_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("area.id"), index=True)

    @declared_attr
    def moderated_by(cls):
        return relationship("User", foreign_keys=[cls.moderated_by_id])

    @declared_attr
    def safeguarding_reviewed_by(cls):
        return relationship("User", foreign_keys=[cls.safeguarding_reviewed_by_id])

    @declared_attr
    def safeguarding_referred_by(cls):
        return relationship("User", foreign_keys=[cls.safeguarding_referred_by_id])

    @declared_attr
    def service(cls):
        return relationship("Service")

    @declared_attr
    def area(cls):
        return relationship("Area")

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def current_label(self) -> str:
        """Where the item is now, in plain words (the one home of them, shown with the ``t``
        filter): the answer status once it has moved on; before that, what moderation did
        ("Approved, waiting for an answer"). An item flagged for safeguarding reads as
        received, whatever a moderator did."""
        if self.status != "received":
            return self.status_label
        if self.safeguarding_flagged:
            return WAITING_LABELS["pending"]
        return WAITING_LABELS.get(self.moderation_state, STATUSES["received"])
