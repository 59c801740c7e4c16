"""The participation team's list of young people to reach "through my worker"."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from ..permissions import role_required
from . import contacts
from .blueprint import bp


@bp.route("/moderation/worker-contacts")
@role_required(*contacts.ROLES)
def worker_contacts():
    page = request.args.get("page", 1, type=int) or 1
    return render_template("moderation/worker_contacts.html",
                           page=contacts.worker_contacts(current_user._get_current_object(),
                                                         min(max(page, 1), 100_000)))
