"""The ``family`` blueprint object and small response helpers shared by its routes."""
from __future__ import annotations

import io

from flask import Blueprint, send_file

bp = Blueprint("family", __name__)


def send_bytes(data: bytes, filename: str, mimetype: str):
    """A download: the bytes as an attachment, never cached (see security headers)."""
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=filename, max_age=0)
