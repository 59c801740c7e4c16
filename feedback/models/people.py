"""Organisations, staff users and their roles."""
from __future__ import annotations

import secrets

from flask_login import UserMixin
from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.sql.expression import false as sa_false
from sqlalchemy.sql.expression import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

ORGANISATION_KINDS = {
    "council": "Council",
    "nhs_board": "NHS integrated care board",
    "provider": "Service provider",
    "parent_carer_forum": "Parent carer forum",
    "youth_group": "Youth group",
}


class Organisation(db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    users = relationship("User", back_populates="organisation")

    @property
    def kind_label(self) -> str:
        return ORGANISATION_KINDS.get(self.kind, self.kind)

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"


class UserRole(db.Model):
    """One role held by one user. Roles are listed in ``permissions.ROLES``."""

    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40), index=True)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    """A member of staff (commissioner, moderator, forum rep ...).

    Young people and families never have accounts. ``session_token`` is part of
    the identity kept in the signed session cookie: rotating it (at sign-out,
    password change or deactivation) makes every earlier cookie worthless.
    """

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at = mapped_column(UTCDateTime, nullable=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    failed_logins: Mapped[int] = mapped_column(default=0)
    # Kept for old rows and the staff data export; no longer set: sign-in failures
    # slow down one email and client pair (SignInThrottle), never the whole account.
    locked_until = mapped_column(UTCDateTime, nullable=True)
    # Set when an administrator chose the password: it must be changed at first sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # Two-factor sign-in (TOTP) for staff.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(default=False)
    recovery_codes: Mapped[list | None] = mapped_column(db.JSON)  # hashes only
    # The last TOTP time step accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(db.BigInteger)
    # The daily digest of what waits for them (feedback/digest.py): on unless turned off;
    # the UK date it was last sent, so it goes at most once a day.
    digest_enabled: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    digest_sent_on = mapped_column(Date, nullable=True)

    organisation = relationship("Organisation", back_populates="users")
    role_rows = relationship("UserRole", cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(r.role for r in self.role_rows)

    def set_roles(self, roles) -> None:
        wanted = set(roles)
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        have = {r.role for r in self.role_rows}
        for role in sorted(wanted - have):
            self.role_rows.append(UserRole(role=role))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_active(self) -> bool:  # Flask-Login
        return bool(self.active)

    def get_id(self) -> str:  # Flask-Login: identity + session token
        return f"{self.id}:{self.session_token}"

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.email!r}>"


class SignInThrottle(db.Model):
    """Failed sign-ins of one email address from one client, for growing delays.

    ``pair`` is a keyed hash (HMAC-SHA256 with the app's secret key) of the email
    and the client address together: neither is stored. Rows are kept a day
    after their last failure (see ``auth.throttle``).
    """

    __tablename__ = "sign_in_throttle"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair: Mapped[str] = mapped_column(String(64), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at = mapped_column(UTCDateTime, nullable=False, index=True)
