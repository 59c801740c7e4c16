"""The ``inspections`` blueprint object. ``routes.py`` adds the pages to it."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("inspections", __name__)
