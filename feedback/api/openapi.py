"""The OpenAPI 3.1 document of ``/api/v1/``, built from ``tables.TABLES`` so it
describes every table, parameter and column the routes serve."""
from __future__ import annotations

from .blueprint import PREFIX
from .tables import COMMON, DATE, DATETIME, PARAMS, TABLES

ERROR = {"$ref": "#/components/responses/Error"}


def _schema(kind: str, nullable: bool) -> dict:
    base = {"type": "string", "format": kind} if kind in (DATE, DATETIME) else {"type": kind}
    if nullable:
        base = {**base, "type": [base["type"], "null"]}
    return base


def _parameters(names) -> list[dict]:
    return [{"name": n, "in": "query", "required": n == "by", "schema": PARAMS[n][0],
             "description": PARAMS[n][1]} for n in names]


def _operation(table, csv: bool) -> dict:
    params = [p for p in (*COMMON, *table.params) if not (csv and p == "format")]
    ok = ({"text/csv": {"schema": {"type": "string"}}} if csv else
          {"application/json": {"schema": {"$ref": f"#/components/schemas/{table.name}-page"}},
           "text/csv": {"schema": {"type": "string"}}})
    return {"get": {
        "summary": table.summary + (" As CSV." if csv else ""),
        "operationId": table.name.replace("-", "_") + ("_csv" if csv else ""),
        "parameters": _parameters(params),
        "responses": {"200": {"description": "The rows asked for.", "content": ok},
                      "400": ERROR, "401": ERROR, "429": ERROR}}}


def document(server: str) -> dict:
    """The whole document; ``server`` is the API's base address (``.../api/v1``)."""
    paths = {f"/{name}": _operation(t, False) for name, t in TABLES.items()}
    paths.update({f"/{name}.csv": _operation(t, True) for name, t in TABLES.items()})
    paths["/openapi.json"] = {"get": {
        "summary": "This document.", "operationId": "openapi", "security": [],
        "responses": {"200": {"description": "OpenAPI 3.1",
                              "content": {"application/json": {"schema": {"type": "object"}}}}}}}
    schemas = {}
    for name, t in TABLES.items():
        schemas[f"{name}-row"] = {
            "type": "object", "required": t.headers, "additionalProperties": False,
            "properties": {c: _schema(kind, null) for c, kind, null in t.columns}}
        schemas[f"{name}-page"] = {
            "type": "object", "required": ["data", "page", "per_page", "total", "pages", "links"],
            "properties": {
                "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}-row"}},
                "page": {"type": "integer"}, "per_page": {"type": "integer"},
                "total": {"type": "integer"}, "pages": {"type": "integer"},
                "links": {"$ref": "#/components/schemas/links"}}}
    schemas["links"] = {"type": "object", "required": ["self", "next", "prev"], "properties": {
        "self": {"type": "string"}, "next": {"type": ["string", "null"]},
        "prev": {"type": ["string", "null"]}}}
    schemas["error"] = {"type": "object", "required": ["error", "message", "status"],
                        "properties": {"error": {"type": "string"},
                                       "message": {"type": "string"},
                                       "status": {"type": "integer"},
                                       "reference": {"type": "string"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Your Voice, Our Contracts open data API", "version": "1.0.0",
                 "description": "Read-only. Every count is suppressed as on the pages: a group "
                                "of fewer than 10 people is never shown, nor any cell that "
                                "would let one be worked out (people is null and people_text "
                                "says why). Send Authorization: Bearer <token>."},
        "servers": [{"url": server}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "A token an administrator created "
                                                          "for your system."}},
            "schemas": schemas,
            "responses": {"Error": {"description": "What went wrong, in words.", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/error"}}}}}},
    }


__all__ = ["PREFIX", "document"]
