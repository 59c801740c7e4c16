"""Every page, for every role, at 320 px and 1280 px, checked by axe-core.

Demo data (small counts, made by the seed service) fills the pages. Each GET
route in the app's URL map is visited with real ids from that data, as
anonymous and as each of the six roles; POST-only routes are covered by the
pages whose forms post to them, and their error states by submitting each
form empty once. A page that answers 403 for a role is skipped for that role
after the 403 page itself has been checked once. axe runs the WCAG 2.0, 2.1
and 2.2 A and AA rules; every violation is collected, then the test fails
with a readable list. Downloads (CSV, XLSX, DOCX, JSON) are not pages.
"""
from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import axe_check

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROLES = ("anonymous", "commissioner", "moderator", "safeguarding_lead", "forum_rep", "provider",
         "admin")
WIDTHS = (320, 1280)
PASSWORD = "crawl-demo-password-2026-long"
NOT_PAGES = re.compile(r"(\.(csv|xlsx|docx|json)$|\.<|/export|/healthz|/logout|/static/)")


def _seed(app) -> dict:
    from feedback.demo.seed import seed_demo
    from feedback.extensions import db
    from feedback import models as m
    with app.app_context():
        seed_demo(PASSWORD, n_cards=40, n_feedback=30)

        def first(model, *where):
            query = db.select(model.id)
            for clause in where:
                query = query.where(clause)
            return db.session.execute(query.order_by(model.id).limit(1)).scalar()
        ids = {
            "user_id": first(m.User), "service_id": first(m.Service),
            "contract_id": first(m.Contract), "review_id": first(m.ContractReview),
            "action_id": first(m.ReviewAction) if hasattr(m, "ReviewAction") else None,
            "card_id": first(m.ActionCard), "entry_id": first(m.FeedbackEntry),
            "theme_id": first(m.Theme), "batch_id": first(m.ImportBatch),
            "item_id": first(m.ActionCard), "kind": "card",
        }
    return {k: v for k, v in ids.items() if v is not None}


def _urls(app, ids: dict) -> list[str]:
    from flask import url_for
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or NOT_PAGES.search(rule.rule):
                continue
            if not set(rule.arguments) <= set(ids):
                continue
            urls.append(url_for(rule.endpoint, **{a: ids[a] for a in rule.arguments}))
    return sorted(set(urls))


def _sign_in(context, base: str, role: str) -> None:
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("#email", f"{role}@demo.invalid")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in'), input[type=submit]")
    page.wait_for_load_state()
    page.close()


def test_every_page_for_every_role_meets_wcag_22_aa(app, live_server, browser):
    ids = _seed(app)
    urls = _urls(app, ids)
    assert len(urls) > 30, urls
    problems: list[str] = []
    checked, seen_403 = 0, False
    for role in ROLES:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        if role != "anonymous":
            _sign_in(context, live_server, role)
        page = context.new_page()
        page.set_default_timeout(20_000)
        for url in urls:
            response = page.goto(live_server + url)
            status = response.status if response else 0
            if status >= 500:
                problems.append(f"{role} {url}: HTTP {status}")
                continue
            if status == 403 and seen_403:
                continue
            seen_403 = seen_403 or status == 403
            if "html" not in (response.headers.get("content-type") or ""):
                continue
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                for v in axe_check(page):
                    problems.append(f"{role} {url} @{width}px: {v['id']} ({v['impact']}) "
                                    f"{v['help']} {json.dumps(v['nodes'])}")
                checked += 1
            page.set_viewport_size({"width": 1280, "height": 900})
            if role != "anonymous" and page.url.rstrip("/").endswith("/login"):
                problems.append(f"{role} {url}: signed out unexpectedly")
        _error_states(page, live_server, role, urls, problems)
        context.close()
    print(f"\naccessibility crawl: {checked} page views checked, {len(urls)} routes, "
          f"{len(ROLES)} roles")
    assert not problems, f"{len(problems)} accessibility problems:\n" + "\n".join(sorted(set(problems)))


def _error_states(page, base: str, role: str, urls: list[str], problems: list[str]) -> None:
    """Submit each page's first form empty once: the error summary must be accessible too."""
    for url in urls:
        if any(word in url for word in ("/erase", "/delete", "/logout", "/me-too", "/hold")):
            continue
        response = page.goto(base + url)
        if not response or response.status != 200:
            continue
        button = page.locator("main form[method=post] button[type=submit], "
                              "main form[method=post] input[type=submit]").first
        if button.count() == 0 or "login" in url and role != "anonymous":
            continue
        page.evaluate("""() => { const f = document.querySelector('main form[method=post]');
            if (!f) return; f.noValidate = true;
            f.querySelectorAll('textarea, input[type=text], input[type=email]').forEach(e => e.value = '');
        }""")
        button.click()
        page.wait_for_load_state()
        if "govuk-error-summary" not in page.content():
            continue
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for v in axe_check(page):
                problems.append(f"{role} {url} (errors) @{width}px: {v['id']} {v['help']} "
                                f"{json.dumps(v['nodes'])}")
        page.set_viewport_size({"width": 1280, "height": 900})
