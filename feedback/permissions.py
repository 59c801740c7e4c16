"""Roles, permission predicates and the guards that enforce them.

Predicates (``can_*``) are plain functions of a user and an object, usable in
services, templates and tests. Guards turn them into 403s in routes.
Young people and families have no accounts: their pages need no role.
An ``admin`` manages people and services but does not read children's words
unless also given a role that does (privacy by default).
"""
from __future__ import annotations

from enum import StrEnum
from functools import wraps

from flask import abort, url_for
from flask_login import current_user

from .i18n import N_

class Role(StrEnum):
    """A staff role. The value is the string stored in ``user_role.role`` (no migration when
    a role is renamed in code; a new value needs one only if a constraint lists them)."""

    COMMISSIONER = "commissioner"
    MODERATOR = "moderator"
    SAFEGUARDING_LEAD = "safeguarding_lead"
    FORUM_REP = "forum_rep"
    PROVIDER = "provider"
    PARTICIPATION_WORKER = "participation_worker"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Role.COMMISSIONER: N_("Commissioner"),
    Role.MODERATOR: N_("Moderator"),
    Role.SAFEGUARDING_LEAD: N_("Safeguarding lead"),
    Role.FORUM_REP: N_("Parent carer forum representative"),
    Role.PROVIDER: N_("Provider"),
    Role.PARTICIPATION_WORKER: N_("Participation worker"),
    Role.ADMIN: N_("Administrator"),
}
# Every role and its label, in the order forms list them (keys are ``Role``, equal to the strings).
# The labels are English (marked with ``N_``); pages translate them where they show them.
ROLES: dict[Role, str] = {role: role.label for role in Role}

# Who may read the original (unredacted) text of cards and feedback.
READ_ORIGINAL_TEXT = (Role.MODERATOR, Role.SAFEGUARDING_LEAD)
# Who may see themed insight and answer cards.
INSIGHT_ROLES = (Role.COMMISSIONER,)
# Providers import the feedback they collect themselves (kept as "collected by" them).
IMPORT_ROLES = (Role.FORUM_REP, Role.COMMISSIONER, Role.PROVIDER)
# Who may record youth panel sessions and what young people said (commissioners see them too).
PANEL_ROLES = (Role.PARTICIPATION_WORKER, Role.COMMISSIONER)


def known_roles(roles) -> tuple[Role, ...]:
    """``roles`` as ``Role`` members; a name that is no role raises ``ValueError`` (a typo in a
    guard fails when the module is imported, not by quietly refusing everyone)."""
    return tuple(Role(role) for role in roles)


def has_role(user, *roles: str) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and user.has_role(*roles))


def role_required(*roles: str):
    """Route guard: signed-in staff holding one of ``roles``, else 302 to sign-in or 403."""
    roles = known_roles(roles)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from .extensions import login_manager
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)
        wrapped.required_roles = roles
        return wrapped
    return decorator


def staff_required(view):
    """Route guard: any signed-in member of staff."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            from .extensions import login_manager
            return login_manager.unauthorized()
        return view(*args, **kwargs)
    wrapped.required_roles = ()
    return wrapped


def can_read_original_text(user) -> bool:
    return has_role(user, *READ_ORIGINAL_TEXT)


def can_view_safeguarding(user) -> bool:
    return has_role(user, Role.SAFEGUARDING_LEAD)


def can_moderate(user) -> bool:
    return has_role(user, Role.MODERATOR)


def can_view_insight(user) -> bool:
    return has_role(user, *INSIGHT_ROLES)


def can_manage_contracts(user) -> bool:
    return has_role(user, Role.COMMISSIONER)


def can_view_contract(user, contract) -> bool:
    """Commissioners see every contract; providers see their own organisation's, read-only."""
    if has_role(user, Role.COMMISSIONER):
        return True
    return (has_role(user, Role.PROVIDER) and contract is not None
            and user.organisation_id is not None
            and contract.provider_id == user.organisation_id)


def can_view_forum_entry(user, entry) -> bool:
    """Forum reps see only their own forum's entries; commissioners see all."""
    if has_role(user, Role.COMMISSIONER, Role.MODERATOR, Role.SAFEGUARDING_LEAD):
        return True
    return (has_role(user, Role.FORUM_REP) and entry.forum_id is not None
            and entry.forum_id == user.organisation_id)


def can_administer(user) -> bool:
    return has_role(user, Role.ADMIN)


def can_record_panel(user) -> bool:
    return has_role(user, *PANEL_ROLES)


def can_waive_panel(user) -> bool:
    """Only a commissioner records why no youth panel could check a period."""
    return has_role(user, Role.COMMISSIONER)


# Young Inspectors' reports (feedback/inspections): who records them, who edits the standards,
# who reads them (a provider reads only reports on its own organisation's services).
INSPECTION_ROLES = (Role.PARTICIPATION_WORKER,)
STANDARDS_ROLES = (Role.PARTICIPATION_WORKER, Role.ADMIN)
INSPECTION_READERS = (Role.PARTICIPATION_WORKER, Role.COMMISSIONER)


def can_record_inspections(user) -> bool:
    return has_role(user, *INSPECTION_ROLES)


def can_edit_standards(user) -> bool:
    return has_role(user, *STANDARDS_ROLES)


def can_view_inspection(user, inspection) -> bool:
    if has_role(user, *INSPECTION_READERS):
        return True
    return (has_role(user, Role.PROVIDER) and inspection is not None
            and user.organisation_id is not None and inspection.service is not None
            and inspection.service.provider_id == user.organisation_id)


# Staff navigation: (label, endpoint, roles allowed). Endpoints that are not
# registered (a feature not installed) are skipped. ``nav_for`` translates the labels.
NAVIGATION = (
    (N_("Home"), "main.staff_home", None),
    (N_("Insight"), "insight.dashboard", INSIGHT_ROLES),
    (N_("Your services"), "provider.home", (Role.PROVIDER,)),
    (N_("Contracts"), "contracts.register", (Role.COMMISSIONER, Role.PROVIDER)),
    (N_("Returns"), "returns.index", (Role.COMMISSIONER, Role.PROVIDER)),
    (N_("Moderation"), "moderation.moderation_queue", (Role.MODERATOR,)),
    (N_("Provider replies"), "moderation.reply_queue", (Role.MODERATOR,)),
    (N_("Safeguarding"), "moderation.safeguarding_queue", (Role.SAFEGUARDING_LEAD,)),
    (N_("Held replies"), "moderation.held_replies", (Role.SAFEGUARDING_LEAD,)),
    (N_("Worker contacts"), "moderation.worker_contacts",
     (Role.MODERATOR, Role.PARTICIPATION_WORKER)),
    (N_("Forum"), "family.forum_home", (Role.FORUM_REP,)),
    (N_("Import"), "family.import_upload", IMPORT_ROLES),
    (N_("Youth panel"), "ratification.home", PANEL_ROLES),
    (N_("People"), "admin.users", (Role.ADMIN,)),
    (N_("Services"), "admin.services", (Role.ADMIN,)),
    (N_("Open data API"), "admin.api_tokens", (Role.ADMIN,)),
    (N_("Population baselines"), "baselines.upload", (Role.ADMIN,)),
    (N_("Young Inspectors"), "inspections.index", INSPECTION_READERS),
    (N_("Inspection standards"), "inspections.standards", (Role.ADMIN,)),
    (N_("Your account"), "account.home", None),
)


# Navigation for young people and families (no account).
PUBLIC_NAVIGATION = (
    ("Action cards", "cards.start"),
    ("Give feedback", "family.feedback_start"),
    ("Check your card or feedback", "cards.track"),
    ("You said, we did", "insight.you_said_we_did"),
)


def nav_for(user) -> list[dict]:
    """Menu items ``user`` may use; ``None`` gives the public menu."""
    from flask import current_app, request
    from flask_babel import gettext

    endpoints = current_app.view_functions
    if user is None:
        entries = [(label, endpoint, None) for label, endpoint in PUBLIC_NAVIGATION]
    else:
        entries = NAVIGATION
    items = []
    for label, endpoint, roles in entries:
        if endpoint not in endpoints:
            continue
        if roles is None or user.has_role(*roles):
            href = url_for(endpoint)
            # The public menu is translated by the page (base.html's ``translate_nav``).
            text = label if user is None else gettext(label)
            items.append({"text": text, "href": href, "active": request.path == href})
    return items
