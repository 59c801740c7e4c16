"""The ``returns`` blueprint object; ``routes.py`` adds the return pages to it."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("returns", __name__)
