"""Ids that cannot name a row (2**63 and more, negative, huge) are "not found"
on every route with an id, public and staff, for every method: never a 500.

Routes are read from ``app.url_map`` (see tests/web/route_matrix.py for who
may use each), so a new route with an id is covered without editing this file.
The walk is signed in with every role, so no role guard answers first.
"""
from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from feedback.ids import MAX_ID, parse_id
from feedback.permissions import ROLES
from tests.helpers import csrf_token, sign_in

OUT_OF_RANGE = [str(2**63), str(2**64), "9" * 40, "-1", str(-(2**63) - 1), "00" + "9" * 30]


def id_routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, URL) for every rule with an id, each id out of range."""
    found = []
    for rule in app.url_map.iter_rules():
        ids = [n for n in rule.arguments if isinstance(rule._converters[n], IntegerConverter)]
        if not ids:
            continue
        for bad in OUT_OF_RANGE:
            url = rule.rule
            for name in rule.arguments:
                value = bad if name in ids else sorted(getattr(rule._converters[name], "items",
                                                               ["csv"]))[0]
                url = url.replace(f"<{name}>", value)
                for converter in ("int", "any"):
                    url = _fill(url, converter, name, value)
            found.extend((rule.endpoint, m, url) for m in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return found


def _fill(url: str, converter: str, name: str, value: str) -> str:
    start = url.find(f"<{converter}")
    while start != -1:
        end = url.index(">", start)
        if url[start:end].endswith(f":{name}"):
            return url[:start] + value + url[end + 1:]
        start = url.find(f"<{converter}", end)
    return url


def test_the_walk_finds_the_routes_with_ids(app):
    endpoints = {e for e, _, _ in id_routes(app)}
    assert len(endpoints) >= 25
    assert {"cards.service_cards", "cards.me_too", "insight.theme", "contracts.pack_docx",
            "admin.edit_user"} <= endpoints


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "every-role"])
def test_every_id_out_of_range_is_not_found(app, client, make_user, signed_in):
    if signed_in:
        assert sign_in(client, make_user(*ROLES, organisation="Ids forum")).status_code == 302
    token = csrf_token(client, "/staff" if signed_in else "/login")
    problems = []
    for endpoint, method, url in id_routes(app):
        data = {"csrf_token": token} if method != "GET" else None
        response = client.open(url, method=method, data=data)
        if response.status_code != 404:
            problems.append(f"{method} {url} ({endpoint}) -> {response.status_code}")
    assert not problems, "\n".join(problems)


QUERIES = "page={0}&service={0}&theme={0}&provider={0}&forum={0}&contract={0}"


@pytest.mark.parametrize("bad", [str(2**63), "-1", "9" * 40])
def test_ids_and_pages_out_of_range_in_the_query_string_are_ignored(app, client, make_user,
                                                                    bad):
    assert sign_in(client, make_user(*ROLES, organisation="Ids forum")).status_code == 302
    problems = []
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in rule.methods or rule.endpoint in ("auth.logout",):
            continue
        url = f"{rule.rule}?{QUERIES.format(bad)}"
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"GET {url} -> {response.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("value, expected", [
    ("1", 1), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("0", None), ("-1", None),
    ("", None), (None, None), ("1.5", None), ("١٢", None), (" 7 ", 7), ("9" * 40, None)])
def test_parse_id(value, expected):
    assert parse_id(value) == expected
