"""The ``cards`` blueprint object. The card journey and track page (``routes.py``) and the
public service pages and "me too" (``service_routes.py``) are added to it."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cards", __name__)
