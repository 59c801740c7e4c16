"""The ``account`` blueprint object: a member of staff's own account and two-factor set-up (``routes.py``)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")
