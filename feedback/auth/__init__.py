"""Staff sign-in: Flask-Login wiring. Routes in ``routes``, rules in ``services``."""
from __future__ import annotations


def configure_login(login_manager) -> None:
    from ..extensions import db
    from ..models import User

    login_manager.login_view = "auth.login"
    from flask_babel import gettext

    from ..i18n import N_

    login_manager.login_message = N_("Sign in to see this page.")
    login_manager.localize_callback = gettext
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(identity: str):
        """Accept the cookie only if its session token is the user's current one."""
        user_id, _, token = (identity or "").partition(":")
        if not user_id.isdigit() or not token:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or user.session_token != token:
            return None
        return user
