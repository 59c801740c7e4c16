"""Answering cards and feedback: statuses, reasons, many at once, where people see it."""
from __future__ import annotations

from feedback import receipts
from tests.helpers import csrf_token, post_form, sign_in
from tests.factories import build_card, make_cards, make_service


def _card_with_code(db, code="K7QF29MD", **extra):
    service = make_service(db)
    card = build_card(kind="start", text="original words", text_redacted="Please start a homework club",
                      service=service, receipt_hash=receipts.receipt_hash(code),
                      **{"moderation_state": "approved", "safeguarding_flagged": False, **extra})
    db.session.add(card)
    db.session.commit()
    return card


def test_answer_reaches_the_track_page(client, login_as, db):
    from feedback.models import AuditEvent
    card = _card_with_code(db)
    login_as("commissioner")
    url = f"/insight/cards/{card.id}/answer"
    page = client.get(url)
    assert page.status_code == 200 and "Please start a homework club" in page.get_data(as_text=True)
    assert "original words" not in page.get_data(as_text=True)
    response = post_form(client, url, {"status": "done",
                                       "response": "We started a homework club on Tuesdays."})
    assert response.status_code == 302
    db.session.expire_all()
    assert card.status == "done" and card.responses[0].body.startswith("We started")
    assert db.session.execute(db.select(AuditEvent).filter_by(action="card.viewed")).first()
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})
    tracked = post_form(client, "/cards/track", {"code": "K7QF-29MD"})
    html = tracked.get_data(as_text=True)
    assert "We started a homework club on Tuesdays." in html and "Done" in html


def test_not_possible_needs_a_reason_and_keeps_the_answer(client, login_as, db):
    card = _card_with_code(db)
    login_as("commissioner")
    url = f"/insight/cards/{card.id}/answer"
    page = post_form(client, url, {"status": "not_possible", "response": "Sorry about this."})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Enter why it is not possible" in html
    assert "Sorry about this." in html
    db.session.expire_all()
    assert card.status == "received"
    assert "Select what is happening now" in post_form(client, url, {}).get_data(as_text=True)
    too_long = post_form(client, url, {"status": "done", "response": "x" * 1001}).get_data(as_text=True)
    assert "Your answer must be 1,000 characters or fewer" in too_long


def test_unpublished_cards_cannot_be_answered(client, login_as, db):
    card = _card_with_code(db, safeguarding_flagged=True)
    login_as("commissioner")
    assert client.get(f"/insight/cards/{card.id}/answer").status_code == 404


def test_answer_many_cards_of_a_theme(client, login_as, db):
    from feedback.models import Theme, ThemeAssignment
    cards = make_cards(db, make_service(db), per_topic=12, topics={"a": ["the bus is late"]})
    theme = Theme(key="T9", label="Buses")
    db.session.add(theme)
    db.session.flush()
    db.session.add_all([ThemeAssignment(theme_id=theme.id, card_id=c.id) for c in cards])
    db.session.commit()
    login_as("commissioner")
    url = f"/insight/themes/{theme.id}/answer"
    assert "the bus is late" in client.get(url).get_data(as_text=True)
    response = post_form(client, url, {"cards": [str(cards[0].id), str(cards[1].id)],
                                       "status": "action_planned",
                                       "response": "We are talking to the bus company."})
    assert response.status_code == 302
    db.session.expire_all()
    assert [c.status for c in cards[:4]] == ["action_planned", "action_planned", "received", "received"]
    assert "Select at least one card to answer" in post_form(
        client, url, {"status": "done"}).get_data(as_text=True)


def test_answer_reaches_the_forum_page(client, login_as, make_user, db):
    from feedback.models import FeedbackEntry, Organisation
    forum = Organisation(name="Answer Forum", kind="parent_carer_forum")
    entry = FeedbackEntry(forum=forum, source="forum", respondent_type="parent_carer",
                          could_be_better="x", could_be_better_redacted="Respite is hard to find",
                          moderation_state="approved", families_represented=3)
    db.session.add(entry)
    db.session.commit()
    login_as("commissioner")
    url = f"/insight/feedback/{entry.id}/answer"
    assert "Respite is hard to find" in client.get(url).get_data(as_text=True)
    assert post_form(client, url, {"status": "action_planned",
                                   "response": "We are funding more respite places."}).status_code == 302
    rep = make_user("forum_rep", organisation="Answer Forum")
    other = client.application.test_client()
    assert sign_in(other, rep).status_code == 302
    page = other.get(f"/forum/entries/{entry.id}")
    assert page.status_code == 200
    assert "We are funding more respite places." in page.get_data(as_text=True)


def test_you_said_we_did_shows_only_approved_done_answers(client, login_as, db):
    from feedback.cards.status import change_status
    from feedback.models import Theme, ThemeAssignment
    user = db.session.merge(login_as("commissioner"))
    service = make_service(db)
    done = build_card(kind="start", text="orig", text_redacted="More youth nights please",
                      service=service, moderation_state="approved")
    planned = build_card(kind="start", text="orig", text_redacted="Planned only", service=service,
                         moderation_state="approved")
    flagged = build_card(kind="stop", text="orig", text_redacted="Flagged words", service=service,
                         moderation_state="approved", safeguarding_flagged=True)
    theme = Theme(key="Y1", label="Youth nights", curated_name="Things to do")
    db.session.add_all([done, planned, flagged, theme])
    db.session.flush()
    db.session.add(ThemeAssignment(theme_id=theme.id, card_id=done.id))
    more = [build_card(text=f"Youth night {n}", service=service) for n in range(9)]
    db.session.add_all(more)  # 10 people in the theme, so its name may be shown
    db.session.flush()
    db.session.add_all([ThemeAssignment(theme_id=theme.id, card_id=c.id) for c in more])
    db.session.commit()
    change_status(done, "done", user, response="We run youth nights every Friday now.")
    change_status(planned, "action_planned", user, response="Soon.")
    change_status(flagged, "done", user, response="Secret answer.")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})
    page = client.get("/you-said-we-did")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "More youth nights please" in html and "We run youth nights every Friday now." in html
    assert "Things to do" in html and service.plain_name in html
    assert "Planned only" not in html and "Flagged words" not in html and "orig" not in html
    assert "Exit this page" in html


def test_you_said_we_did_shows_each_card_once_with_its_latest_answer(client, login_as, db):
    from datetime import timedelta

    from feedback.cards.status import change_status
    from feedback.models import Response, Theme, ThemeAssignment
    user = db.session.merge(login_as("commissioner"))
    service = make_service(db)
    other = make_service(db, name="Youth club")
    card = build_card(kind="start", text="orig", text_redacted="A quiet room at the club",
                      service=service, moderation_state="approved")
    second = build_card(kind="start", text="orig", text_redacted="Later opening on Fridays",
                        service=other, moderation_state="approved")
    loose = build_card(kind="stop", text="orig", text_redacted="Stop the loud music",
                       service=service, moderation_state="approved")
    rooms = Theme(key="R1", label="Rooms", curated_name="Places to be")
    hidden = Theme(key="R2", label="Hidden theme", hidden=True)
    db.session.add_all([card, second, loose, rooms, hidden])
    db.session.flush()
    # "Places to be" is 10 people (8 cards still open), so its name may be shown.
    more = [build_card(text=f"Room {n}", service=service) for n in range(8)]
    db.session.add_all(more)
    db.session.flush()
    db.session.add_all([ThemeAssignment(theme_id=rooms.id, card_id=card.id, confidence=0.8),
                        ThemeAssignment(theme_id=rooms.id, card_id=second.id, confidence=0.7),
                        ThemeAssignment(theme_id=hidden.id, card_id=loose.id, confidence=0.9),
                        *[ThemeAssignment(theme_id=rooms.id, card_id=c.id) for c in more]])
    db.session.commit()
    change_status(card, "being_looked_at", user, response="We are looking for a room.")
    change_status(card, "action_planned", user, response="A room is booked from May.")
    change_status(card, "done", user, response="The quiet room is open every evening.")
    change_status(second, "done", user, response="Fridays open until 10pm.")
    change_status(loose, "done", user, response="The music is quieter now.")
    # An older answer written after the fact must not replace the latest one.
    db.session.add(Response(card_id=card.id, body="Backdated note.", author_id=user.id,
                            created_at=card.created_at - timedelta(days=3)))
    db.session.commit()
    html = client.get("/you-said-we-did").get_data(as_text=True)
    assert html.count("A quiet room at the club") == 1
    assert "The quiet room is open every evening." in html
    for earlier in ("We are looking for a room.", "A room is booked from May.", "Backdated note."):
        assert earlier not in html
    # Each entry names its service and its most confident visible theme.
    import re
    titles = re.findall(r'class="govuk-summary-card__title">\s*(.*?)\s*</h3>', html)
    assert sorted(titles) == sorted([service.plain_name] * 2 + ["Youth club"])
    assert len(re.findall(r">\s*Places to be\s*</dd>", html)) == 2
    assert "Hidden theme" not in html and "Other things you told us" not in html
    assert html.count("Stop the loud music") == 1
    from feedback.insight.public import PublicQuery, answered_cards
    entries = {e.said: e for e in answered_cards(PublicQuery()).entries}
    assert entries["A quiet room at the club"].theme == "Places to be"
    assert entries["Later opening on Fridays"].did == "Fridays open until 10pm."
    assert entries["Stop the loud music"].theme is None  # no theme line for it
