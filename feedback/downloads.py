"""Downloads: bytes sent as an attachment, never cached (see the security headers).

Every route that sends a file calls one of these, so the attachment header and caching are
decided once.
"""
from __future__ import annotations

import io

from flask import Response, send_file


def send_bytes(data: bytes, filename: str, mimetype: str):
    """A download: the bytes as an attachment named ``filename``."""
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=filename, max_age=0)


def json_download(body: bytes, filename: str) -> Response:
    """A JSON document as an attachment (a person's data export)."""
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
