"""The ``family`` blueprint object: family feedback and forum pages (``routes.py``) and bulk
imports (``imports_routes.py``) are added to it."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("family", __name__)
