"""The ``moderation`` blueprint object: the moderation queue (moderators) and the
safeguarding queue (safeguarding leads), in ``routes.py``."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("moderation", __name__)
