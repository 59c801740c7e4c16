"""The ``auth`` blueprint object: sign-in, two-factor sign-in and sign-out (``routes.py``)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)
