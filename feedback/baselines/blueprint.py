"""The ``baselines`` blueprint object; ``routes.py`` adds the upload and the
"who we are not hearing from" pages to it."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("baselines", __name__)
