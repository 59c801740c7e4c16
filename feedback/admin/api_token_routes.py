"""Administrators' pages for open data API tokens: list, create (the token is
shown once) and revoke. The services are ``feedback.api.tokens``."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..api import tokens
from ..errors import show_on_form
from ..permissions import role_required
from .blueprint import bp
from .forms import ApiTokenForm, ConfirmForm


@bp.route("/api-tokens", methods=["GET", "POST"])
@role_required("admin")
def api_tokens():
    form = ApiTokenForm()
    if form.validate_on_submit():
        try:
            made = tokens.create_token(form.name.data, current_user)
        except tokens.TokenRefused as exc:
            show_on_form(form, exc)
        else:
            return render_template("admin/api_token_created.html", row=made.row, token=made.token)
    return render_template("admin/api_tokens.html", form=form, confirm=ConfirmForm(),
                           rows=tokens.list_tokens(current_user))


@bp.route("/api-tokens/<int:token_id>/revoke", methods=["POST"])
@role_required("admin")
def revoke_api_token(token_id: int):
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    row = tokens.revoke_token(token_id, current_user) or abort(404)
    flash(_("Revoked the token for %(name)s. It no longer works.", name=row.name), "success")
    return redirect(url_for("admin.api_tokens"))
