"""The ``admin`` blueprint object: routes for people (``routes.py``), services
(``service_routes.py``) and the purge command (``cli.py``) are added to it."""
from __future__ import annotations

from flask import Blueprint

# cli_group=None: the purge command is `flask --app wsgi purge`, not `flask admin purge`.
bp = Blueprint("admin", __name__, url_prefix="/admin", cli_group=None)
