"""``/api/v1/``: read-only JSON and CSV tables for a bearer token, and the
OpenAPI document. Each route reads the query string, calls one service and
answers; every error is JSON (``security.py`` answers errors on ``/api/``)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import Response, abort, current_app, g, jsonify, request, url_for
from werkzeug.exceptions import Unauthorized

from .. import clock
from ..exports import to_csv
from ..extensions import csrf, limiter
from . import openapi, services, tokens
from .blueprint import bp
from .tables import TABLES, BadParameter, read_query

TABLE_NAMES = ", ".join(f"'{name}'" for name in TABLES)
csrf.exempt(bp)  # read-only GETs with a bearer token: no cookie, nothing to forge


def _limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def _limit_key() -> str:
    """Counted per token (a fingerprint of the whole token, so guesses at one token's
    secret never use up that token's allowance), else per client address."""
    key = tokens.limit_key(request.headers.get("Authorization"))
    return f"token:{key}" if key else f"addr:{request.remote_addr}"


api_limit = limiter.shared_limit(_limit, scope="api", key_func=_limit_key,
                                 error_message="Too many requests for this token: "
                                               "wait a minute, then try again.")


def _require_token():
    token = tokens.authenticate(request.headers.get("Authorization"), request.path)
    if token is None:
        raise Unauthorized("Send a valid token: Authorization: Bearer <token>. The token is "
                           "missing, wrong or revoked.",
                           www_authenticate='Bearer realm="api"')  # type: ignore[arg-type]
    g.api_token_id = token.id


def _json_value(value):
    """Dates and times in ISO 8601 (UTC for times), as Power BI and Excel read them."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _link(table: str, query, page: int) -> str:
    args = {k: v for k, v in request.args.items()}
    args["page"] = page
    return url_for("api.table", table=table, _external=True, **args)


def _answer(table: str, csv_path: bool):
    _require_token()
    try:
        query = read_query(table, request.args, csv_path=csv_path)
    except BadParameter as exc:
        abort(400, description=str(exc))
    page = services.table_page(query, current_app.config["API_CACHE_SECONDS"])
    spec = TABLES[table]
    if query.format == "csv":
        body = to_csv(spec.headers, ([row[h] for h in spec.headers] for row in page.rows))
        name = f"{table}-{clock.today():%Y-%m-%d}.csv"
        return Response(body, mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="{name}"'})
    return jsonify({
        "data": [{k: _json_value(v) for k, v in row.items()} for row in page.rows], "page": query.page, "per_page": query.per_page,
        "total": page.total, "pages": page.pages,
        "links": {"self": _link(table, query, query.page),
                  "next": _link(table, query, query.page + 1) if page.has_next else None,
                  "prev": _link(table, query, query.page - 1)
                  if 1 < query.page <= page.pages else None}})


@bp.get(f"/<any({TABLE_NAMES}):table>")
@api_limit
def table(table: str):
    return _answer(table, csv_path=False)


@bp.get(f"/<any({TABLE_NAMES}):table>.csv")
@api_limit
def table_csv(table: str):
    return _answer(table, csv_path=True)


@bp.get("/openapi.json")
@api_limit
def openapi_document():
    return jsonify(openapi.document(url_for("api.table", table="themes", _external=True)
                                    .rsplit("/", 1)[0]))
