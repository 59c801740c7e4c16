"""The ``provider`` blueprint object; ``routes.py`` adds the provider's pages to it."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("provider", __name__)
