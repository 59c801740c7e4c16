"""The read-only open data API (/api/v1/): tokens, suppression, pagination, bad
input, CSV, the OpenAPI document and audit rows, through the HTTP client."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import timedelta

from tests.helpers import csrf_token
from tests.factories import make_cards, make_service


def _token(client, login_as, name="Power BI, commissioning"):
    login_as("admin")
    response = client.post("/admin/api-tokens", data={
        "csrf_token": csrf_token(client, "/admin/api-tokens"), "name": name})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    token = re.search(r"yv_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", html).group(0)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})
    return token


def _get(client, url, token):
    return client.get(url, headers={"Authorization": f"Bearer {token}"})


def _theme(db, label, cards, key):
    from feedback.models import Theme, ThemeAssignment
    theme = Theme(key=key, label=label)
    db.session.add(theme)
    db.session.flush()
    db.session.add_all([ThemeAssignment(theme_id=theme.id, card_id=c.id, confidence=0.9)
                        for c in cards])
    db.session.commit()
    return theme


def test_token_life_cycle_shown_once_hash_only_revoke_gives_401(client, login_as, db):
    from feedback.models import ApiToken, AuditEvent
    token = _token(client, login_as)
    row = db.session.execute(db.select(ApiToken)).scalar_one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {row.name, row.prefix, row.token_hash} and row.prefix in token
    assert row.scope == "read" and row.last_used_at is None
    ok = _get(client, "/api/v1/contracts", token)
    assert ok.status_code == 200 and ok.json["data"] == []
    login_as("admin")
    listing = client.get("/admin/api-tokens").get_data(as_text=True)
    assert "Power BI, commissioning" in listing and f"yv_{row.prefix}_" in listing
    assert token not in listing  # shown once, at creation only
    response = client.post(f"/admin/api-tokens/{row.id}/revoke",
                           data={"csrf_token": csrf_token(client, "/admin/api-tokens")})
    assert response.status_code == 302
    refused = _get(client, "/api/v1/contracts", token)
    assert refused.status_code == 401 and refused.is_json
    assert "revoked" in refused.json["message"] and refused.headers["WWW-Authenticate"]
    actions = [e.action for e in db.session.execute(db.select(AuditEvent)).scalars()]
    assert "api.token_created" in actions and "api.token_revoked" in actions


def test_missing_or_wrong_token_is_401_json(client, login_as, db):
    token = _token(client, login_as)
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": token},
                    {"Authorization": "Bearer " + token[:-1] + ("A" if token[-1] != "A" else "B")},
                    {"Authorization": "Basic " + token}):
        response = client.get("/api/v1/themes", headers=headers)
        assert response.status_code == 401 and response.is_json, headers
        assert response.json["error"] == "unauthorized"
    # A signed-in session is not a token.
    login_as("commissioner")
    assert client.get("/api/v1/themes").status_code == 401


def test_scope_is_read_only(client, login_as, db):
    from feedback.models import ApiToken
    token = _token(client, login_as)
    response = client.post("/api/v1/themes", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 405 and response.is_json and "read only" in response.json["message"]
    row = db.session.execute(db.select(ApiToken)).scalar_one()
    row.scope = "write"
    db.session.commit()
    assert _get(client, "/api/v1/themes", token).status_code == 401


def test_each_use_is_audited_at_most_once_a_minute(client, login_as, db, monkeypatch):
    from feedback import clock
    from feedback.models import ApiToken, AuditEvent
    token = _token(client, login_as)
    for _ in range(3):
        assert _get(client, "/api/v1/kpis", token).status_code == 200
    used = lambda: db.session.execute(db.select(AuditEvent).filter_by(action="api.used")).scalars().all()  # noqa: E731
    assert len(used()) == 1 and used()[0].detail["path"] == "/api/v1/kpis"
    later = clock.now() + timedelta(minutes=2)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert _get(client, "/api/v1/kpis", token).status_code == 200
    db.session.expire_all()
    assert len(used()) == 2
    assert db.session.execute(db.select(ApiToken)).scalar_one().last_used_at == later


def test_themes_and_counts_never_show_a_small_group(client, login_as, db):
    big = make_service(db, name="Counselling")
    small = make_service(db, name="Youth club")
    cards = (make_cards(db, big, per_topic=12, topics={"a": ["bus fares are high"]})
             + make_cards(db, small, per_topic=4, topics={"b": ["bus fares are too high"]}))
    theme = _theme(db, "Bus fares", cards, "A1")
    other = _theme(db, "Lift broken", make_cards(db, big, per_topic=20, topics={
        "c": ["the lift is broken"]}), "A2")
    tiny = _theme(db, "Rare worry", make_cards(db, big, per_topic=3, topics={
        "d": ["a rare worry"]}), "A3")
    token = _token(client, login_as)
    rows = {r["id"]: r for r in _get(client, "/api/v1/themes", token).json["data"]}
    assert rows[theme.id]["people"] == 16 and rows[other.id]["people"] == 20
    assert rows[tiny.id]["people"] is None and rows[tiny.id]["people_text"] == "fewer than 10"
    assert rows[theme.id]["label"] == "Bus fares" and rows[theme.id]["curated_name"] is None
    body = _get(client, "/api/v1/theme-counts?by=service", token).json
    cells = [c for c in body["data"] if c["theme_id"] == theme.id]
    assert {c["label"]: c["people_text"] for c in cells} == {
        "Counselling": "not shown", "Youth club": "fewer than 10"}
    assert all(c["people"] is None and c["suppressed"] for c in cells)
    # The shown total (16) less the shown cells leaves two unknowns: neither can be worked out.
    hidden = [c for c in cells if c["people"] is None]
    assert len(hidden) >= 2
    assert not any(c["theme_id"] == tiny.id for c in body["data"])  # a small theme: no breakdown
    assert "4" not in [str(c["people"]) for c in body["data"]]
    lift = [c for c in body["data"] if c["theme_id"] == other.id]
    assert [(c["label"], c["people"]) for c in lift] == [("Counselling", 20)]
    months = _get(client, "/api/v1/theme-counts?by=period", token).json["data"]
    assert sum(c["people"] for c in months if c["theme_id"] == other.id) == 20


def test_cohort_counts_protect_the_people_not_in_the_cohort(client, login_as, db):
    service = make_service(db)
    cards = (make_cards(db, service, per_topic=15, topics={"a": ["bus fares are high"]},
                        in_care=True)
             + make_cards(db, service, per_topic=3, topics={"b": ["bus fares are high too"]}))
    theme = _theme(db, "Bus fares", cards, "C1")
    token = _token(client, login_as)
    cells = {c["key"]: c for c in _get(client, "/api/v1/theme-counts?by=cohort", token).json["data"]
             if c["theme_id"] == theme.id}
    # 18 in the theme, 15 in care: showing 15 would tell that 3 are not in care.
    assert cells["in_care"]["people"] is None and cells["in_care"]["people_text"] == "not shown"
    assert cells["send"]["people"] == 0


def test_pagination_and_next_links(client, login_as, db):
    from tests.web.contracts_factories import make_contract
    for n in range(5):
        make_contract(db, reference=f"REF-{n:02d}")
    db.session.commit()
    token = _token(client, login_as)
    first = _get(client, "/api/v1/contracts?per_page=2", token).json
    assert [r["reference"] for r in first["data"]] == ["REF-00", "REF-01"]
    assert first["total"] == 5 and first["pages"] == 3 and first["links"]["prev"] is None
    second = _get(client, first["links"]["next"].replace("http://localhost", ""), token).json
    assert [r["reference"] for r in second["data"]] == ["REF-02", "REF-03"]
    last = _get(client, "/api/v1/contracts?per_page=2&page=3", token).json
    assert last["links"]["next"] is None and len(last["data"]) == 1
    assert _get(client, "/api/v1/contracts?page=9", token).json["data"] == []
    kpis = _get(client, "/api/v1/kpis?per_page=200", token).json
    assert kpis["total"] == 5 and kpis["data"][0]["target"] == 90.0


def test_bad_parameters_are_400_json(client, login_as, db):
    token = _token(client, login_as)
    for url in ("/api/v1/themes?per_page=201", "/api/v1/themes?per_page=0",
                "/api/v1/themes?page=-1", "/api/v1/themes?page=abc", "/api/v1/themes?period=ever",
                "/api/v1/themes?colour=red", "/api/v1/theme-counts", "/api/v1/theme-counts?by=x",
                "/api/v1/answers?kind=maybe", "/api/v1/answers?service=%00",
                "/api/v1/kpis?contract=99999999999999999999", "/api/v1/themes?format=xml",
                "/api/v1/themes.csv?format=json", "/api/v1/themes?page=1&page=2"):
        response = _get(client, url, token)
        assert response.status_code == 400 and response.is_json, url
        assert response.json["message"] and response.json["error"] == "bad_request", url
    missing = _get(client, "/api/v1/nothing", token)
    assert missing.status_code == 404 and missing.is_json


def test_answers_are_what_the_public_page_shows(client, login_as, db):
    from feedback.models import Response
    service = make_service(db)
    cards = make_cards(db, service, per_topic=3, topics={"a": ["=HYPERLINK(\"x\") please"]})
    cards[0].status, cards[0].status_changed_at = "done", cards[0].created_at
    cards[1].moderation_state = "pending"
    cards[1].status = "done"
    db.session.add(Response(card_id=cards[0].id, body="We changed the times."))
    db.session.commit()
    token = _token(client, login_as)
    data = _get(client, "/api/v1/answers", token).json["data"]
    assert [(r["card_id"], r["did"]) for r in data] == [(cards[0].id, "We changed the times.")]
    assert set(data[0]) == {"card_id", "kind", "service_id", "service", "theme", "said",
                            "status", "did", "reason", "answered_at"}  # no cohort data
    assert data[0]["theme"] is None  # no theme the public page may name: none given
    text = _get(client, "/api/v1/answers.csv", token).get_data(as_text=True)
    row = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1]
    assert row[5].startswith("'=HYPERLINK")  # through the one file sanitiser


def test_csv_endpoints_for_every_table(client, login_as, db):
    from feedback.api.tables import TABLES
    from tests.web.contracts_factories import make_contract
    make_contract(db, reference="=CMD|' /C calc'!A0")
    db.session.commit()
    token = _token(client, login_as)
    for name, spec in TABLES.items():
        suffix = "?by=service" if name == "theme-counts" else ""
        for url in (f"/api/v1/{name}.csv{suffix}",
                    f"/api/v1/{name}{suffix}{'&' if suffix else '?'}format=csv"):
            response = _get(client, url, token)
            assert response.status_code == 200 and response.mimetype == "text/csv", url
            rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
            assert rows[0] == spec.headers, url
    contracts = _get(client, "/api/v1/contracts.csv", token).get_data(as_text=True)
    assert "'=CMD" in contracts and "\n=CMD" not in contracts


def test_openapi_document_is_valid_and_complete(client, app):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json
    assert doc["openapi"].startswith("3.1") and doc["info"]["title"] and doc["paths"]
    server = doc["servers"][0]["url"]
    assert server.endswith("/api/v1")
    rules = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1")}
    documented = set(doc["paths"])
    served = set()
    from feedback.api.tables import TABLES
    for rule in rules:
        if "<any(" in rule:
            served |= {rule.split("<")[0][len("/api/v1"):] + name + rule.split(">")[1]
                       for name in TABLES}
        else:
            served.add(rule[len("/api/v1"):])
    assert documented == served
    for path, item in doc["paths"].items():
        operation = item["get"]
        assert operation["operationId"] and operation["responses"]["200"]
        for param in operation.get("parameters", []):
            assert param["in"] == "query" and param["schema"]["type"]
        for ref in re.findall(r'"\$ref": "#/components/([^"]+)"', str(item).replace("'", '"')):
            section, name = ref.split("/")
            assert name in doc["components"][section], ref
    token_free = client.get("/api/v1/themes")
    assert token_free.status_code == 401  # the document is public, the data is not


def test_openapi_row_schemas_match_what_is_served(client, login_as, db):
    from tests.web.contracts_factories import make_contract, make_review
    from feedback.models import KpiReturn
    contract = make_contract(db)
    review = make_review(db, contract)
    db.session.add(KpiReturn(review=review, kpi=contract.kpis[0], value=85, rag="amber"))
    db.session.commit()
    token = _token(client, login_as)
    doc = client.get("/api/v1/openapi.json").json
    for name in ("contracts", "kpis", "kpi-returns"):
        data = _get(client, f"/api/v1/{name}", token).json["data"]
        assert data, name
        schema = doc["components"]["schemas"][f"{name}-row"]
        assert set(data[0]) == set(schema["properties"]) == set(schema["required"]), name
    returns = _get(client, "/api/v1/kpi-returns", token).json["data"]
    assert returns[0]["rating"] == "amber" and returns[0]["value"] == 85.0
    assert returns[0]["period_start"] == "2026-01-01"  # ISO 8601, as Power BI reads dates


def test_rate_limited_per_token_with_json_429(make_app, login_as, db):
    app = make_app(RATE_LIMITS=True, API_RATE_LIMIT="3 per minute", RATELIMIT_STORAGE_URI="memory://")
    client = app.test_client()
    from feedback.api import tokens
    from feedback.models import User
    with app.app_context():
        admin = User(email="api-admin@example.org", name="Admin", password_hash="x")
        admin.set_roles(["admin"])
        from feedback.extensions import db as adb
        adb.session.add(admin)
        adb.session.commit()
        first = tokens.create_token("One", admin).token
        second = tokens.create_token("Two", admin).token
    codes = [_get(client, "/api/v1/kpis", first).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = _get(client, "/api/v1/kpis", first)
    assert limited.is_json and limited.json["error"] == "too_many_requests"
    assert _get(client, "/api/v1/kpis", second).status_code == 200  # per token


def test_an_independent_reader_works_out_no_hidden_cell(client, login_as, db):
    """The themes and each theme's cells by service, read as a reader with a
    calculator would (``tests.disclosure_reader``): nothing small shown, nothing hidden
    solvable from the totals the API gives."""
    from tests.disclosure_reader import Table, leaks
    services = [make_service(db, name=f"Service {n}") for n in range(4)]
    plan = {"T1": (12, 4, 15, 0), "T2": (9, 11, 10, 1), "T3": (30, 2, 2, 20)}
    themes = {}
    for key, sizes in plan.items():
        cards = [c for service, size in zip(services, sizes) if size
                 for c in make_cards(db, service, per_topic=size, topics={key: [f"{key} words"]})]
        themes[key] = _theme(db, key, cards, key)
    token = _token(client, login_as)
    shown = {r["id"]: r for r in _get(client, "/api/v1/themes", token).json["data"]}
    cells = _get(client, "/api/v1/theme-counts?by=service", token).json["data"]
    for key, sizes in plan.items():
        theme = themes[key]
        table = Table(key)
        table.cell(("total",), sum(sizes), shown[theme.id]["people_text"])
        got = {c["label"]: c["people_text"] for c in cells if c["theme_id"] == theme.id}
        for service, size in zip(services, sizes):
            if size:
                table.cell(("cell", service.name), size, got.get(service.name))
        table.sums.append((("total",), [("cell", s.name) for s, n in zip(services, sizes) if n]))
        assert leaks(table) == [], key
        assert any(c["people"] is None for c in cells if c["theme_id"] == theme.id), key


def test_tables_of_counts_are_kept_for_api_cache_seconds(make_app, db, monkeypatch):
    from feedback.api import services, tokens
    from feedback.models import ThemeAssignment, User
    monkeypatch.setattr(services, "_CACHE", {})
    app = make_app(API_CACHE_SECONDS=60)
    client = app.test_client()
    service = make_service(db)
    theme = _theme(db, "Bus fares", make_cards(db, service, per_topic=12, topics={
        "a": ["bus fares are high"]}), "K1")
    admin = User(email="cache-admin@example.org", name="Admin", password_hash="x")
    admin.set_roles(["admin"])
    db.session.add(admin)
    db.session.commit()
    token = tokens.create_token("Cache", admin).token
    people = lambda: {r["id"]: r["people"] for r in _get(client, "/api/v1/themes", token).json["data"]}  # noqa: E731
    assert people()[theme.id] == 12
    more = make_cards(db, service, per_topic=3, topics={"b": ["bus fares again"]})
    db.session.add_all([ThemeAssignment(theme_id=theme.id, card_id=c.id, confidence=0.9)
                        for c in more])
    db.session.commit()
    assert people()[theme.id] == 12  # kept for a minute
    assert _get(client, "/api/v1/contracts", token).json["total"] == 0  # registers are not kept
    services._CACHE.clear()
    assert people()[theme.id] == 15


def test_odd_values_in_every_parameter_get_json_never_a_500(client, login_as, db):
    from urllib.parse import quote

    from feedback.api.tables import COMMON, TABLES
    token = _token(client, login_as)
    odd = ["", " 5", "5 ", "1e3", "\uff15", "9" * 30, "-0", "0x10", "\u202e5", "%00", "null",
           "[]", "5&page=", "<script>", "\U0001f600", "a" * 2000]
    for name, spec in TABLES.items():
        for param in (*COMMON, *spec.params):
            for value in odd:
                url = f"/api/v1/{name}?{param}={quote(value)}"
                if name == "theme-counts" and param != "by":
                    url += "&by=service"
                response = _get(client, url, token)
                assert response.status_code in (200, 400) and response.is_json, url
