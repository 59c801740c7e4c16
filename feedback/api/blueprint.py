"""The ``api`` blueprint object: the routes (``routes.py``) are added to it."""
from __future__ import annotations

from flask import Blueprint

PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=PREFIX)


def is_api_request(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


API_ERRORS = {
    400: ("bad_request", None),
    401: ("unauthorized", None),
    403: ("forbidden", "This token may not read this."),
    404: ("not_found", "There is nothing at this address: the tables are listed in "
                       "/api/v1/openapi.json."),
    405: ("method_not_allowed", "The API is read only: use GET."),
    413: ("too_large", "The request is too large."),
    429: ("too_many_requests", None),
    503: ("unavailable", "The service is unavailable: try again in a few minutes."),
}


def json_error(code: int, ref: str, error=None):
    """Every error under ``/api/v1/`` as JSON: what went wrong in words, never a page."""
    from flask import jsonify
    name, fixed = API_ERRORS.get(code, ("server_error", "Something went wrong on our side; "
                                                        "quote the reference if you report it."))
    message = fixed or getattr(error, "description", None) or name.replace("_", " ")
    response = jsonify(error=name, message=message, status=code, reference=ref)
    response.status_code = code
    if error is not None and hasattr(error, "get_headers"):
        for header, value in error.get_headers():
            if header.lower() in ("www-authenticate", "allow", "retry-after"):
                response.headers[header] = value
    return response
