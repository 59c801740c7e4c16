"""Where a public journey's answers and its one-time receipt code wait between pages.

The session cookie holds only a random key; the row is found by the key's
SHA-256, so a copy of the table gives nobody a usable cookie. Rows expire
(``expires_at``) and are deleted by the retention purge and whenever a new
journey starts.
"""
from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class JourneyState(db.Model):
    __tablename__ = "journey_state"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the session key
    data: Mapped[dict] = mapped_column(db.JSON)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at = mapped_column(UTCDateTime, nullable=False, index=True)
