"""Every route of the app, anonymous and signed in, sends the security headers,
whatever it answers (200, redirect, 400, 403, 404, 405, 429 ...), and none
answers 500.

Routes are read from ``app.url_map`` (a new route is covered without editing
this file). URL parameters are filled with the id of a row that exists (the
demo data, small) and with an id that does not; ``any(...)`` converters with
each choice. Every method a rule accepts is used: POSTs once with a valid CSRF
token and no data, once with no token.
"""
from __future__ import annotations

import itertools

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter, PathConverter

from feedback.permissions import ROLES
from tests.helpers import csrf_token, sign_in

HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=()",
}
MISSING_ID = 987654
# Server errors this walk found in routes whose owners are still changing them
# (see docs/security.md, "Findings"). Strict: an entry that stops failing makes
# the test fail until it is removed, so the list only shrinks.
KNOWN_500S: dict[str, str] = {}
# Sign-out is walked last, so the signed-in walk stays signed in until then.
LAST = ("auth.logout",)


def _values(rule, name) -> list[str]:
    converter = rule._converters[name]
    if isinstance(converter, IntegerConverter):
        return ["1", str(MISSING_ID)]
    if isinstance(converter, AnyConverter):
        return list(converter.items)
    if isinstance(converter, PathConverter):
        return ["dist/app.css", "no/such/file.txt"]
    return ["csv", "no-such-thing"]


def urls(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every rule, parameters filled every way above."""
    found = []
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint in LAST, r.endpoint))
    for rule in rules:
        names = sorted(rule.arguments)
        combos = itertools.product(*[_values(rule, n) for n in names]) if names else [()]
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for combo in combos:
            with app.test_request_context():
                from flask import url_for
                url = url_for(rule.endpoint, **dict(zip(names, combo)))
            found.extend((rule.endpoint, method, url) for method in methods)
    return found


def _seed(app) -> None:
    from feedback.demo.seed import seed_demo
    from feedback.extensions import db
    with app.app_context():
        seed_demo("a-long-demo-password-for-tests-2026", n_cards=40, n_feedback=40)
        db.session.remove()


def _walk(app, client, token_from: str) -> list[str]:
    problems, known_seen = [], set()
    for endpoint, method, url in urls(app):
        if method == "GET":
            responses = [client.get(url)]
        else:
            token = csrf_token(client, token_from)
            responses = [client.open(url, method=method, data={"csrf_token": token}),
                         client.open(url, method=method, data={})]
        for response in responses:
            for name, must_contain in HEADERS.items():
                if must_contain not in response.headers.get(name, ""):
                    problems.append(f"{method} {url} ({endpoint}) -> {response.status_code}: "
                                    f"{name} missing or wrong")
            if not url.startswith("/static/") and response.headers.get("Cache-Control") != "no-store":
                problems.append(f"{method} {url} -> {response.status_code}: Cache-Control")
            if response.status_code >= 500 and endpoint != "main.healthz":
                if f"{method} {endpoint}" in KNOWN_500S:
                    known_seen.add(f"{method} {endpoint}")
                else:
                    problems.append(f"{method} {url} ({endpoint}) -> {response.status_code}")
            response.close()  # static files are streamed from an open file
    _wait_for_background_runs()
    return problems + [f"{k} no longer fails: remove it from KNOWN_500S"
                       for k in set(KNOWN_500S) - known_seen
                       if token_from == "/staff"]


def _wait_for_background_runs() -> None:
    """A POST to the analysis runs page starts a thread; let it end with the test."""
    from feedback import tasks
    for run_id in list(getattr(tasks, "_THREADS", {})):
        tasks.wait(run_id, timeout=120)


@pytest.mark.slow
def test_every_route_sends_security_headers_anonymous(app, client):
    _seed(app)
    problems = _walk(app, client, "/login")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_every_route_sends_security_headers_signed_in(app, client, make_user):
    _seed(app)
    user = make_user(*ROLES, organisation="Headers forum")
    assert sign_in(client, user).status_code == 302
    problems = _walk(app, client, "/staff")
    assert not problems, "\n".join(problems)


def test_the_walk_covers_every_endpoint(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    walked = {endpoint for endpoint, _, _ in urls(app)}
    assert walked == endpoints
