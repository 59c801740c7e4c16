"""The ``ratification`` blueprint object; ``routes.py`` adds the youth panel pages to it."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("ratification", __name__)
