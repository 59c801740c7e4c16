"""Every route, every role: 200/302/403 exactly as ``route_matrix.MATRIX`` says."""
from __future__ import annotations

import pytest

from feedback.permissions import ROLES
from tests.helpers import csrf_token
from tests.web.route_matrix import ANY_STAFF, MATRIX, OK_GET, OK_POST, PUBLIC

WHO = ["anonymous", *ROLES]


def test_every_endpoint_has_a_matrix_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    missing = sorted(endpoints - set(MATRIX))
    assert not missing, f"routes without a role x URL entry: {missing}"
    stale = sorted(set(MATRIX) - endpoints)
    assert not stale, f"matrix entries for routes that do not exist: {stale}"


def _expected(entry: dict, who: str) -> tuple[int, ...]:
    method = entry.get("method", "GET")
    ok = entry.get("ok") or (OK_GET if method == "GET" else OK_POST)
    allowed = entry["allowed"]
    if allowed == PUBLIC:
        if who != "anonymous" and "signed_in_ok" in entry:
            return entry["signed_in_ok"]
        return ok
    if who == "anonymous":
        return (302,)
    if allowed == ANY_STAFF or who in allowed:
        return entry.get("ok_for", {}).get(who, ok)
    return (403,)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_role_can_or_cannot_use_route(app, client, login_as, endpoint, who):
    entry = MATRIX[endpoint]
    url = entry["url"](app) if callable(entry["url"]) else entry["url"]
    if who != "anonymous":
        login_as(who, organisation=entry.get("organisation"))
    method = entry.get("method", "GET")
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_token(client, "/login" if who == "anonymous" else "/staff")
        response = client.post(url, data={"csrf_token": token, **entry.get("data", {})})
    expected = _expected(entry, who)
    assert response.status_code in expected, (
        f"{who} {method} {url}: got {response.status_code}, expected {expected}")
    if response.status_code == 302 and who == "anonymous" and entry["allowed"] != PUBLIC:
        assert "/login" in response.headers["Location"]
