"""Public front pages, the staff home, help, and the health check."""
from __future__ import annotations

from flask import current_app, jsonify, render_template

from ..extensions import csrf
from ..permissions import staff_required
from .health import health
from .blueprint import bp


@bp.route("/")
def index():
    return render_template("main/index.html")


@bp.route("/staff")
@staff_required
def staff_home():
    return render_template("main/staff_home.html")


@bp.route("/help")
def help_now():
    return render_template("main/help.html")


@bp.route("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/privacy")
def privacy():
    return render_template("main/privacy.html")


@bp.route("/healthz")
@csrf.exempt
def healthz():
    state = health(current_app.config.get("REDIS_URL"))
    return jsonify(state), (200 if state["status"] == "ok" else 503)
