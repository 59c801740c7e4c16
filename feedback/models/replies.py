"""A provider's public reply to a published action card or feedback entry.

A reply is text like any other: ``body`` is exactly what the provider wrote
(seen by moderators and safeguarding leads only), ``body_redacted`` is what may
be published once a moderator approves it. The safeguarding screen can hold it
for the lead. It is published by the same rule as cards (``is_published``).
A reply is not an answer: the answer status stays the commissioner's.
"""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .submissions import PublishedRule

# The longest reply a provider may write (in characters).
MAX_REPLY = 2000


class ProviderReply(PublishedRule, db.Model):
    __tablename__ = "provider_reply"
    __table_args__ = (
        CheckConstraint("(card_id IS NULL) <> (feedback_entry_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_card.id", ondelete="CASCADE"), index=True)
    feedback_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback_entry.id", ondelete="CASCADE"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    body_redacted: Mapped[str | None] = mapped_column(Text)
    # The name shown under the reply when its author chose to sign it; else "The provider".
    signed_name: Mapped[str | None] = mapped_column(String(200))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)

    moderation_state: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    moderation_reason: Mapped[str | None] = mapped_column(Text)
    moderated_at = mapped_column(UTCDateTime, nullable=True)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    safeguarding_flagged: Mapped[bool] = mapped_column(default=False, index=True)
    safeguarding_categories: Mapped[list | None] = mapped_column(db.JSON)
    # The lead's decision on a held reply: "released" (back to moderation) or "private".
    safeguarding_outcome: Mapped[str | None] = mapped_column(String(20))
    safeguarding_reviewed_at = mapped_column(UTCDateTime, nullable=True)
    safeguarding_reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))

    card = relationship("ActionCard", backref=db.backref(
        "provider_replies", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ProviderReply.created_at"))
    feedback_entry = relationship("FeedbackEntry", backref=db.backref(
        "provider_replies", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ProviderReply.created_at"))
    provider = relationship("Organisation")
    author = relationship("User", foreign_keys=[author_id])

    @property
    def kind(self) -> str:
        return "card" if self.card_id is not None else "feedback"

    @property
    def subject(self):
        return self.card if self.card_id is not None else self.feedback_entry

    @property
    def signed_as(self) -> str:
        """How the reply is signed in public: the role, or the name its author chose to give
        (in the page's language: public pages show it under the reply)."""
        if self.signed_name:
            return gettext("%(name)s, for the provider", name=self.signed_name)
        return gettext("The provider")
