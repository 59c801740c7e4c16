"""Reviews over HTTP: starting one for the last quarter, KPI returns with RAG,
holding the meeting, and agreed actions whose card links reach the track page."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from feedback import receipts
from feedback.contracts.periods import last_complete
from tests.helpers import post_form
from tests.web.contracts_factories import make_contract, make_review
from tests.factories import build_card


def _card(db, service, code, **extra):
    card = build_card(kind="start", text="original", text_redacted=f"Please {code}",
                      service_id=service.id, moderation_state="approved",
                      receipt_hash=receipts.receipt_hash(code),
                      created_at=datetime.now(timezone.utc) - timedelta(days=3), **extra)
    db.session.add(card)
    return card


@pytest.fixture()
def setup(db):
    contract = make_contract(db, reference="ACT-1", next_review=date.today())
    review = make_review(db, contract, *(lambda p: (p.start, p.end))(
        last_complete("quarter", date.today())))
    service = contract.services[0]
    codes = [receipts.new_receipt_code() for _ in range(3)]
    cards = [_card(db, service, code) for code in codes]
    db.session.commit()
    return {"contract": contract, "review": review, "cards": cards, "codes": codes}


def _track(client, code) -> bytes:
    return post_form(client, "/cards/track", {"code": code}).data


def test_start_review_defaults_to_the_last_complete_quarter(db, client, login_as):
    from feedback.models import ContractReview
    contract = make_contract(db)
    db.session.commit()
    login_as("commissioner")
    url = f"/contracts/{contract.id}/reviews/new"
    expected = last_complete("quarter", date.today())
    assert f'value="{expected.key}" checked'.encode() in client.get(url).data
    response = post_form(client, url, {"period": expected.key})
    assert response.status_code == 302
    review = db.session.execute(db.select(ContractReview)).scalar_one()
    assert (review.period_start, review.period_end) == (expected.start, expected.end)
    again = post_form(client, url, {"period": expected.key})  # the same review, not a second
    assert again.headers["Location"] == response.headers["Location"]
    bad = post_form(client, url, {"period": "quarter:1999-02-01"})
    assert b"Select the period" in bad.data


def test_kpi_returns_are_rated(db, client, login_as, setup):
    from feedback.models import KpiReturn
    review, kpi = setup["review"], setup["contract"].kpis[0]
    login_as("commissioner")
    url = f"/contracts/reviews/{review.id}/kpis"
    bad = post_form(client, url, {f"value_{kpi.id}": "lots"})
    assert b"Enter the value for Seen within 18 weeks as a number" in bad.data
    assert b'value="lots"' in bad.data
    ok = post_form(client, url, {f"value_{kpi.id}": "80.99", f"commentary_{kpi.id}": "Staff off"})
    assert ok.status_code == 302
    ret = db.session.execute(db.select(KpiReturn)).scalar_one()
    assert ret.rag == "red" and ret.commentary == "Staff off"
    post_form(client, url, {f"value_{kpi.id}": "81"})
    db.session.refresh(ret)
    assert ret.rag == "amber"
    post_form(client, url, {f"value_{kpi.id}": ""})
    db.session.refresh(ret)
    assert ret.value is None and ret.rag is None
    assert b"Not reported" in client.get(f"/contracts/reviews/{review.id}").data


def test_holding_the_review_keeps_the_pack_and_moves_the_next_review(db, client, login_as,
                                                                     setup):
    review, contract = setup["review"], setup["contract"]
    before = contract.next_review_date
    login_as("commissioner")
    url = f"/contracts/reviews/{review.id}/hold"
    future = date.today() + timedelta(days=2)
    bad = post_form(client, url, {"meeting_date": [str(future.day), str(future.month),
                                                   str(future.year)]})
    assert b"Meeting date must be today or in the past" in bad.data
    today = date.today()
    ok = post_form(client, url, {"meeting_date": [str(today.day), str(today.month),
                                                  str(today.year)], "notes": "Good meeting"})
    assert ok.status_code == 302
    db.session.refresh(review)
    db.session.refresh(contract)
    assert review.status == "held" and review.frozen_pack.pack["reference"] == "ACT-1"
    assert contract.next_review_date > today and contract.next_review_date != before
    moved = contract.next_review_date
    post_form(client, url, {"meeting_date": [str(today.day), str(today.month), str(today.year)]})
    db.session.refresh(contract)
    assert contract.next_review_date == moved  # only the first record moves it


def test_action_links_cards_and_the_track_page_shows_the_plan(db, client, login_as, setup):
    from feedback.models import ActionCard, Response, ReviewAction
    review, cards, codes = setup["review"], setup["cards"], setup["codes"]
    login_as("commissioner")
    url = f"/contracts/reviews/{review.id}/actions/new"
    due = date.today() + timedelta(days=30)
    data = {"description": "Open on Saturdays", "owner": "The provider",
            "due_date": [str(due.day), str(due.month), str(due.year)],
            "card_ids": [str(cards[0].id), str(cards[1].id)]}
    missing = post_form(client, url, data)
    assert b"Enter what young people will be told about this action" in missing.data
    assert b"Open on Saturdays" in missing.data  # nothing lost
    data["message_to_young_people"] = "From June the hub opens on Saturdays."
    assert post_form(client, url, data).status_code == 302
    action = db.session.execute(db.select(ReviewAction)).scalar_one()
    statuses = {c.id: c.status for c in db.session.execute(db.select(ActionCard)).scalars()}
    assert statuses == {cards[0].id: "action_planned", cards[1].id: "action_planned",
                        cards[2].id: "received"}
    assert {r.review_action_id for r in db.session.execute(db.select(Response)).scalars()} == \
        {action.id}

    # Young people see the plan with their code (a fresh, signed-out browser).
    public = client.application.test_client()
    page = _track(public, codes[0])
    assert b"From June the hub opens on Saturdays." in page
    assert b"From June the hub opens on Saturdays." not in _track(public, codes[2])

    # Completing the action offers to mark the cards done with a "you said, we did".
    status_url = f"/contracts/actions/{action.id}"
    assert b"Mark the linked action cards as done?" in client.get(status_url).data
    no_answer = post_form(client, status_url, {"status": "done", "mark_cards_done": "yes"})
    assert b"Enter the \"you said, we did\" answer" in no_answer.data or \
        b"Enter the &#34;you said, we did&#34; answer" in no_answer.data
    done = post_form(client, status_url, {"status": "done", "mark_cards_done": "yes",
                                          "response": "You said weekends. We opened Saturdays."})
    assert done.status_code == 302
    db.session.refresh(action)
    assert action.status == "done" and action.completed_at is not None
    assert {c.status for c in db.session.execute(db.select(ActionCard).where(
        ActionCard.id.in_([cards[0].id, cards[1].id]))).scalars()} == {"done"}
    assert b"You said weekends. We opened Saturdays." in _track(public, codes[1])


def test_cards_from_other_services_cannot_be_linked(db, client, login_as, setup):
    from tests.web.contracts_factories import make_service
    other = make_service(db)
    stranger = _card(db, other, receipts.new_receipt_code())
    db.session.commit()
    login_as("commissioner")
    url = f"/contracts/reviews/{setup['review'].id}/actions/new"
    response = post_form(client, url, {"description": "x", "owner": "y",
                                       "due_date": ["1", "1", "2030"],
                                       "card_ids": [str(stranger.id)],
                                       "message_to_young_people": "z"})
    assert b"Select cards from the list" in response.data
    db.session.refresh(stranger)
    assert stranger.status == "received"
