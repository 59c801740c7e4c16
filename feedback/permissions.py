"""Roles, permission predicates and the guards that enforce them.

Predicates (``can_*``) are plain functions of a user and an object, usable in
services, templates and tests. Guards turn them into 403s in routes.
Young people and families have no accounts: their pages need no role.
An ``admin`` manages people and services but does not read children's words
unless also given a role that does (privacy by default).
"""
from __future__ import annotations

from functools import wraps

from flask import abort, url_for
from flask_login import current_user

ROLES = {
    "commissioner": "Commissioner",
    "moderator": "Moderator",
    "safeguarding_lead": "Safeguarding lead",
    "forum_rep": "Parent carer forum representative",
    "provider": "Provider",
    "admin": "Administrator",
}

# Who may read the original (unredacted) text of cards and feedback.
READ_ORIGINAL_TEXT = ("moderator", "safeguarding_lead")
# Who may see themed insight and answer cards.
INSIGHT_ROLES = ("commissioner",)
IMPORT_ROLES = ("forum_rep", "commissioner")


def has_role(user, *roles: str) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and user.has_role(*roles))


def role_required(*roles: str):
    """Route guard: signed-in staff holding one of ``roles``, else 302 to sign-in or 403."""
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
    return has_role(user, "safeguarding_lead")


def can_moderate(user) -> bool:
    return has_role(user, "moderator")


def can_view_insight(user) -> bool:
    return has_role(user, *INSIGHT_ROLES)


def can_manage_contracts(user) -> bool:
    return has_role(user, "commissioner")


def can_view_contract(user, contract) -> bool:
    """Commissioners see every contract; providers see their own organisation's, read-only."""
    if has_role(user, "commissioner"):
        return True
    return (has_role(user, "provider") and contract is not None
            and user.organisation_id is not None
            and contract.provider_id == user.organisation_id)


def can_view_forum_entry(user, entry) -> bool:
    """Forum reps see only their own forum's entries; commissioners see all."""
    if has_role(user, "commissioner", "moderator", "safeguarding_lead"):
        return True
    return (has_role(user, "forum_rep") and entry.forum_id is not None
            and entry.forum_id == user.organisation_id)


def can_administer(user) -> bool:
    return has_role(user, "admin")


# Staff navigation: (label, endpoint, roles allowed). Endpoints that are not
# registered (a feature not installed) are skipped.
NAVIGATION = (
    ("Home", "main.staff_home", None),
    ("Insight", "insight.dashboard", INSIGHT_ROLES),
    ("Your services", "provider.home", ("provider",)),
    ("Contracts", "contracts.register", ("commissioner", "provider")),
    ("Moderation", "cards.moderation_queue", ("moderator",)),
    ("Provider replies", "cards.reply_queue", ("moderator",)),
    ("Safeguarding", "cards.safeguarding_queue", ("safeguarding_lead",)),
    ("Held replies", "cards.held_replies", ("safeguarding_lead",)),
    ("Forum", "family.forum_home", ("forum_rep",)),
    ("Import", "family.import_upload", IMPORT_ROLES),
    ("People", "admin.users", ("admin",)),
    ("Services", "admin.services", ("admin",)),
    ("Open data API", "admin.api_tokens", ("admin",)),
    ("Your account", "account.home", None),
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
            items.append({"text": label, "href": href, "active": request.path == href})
    return items
