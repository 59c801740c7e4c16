"""A youth panel checks a period's themes and "you said, we did" answers: sessions and
verdicts are recorded through the pages; from the first period checked on, the public page
lists only checked answers (with "Checked by young people on <date>" and the panel's words)
and says which periods are not yet checked; a review's pack becomes final only once its
period is checked or a commissioner has recorded why no panel could happen (audited).
Bad input is a clear message that saves nothing; other roles are refused."""
from __future__ import annotations

from datetime import date, datetime, timezone
from html import unescape

import pytest

from tests.helpers import post_form
from tests.web.contracts_factories import make_contract, make_provider, make_review, make_service

Q3 = "/youth-panel/quarter/2026-07-01"
Q2 = "/youth-panel/quarter/2026-04-01"


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


def _date(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


@pytest.fixture()
def period(db):
    """A contract's service with 12 cards in Q3 2026 on the theme "Waiting times", and three
    answers: one given in August, one on 20 September, one in November (Q4)."""
    from feedback.models import ActionCard, Theme, ThemeAssignment
    provider = make_provider(db, "Panel Provider")
    service = make_service(db, provider, name="Panel Service")
    contract = make_contract(db, provider=provider, services=[service], reference="PANEL-1")
    cards = [ActionCard(kind="change", text="original", text_redacted=f"The wait was too long {i}",
                        service_id=service.id, moderation_state="approved",
                        created_at=_at(date(2026, 8, 3))) for i in range(12)]
    db.session.add_all(cards)
    db.session.flush()
    theme = Theme(key="panel-waiting", label="waiting", curated_name="Waiting times",
                  reviewed=True)
    db.session.add(theme)
    db.session.flush()
    db.session.add_all(ThemeAssignment(theme_id=theme.id, card_id=c.id) for c in cards)
    answers = {}
    for name, day, text in (("august", date(2026, 8, 10), "Open on Saturdays please"),
                            ("september", date(2026, 9, 20), "More evening sessions"),
                            ("november", date(2026, 11, 2), "Fix the broken lift")):
        card = ActionCard(kind="start", text="original", text_redacted=text,
                          service_id=service.id, moderation_state="approved", status="done",
                          status_changed_at=_at(day), created_at=_at(date(2026, 8, 1)))
        db.session.add(card)
        answers[name] = card
    review = make_review(db, contract, date(2026, 7, 1), date(2026, 9, 30))
    db.session.commit()
    return {"theme": theme, "answers": answers, "review": review, "service": service}


def _session(client, url=Q3, held=date(2026, 10, 14), group="Shire Youth Council", n="11"):
    return post_form(client, url + "/sessions/new",
                     {"held_on": _date(held), "group_name": group, "young_people": n})


def _sign_out(client):
    assert post_form(client, "/logout", {}, form_url="/staff").status_code == 302


def _public(client) -> str:
    return unescape(client.get("/you-said-we-did").get_data(as_text=True))


def _hold(client, review_id, day=date(2026, 10, 20)):
    return post_form(client, f"/contracts/reviews/{review_id}/hold",
                     {"meeting_date": _date(day), "notes": "Met"})


def test_before_any_panel_everything_is_public_and_packs_can_be_final(client, login_as, period):
    page = _public(client)
    for text in ("Open on Saturdays please", "More evening sessions", "Fix the broken lift"):
        assert text in page
    assert "Checked by young people" not in page and "Not yet checked" not in page
    login_as("commissioner")
    assert _hold(client, period["review"].id).status_code == 302


def test_a_session_checks_its_period_up_to_the_day_it_met(client, login_as, db, period):
    from feedback.models import AuditEvent, PanelSession
    login_as("participation_worker")
    assert client.get(Q3).status_code == 200
    response = _session(client, held=date(2026, 9, 15))
    assert response.status_code == 302, response.data[:800]
    session = db.session.execute(db.select(PanelSession)).scalar_one()
    assert (session.group_name, session.young_people) == ("Shire Youth Council", 11)
    assert db.session.execute(db.select(AuditEvent).filter_by(
        action="panel_session.recorded")).scalar_one().detail["period"] == "quarter:2026-07-01"
    page = _public(client)
    # Answered in August, before the panel met: checked and public.
    assert "Open on Saturdays please" in page and "Checked by young people on 15 September 2026" in page
    # ... but the panel did not mark it, so the answer itself does not claim it was checked.
    assert "Not discussed by the youth panel" in page
    # Answered after the panel met (20 September) and in the next quarter: not yet public.
    assert "More evening sessions" not in page and "Fix the broken lift" not in page
    assert "October to December 2026: Not yet checked by young people" in page
    # A second session after the quarter ended checks the rest of it.
    assert _session(client, held=date(2026, 10, 14)).status_code == 302
    page = _public(client)
    assert "More evening sessions" in page and "Fix the broken lift" not in page
    assert "July to September 2026: Checked by young people on 14 October 2026" in page
    # The open data API lists exactly what the public page does (the same query).
    from feedback.insight.public import PublicQuery, answered_cards
    assert {e.said for e in answered_cards(PublicQuery()).entries} == {
        "Open on Saturdays please", "More evening sessions"}


def test_verdicts_keep_the_original_and_reach_the_public_page_and_the_pack(client, login_as, db,
                                                                           period):
    from feedback.models import PanelSession, PanelVerdict
    login_as("participation_worker")
    _session(client)
    session = db.session.execute(db.select(PanelSession)).scalar_one()
    theme_url = f"/youth-panel/sessions/{session.id}/theme/{period['theme'].id}"
    answer = period["answers"]["august"]
    answer_url = f"/youth-panel/sessions/{session.id}/answer/{answer.id}"
    page = client.get(Q3).get_data(as_text=True)
    assert "Waiting times" in page and "Open on Saturdays please" in page
    assert "Fix the broken lift" not in page  # answered in Q4: not this period's
    assert post_form(client, theme_url, {"verdict": "changed",
                                         "wording": "Waiting far too long for help"}
                     ).status_code == 302
    assert post_form(client, answer_url, {"verdict": "disputed",
                                          "reason": "It only opened on one Saturday"}
                     ).status_code == 302
    verdicts = {v.subject: v for v in db.session.execute(db.select(PanelVerdict)).scalars()}
    assert verdicts["theme"].original == "Waiting times"
    assert verdicts["theme"].wording == "Waiting far too long for help"
    assert "Open on Saturdays please" in verdicts["answer"].original
    # Changing a verdict keeps one row per item.
    assert post_form(client, theme_url, {"verdict": "agreed"}).status_code == 302
    assert post_form(client, theme_url, {"verdict": "changed",
                                         "wording": "Waiting far too long for help"}
                     ).status_code == 302
    assert db.session.execute(db.select(db.func.count()).select_from(PanelVerdict)).scalar() == 2
    public = _public(client)
    assert "Young people disputed this" in public and "It only opened on one Saturday" in public
    _sign_out(client)
    login_as("commissioner")
    pack = unescape(client.get(f"/contracts/reviews/{period['review'].id}/pack")
                    .get_data(as_text=True))
    assert "Checked by young people on 14 October 2026 (Shire Youth Council, 11 young people)" in pack
    assert "Young people would put it as: \u201cWaiting far too long for help\u201d" in pack
    assert "Waiting times" in pack  # the original name stays
    # Held: the frozen (final) pack keeps the panel's view.
    assert _hold(client, period["review"].id).status_code == 302
    from feedback.models import FrozenPack
    frozen = db.session.execute(db.select(FrozenPack)).scalar_one()
    assert frozen.pack["panel"].startswith("Checked by young people on 14 October 2026")
    assert [t["panel"] for t in frozen.pack["themes"]] == [
        "Young people would put it as: \u201cWaiting far too long for help\u201d"]
    # ... and so does its spreadsheet: a line in the summary, a column beside each theme.
    from io import BytesIO

    from openpyxl import load_workbook
    book = load_workbook(BytesIO(client.get(f"/contracts/reviews/{period['review'].id}/pack.xlsx")
                                 .get_data()), read_only=True)
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Young people's check"].startswith("Checked by young people on 14 October")
    themes = list(book["Themes"].iter_rows(values_only=True))
    assert themes[0][-1] == "Young people's view"
    assert themes[1][0] == "Waiting times" and themes[1][-1].endswith("far too long for help\u201d")


@pytest.mark.parametrize("data, message", [
    ({}, "Select agreed, changed or disputed"),
    ({"verdict": "maybe"}, "Select agreed, changed or disputed"),
    ({"verdict": "changed", "wording": "   "}, "Enter the young people&#39;s wording"),
    ({"verdict": "changed", "wording": "x" * 1001}, "must be 1,000 characters or fewer"),
    ({"verdict": "disputed", "reason": ""}, "Enter why the young people disputed it"),
    ({"verdict": "disputed", "reason": "bad\x07bell"}, "control character"),
])
def test_a_verdict_that_cannot_be_kept_is_a_clear_message(client, login_as, db, period, data,
                                                          message):
    from feedback.models import PanelSession, PanelVerdict
    login_as("participation_worker")
    _session(client)
    session = db.session.execute(db.select(PanelSession)).scalar_one()
    response = post_form(client, f"/youth-panel/sessions/{session.id}/theme/{period['theme'].id}",
                         data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.execute(db.select(PanelVerdict)).first() is None


@pytest.mark.parametrize("fields, message", [
    ({"held_on": ["", "", ""]}, "Enter the date the panel met"),
    ({"held_on": ["31", "2", "2026"]}, "must be a real date"),
    ({"held_on": ["1", "1", "2099"]}, "must be today or in the past"),
    ({"held_on": ["30", "6", "2026"]}, "on or after 1 July 2026"),
    ({"group_name": ""}, "Enter the name of the group"),
    ({"group_name": "g" * 121}, "120 characters or fewer"),
    ({"group_name": "Youth\x00Council"}, "control character"),
    ({"young_people": ""}, "Enter how many young people took part"),
    ({"young_people": "lots"}, "as a whole number"),
    ({"young_people": "0"}, "between 1 and 500"),
    ({"young_people": "100000"}, "between 1 and 500"),
])
def test_a_session_that_cannot_be_kept_is_a_clear_message(client, login_as, db, period, fields,
                                                          message):
    from feedback.models import PanelSession
    login_as("participation_worker")
    data = {"held_on": _date(date(2026, 10, 14)), "group_name": "Youth Council",
            "young_people": "9", **fields}
    response = post_form(client, Q3 + "/sessions/new", data)
    assert response.status_code == 400
    assert message in unescape(response.get_data(as_text=True))
    assert db.session.execute(db.select(PanelSession)).first() is None


def test_a_final_pack_waits_for_the_panel_or_a_commissioners_reason(client, login_as, db, period):
    from feedback.models import AuditEvent, FrozenPack, PanelWaiver
    worker = login_as("participation_worker")
    # Checks began with the quarter before: Q3 now needs a panel or a reason.
    assert _session(client, Q2, held=date(2026, 7, 9)).status_code == 302
    assert client.get(f"{Q3}/no-panel").status_code == 403  # only a commissioner
    _sign_out(client)
    login_as("commissioner")
    response = _hold(client, period["review"].id)
    assert response.status_code in (200, 400)  # the form again, with the message
    assert "Young people have not checked the themes and answers of July to September 2026" \
        in unescape(response.get_data(as_text=True))
    assert db.session.execute(db.select(FrozenPack)).first() is None
    hold_page = unescape(client.get(f"/contracts/reviews/{period['review'].id}/hold")
                         .get_data(as_text=True))
    assert "govuk-warning-text" in hold_page and "have not checked" in hold_page
    # Work goes on: the pack and the review open as a draft.
    assert client.get(f"/contracts/reviews/{period['review'].id}/pack").status_code == 200
    assert "Not yet checked by young people" in client.get(
        f"/contracts/reviews/{period['review'].id}/pack").get_data(as_text=True)
    for reason, message in (("", "Enter why a youth panel could not check this period"),
                            ("r" * 2001, "2,000 characters or fewer"),
                            ("bad\x1bescape", "control character")):
        response = post_form(client, f"{Q3}/no-panel", {"reason": reason})
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.execute(db.select(PanelWaiver)).first() is None
    reason = "The Youth Council did not meet over the summer holidays"
    assert post_form(client, f"{Q3}/no-panel", {"reason": reason}).status_code == 302
    event = db.session.execute(db.select(AuditEvent).filter_by(
        action="panel_waiver.recorded")).scalar_one()
    assert event.detail["reason"] == reason and event.actor_id != worker.id
    assert _hold(client, period["review"].id).status_code == 302
    pack = unescape(client.get(f"/contracts/reviews/{period['review'].id}/pack")
                    .get_data(as_text=True))
    assert "Published without a youth panel\u2019s check. The reason recorded: " + reason in pack
    # And the period's answers are public, marked as not checked by a panel.
    public = _public(client)
    assert "More evening sessions" in public
    assert "Published without a youth panel\u2019s check" in public
    assert "Fix the broken lift" not in public  # Q4: still not checked


def test_who_may_use_the_panel_pages(client, login_as, db, period):
    assert client.get("/youth-panel").status_code == 302  # sign in first
    login_as("provider")
    assert client.get("/youth-panel").status_code == 403
    assert client.get(Q3).status_code == 403
    assert _session(client).status_code == 403
    _sign_out(client)
    login_as("commissioner")
    assert client.get("/youth-panel").status_code == 200
    assert _session(client).status_code == 302  # commissioners may record one too


def test_unknown_periods_sessions_and_items_are_not_found(client, login_as, db, period):
    from feedback.models import PanelSession
    login_as("participation_worker")
    for url in ("/youth-panel/quarter/2026-07-02", "/youth-panel/quarter/not-a-date",
                "/youth-panel/month/2026-07-01", "/youth-panel/year/2026-07-01"):
        assert client.get(url).status_code == 404, url
    _session(client)
    session = db.session.execute(db.select(PanelSession)).scalar_one()
    november = period["answers"]["november"]
    for url in (f"/youth-panel/sessions/{session.id + 99}/theme/{period['theme'].id}",
                f"/youth-panel/sessions/{session.id}/theme/{period['theme'].id + 99}",
                f"/youth-panel/sessions/{session.id}/answer/{november.id}"):
        assert client.get(url).status_code == 404, url


def test_the_periods_page_says_where_each_stands(client, login_as, db, period):
    login_as("participation_worker")
    _session(client, Q2, held=date(2026, 7, 9))
    page = unescape(client.get("/youth-panel").get_data(as_text=True))
    assert "April to June 2026" in page and "Checked" in page
    assert "Not yet checked" in page  # July to September 2026


def test_a_year_is_checked_when_each_of_its_quarters_is(db, make_user):
    """A quarter checked before the first check is "before"; a financial year is cleared by its
    own session or reason, or when each quarter from the first check on is cleared."""
    from feedback.contracts.periods import period_containing
    from feedback.models import PanelSession, PanelWaiver
    from feedback.ratification import state
    year = period_containing("year", date(2025, 4, 1))  # April 2025 to March 2026
    quarters = [period_containing("quarter", d) for d in
                (date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1), date(2026, 1, 1))]
    assert state.clearance(year).status == "before" and state.final_allowed(year)
    for quarter in quarters[1:3]:
        db.session.add(PanelSession(period_kind="quarter", period_start=quarter.start,
                                    period_end=quarter.end, held_on=quarter.end,
                                    group_name="Youth Council", young_people=6))
    db.session.commit()
    # Checks began in July 2025: April to June is before them; January to March is not done.
    assert state.clearance(quarters[0]).status == "before"
    assert state.clearance(quarters[3]).status == "not_yet"
    assert not state.final_allowed(year)
    db.session.add(PanelWaiver(period_kind="quarter", period_start=quarters[3].start,
                               period_end=quarters[3].end, reason="No panel in the spring"))
    db.session.commit()
    found = state.clearance(year)
    assert found.status == "checked" and found.checked_on == quarters[2].end
    assert state.final_allowed(year)
    # A quarter takes its year's own session.
    next_year = period_containing("year", date(2026, 4, 1))
    db.session.add(PanelSession(period_kind="year", period_start=next_year.start,
                                period_end=next_year.end, held_on=date(2026, 12, 1),
                                group_name="Youth Council", young_people=6))
    db.session.commit()
    assert state.clearance(period_containing("quarter", date(2026, 7, 1))).status == "checked"
