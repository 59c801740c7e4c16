"""The daily digest, received by a real SMTP server: what waits for each person, by role;
at most once a day (a second run the same day sends nothing); nothing when nothing waits;
a person can turn it off; never a child's words or a receipt code."""
from __future__ import annotations

from datetime import timedelta

import pytest

from feedback import clock, receipts
from feedback.models import ActionCard, AuditEvent, ReviewAction, User
from tests.factories import make_card, make_service
from tests.helpers import post_form
from tests.web.contracts_factories import make_contract, make_provider, make_review

WORDS = "The counsellor at Riverside told my mum what I said"
CODE = "K7QF29MD"


@pytest.fixture()
def waiting(db, make_user):
    """A commissioner managing one contract, a moderator, a provider, an administrator,
    and things waiting for each of them."""
    commissioner = make_user("commissioner", email="cam@council.example", name="Cam Commissioner")
    moderator = make_user("moderator", email="mo@council.example", name="Mo Moderator")
    provider = make_user("provider", email="pat@riverside.example", name="Pat Provider",
                         organisation="Riverside Counselling CIC")
    make_user("admin", email="ada@council.example", name="Ada Admin")
    quiet = make_user("commissioner", email="quiet@council.example", name="Quinn Quiet")
    provider_org = make_provider(db, "Riverside Counselling CIC")  # the provider's own
    ours = make_service(db, name="Riverside counselling")
    other = make_service(db, name="Another service")
    contract = make_contract(db, provider=provider_org, services=[ours], reference="RCC-7")
    contract.contract_manager_id = commissioner.id
    review = make_review(db, contract)
    db.session.add(ReviewAction(review=review, description="Shorter waits", owner="Riverside",
                                due_date=clock.today() + timedelta(days=5), status="open"))
    today = clock.today()
    yesterday = clock.start_of_uk_day(today - timedelta(days=1)) + timedelta(hours=10)
    for _ in range(2):
        make_card(db, service=ours, text=WORDS, text_redacted=WORDS, moderated_at=yesterday,
                  receipt_hash=receipts.receipt_hash(receipts.new_receipt_code()))
    make_card(db, service=ours, text=WORDS, text_redacted=WORDS,
              moderated_at=clock.start_of_uk_day(today) + timedelta(minutes=5))  # today's: tomorrow
    make_card(db, service=other, text=WORDS, text_redacted=WORDS, moderated_at=yesterday)
    make_card(db, service=ours, text=WORDS, moderation_state="pending",
              receipt_hash=receipts.receipt_hash(CODE))
    db.session.commit()
    quiet_user = db.session.get(User, quiet.id)
    quiet_user.digest_enabled = False
    db.session.commit()
    return {"commissioner": commissioner, "moderator": moderator, "provider": provider}


def _send(app):
    """``flask digest send`` on ``app`` (in its own app context: the test holds another)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["digest", "send"])


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_each_role_gets_what_waits_for_it_once_a_day(mail_app, db, waiting):
    result = _send(mail_app)
    assert result.exit_code == 0, result.output
    assert "Digests sent: 3" in result.output and "nothing waiting: 1" in result.output
    smtp = mail_app.smtp
    assert sorted(m["To"] for m in smtp.messages) == [
        "cam@council.example", "mo@council.example", "pat@riverside.example"]
    [cam] = smtp.to("cam@council.example")
    body = _body(cam)
    assert "2 action cards and 0 feedback entries published about your contracts' services" in body
    assert "https://voice.example.org/insight" in body
    assert "1 contract review" not in body  # no next review date set
    [mo] = smtp.to("mo@council.example")
    assert "1 card or feedback entry waiting for moderation" in _body(mo)
    [pat] = smtp.to("pat@riverside.example")
    assert "1 agreed action due in the next 14 days or overdue" in _body(pat)
    for message in smtp.messages:
        everything = message.as_string()
        for secret in (WORDS, "counsellor", CODE, "K7QF"):
            assert secret not in everything
    again = _send(mail_app)
    assert "Digests sent: 0" in again.output and "already sent today: 3" in again.output
    assert len(smtp.messages) == 3, "a second run the same day sends nothing"
    assert db.session.execute(db.select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "digest.sent")).scalar_one() == 3


def test_the_next_day_counts_only_the_new_days_items(mail_app, db, waiting, monkeypatch):
    _send(mail_app)
    tomorrow = clock.now() + timedelta(days=1)
    monkeypatch.setattr(clock, "now", lambda: tomorrow)
    result = _send(mail_app)
    assert "Digests sent: 3" in result.output, result.output
    cam = mail_app.smtp.to("cam@council.example")[-1]
    assert "1 action card and 0 feedback entries" in _body(cam), "only today's card, once"


def test_turning_it_off_and_on_from_the_account_page(mail_app, db, waiting):
    from tests.helpers import sign_in
    client = mail_app.test_client()
    sign_in(client, waiting["moderator"])
    page = client.get("/account").get_data(as_text=True)
    assert "Daily digest" in page and 'value="on" checked' in page
    off = post_form(client, "/account/digest", {"digest": "off"}, form_url="/account")
    assert off.status_code == 302
    assert not db.session.get(User, waiting["moderator"].id).digest_enabled
    bad = post_form(client, "/account/digest", {"digest": "sometimes"}, form_url="/account")
    assert bad.status_code == 302 and "Select whether" in client.get("/account").get_data(
        as_text=True)
    assert not db.session.get(User, waiting["moderator"].id).digest_enabled
    _send(mail_app)
    assert not mail_app.smtp.to("mo@council.example")
    post_form(client, "/account/digest", {"digest": "on"}, form_url="/account")
    assert db.session.get(User, waiting["moderator"].id).digest_enabled
    assert db.session.execute(db.select(AuditEvent).filter_by(
        action="account.digest_off")).first()


def test_a_failed_delivery_is_tried_again_at_the_next_run(make_app, db, waiting):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=9)
    result = _send(app)
    assert result.exit_code == 1 and "failed (tried again next run): 3" in result.output
    assert all(u.digest_sent_on is None for u in db.session.execute(db.select(User)).scalars())


def test_without_a_mail_server_digests_are_logged_and_counted(app, db, waiting, caplog):
    with caplog.at_level("WARNING"):
        result = _send(app)
    assert "written to the log (no mail server): 3" in result.output
    assert "[digest]" in caplog.text and WORDS not in caplog.text


def test_the_background_job_does_the_same(mail_app, db, waiting):
    from feedback.digest import send_daily_digests_job
    with mail_app.app_context():
        first = send_daily_digests_job()
        second = send_daily_digests_job()
    assert first["sent"] == 3 and second["sent"] == 0 and second["already"] == 3


def test_a_completed_action_waits_for_the_contract_manager(mail_app, db, waiting):
    action = db.session.execute(db.select(ReviewAction)).scalar_one()
    action.completion_claimed_at = clock.now()
    db.session.commit()
    _send(mail_app)
    body = _body(mail_app.smtp.to("cam@council.example")[0])
    assert "1 action a provider says is completed" in body
    pat = mail_app.smtp.to("pat@riverside.example")
    assert not any("agreed action" in _body(m) for m in pat), \
        "a claimed action is not due for the provider any more"
    assert db.session.execute(db.select(ActionCard)).first()


def test_returns_due_and_overdue_reach_the_provider_and_the_contract_manager(mail_app, db,
                                                                              waiting):
    """The waiting contract's last complete quarter ended more than 20 working days ago with no
    return: late for the provider and the contract manager; once submitted, it waits for the
    manager's decision and is no longer the provider's to do."""
    from feedback.contracts.periods import last_complete
    from feedback.models import Contract, PerformanceReturn
    contract = db.session.execute(db.select(Contract).filter_by(reference="RCC-7")).scalar_one()
    contract.start_date = last_complete("quarter", clock.today()).start - timedelta(days=400)
    db.session.commit()
    _send(mail_app)
    [pat] = mail_app.smtp.to("pat@riverside.example")
    [cam] = mail_app.smtp.to("cam@council.example")
    assert "Performance Monitoring Form returns" in _body(pat)
    assert "2 returns overdue: https://voice.example.org/returns" in _body(pat)
    assert "2 returns overdue: https://voice.example.org/returns" in _body(cam)
    period = last_complete("quarter", clock.today())
    for found in db.session.execute(db.select(PerformanceReturn)).scalars():
        db.session.delete(found)
    for p in (period, period.previous()):
        db.session.add(PerformanceReturn(contract_id=contract.id, period_kind="quarter",
                                         period_start=p.start, period_end=p.end,
                                         status="submitted"))
    db.session.commit()
    tomorrow = clock.now() + timedelta(days=1)
    from unittest import mock
    with mock.patch.object(clock, "now", lambda: tomorrow):
        _send(mail_app)
    pat_next = mail_app.smtp.to("pat@riverside.example")[-1]
    cam_next = mail_app.smtp.to("cam@council.example")[-1]
    assert "returns/" not in _body(pat_next).replace("/provider", "")
    assert "2 returns submitted and waiting for your decision" in _body(cam_next)
