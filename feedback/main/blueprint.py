"""The ``main`` blueprint object: front pages, the staff home, help and the health check (``routes.py``)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("main", __name__)
