"""A provider's right of reply through the HTTP client, on SQLite and PostgreSQL:
validation, scoping (another provider's ids: 404), screening and redaction,
moderation (approve, reject, edited redaction), a concerning reply held for the
safeguarding lead, and display on the track page and the public cards page."""
from __future__ import annotations

import pytest

from tests.helpers import post_form, sign_in
from tests.web.provider_factories import provider_with_items
from tests.factories import build_card

CODE = "BCDF-GHJK"
THANKS = "Thank you. We have moved the opening hours to the evening from May."


def _reply(client, kind, item_id, body, **extra):
    url = f"/provider/{kind}/{item_id}/reply"
    return post_form(client, url, {"body": body, **extra})


def _reply_row(app):
    from feedback.extensions import db
    from feedback.models import ProviderReply
    with app.app_context():
        return db.session.execute(db.select(ProviderReply)).scalar_one()


def _as(client, make_user, *roles, **kw):
    client.post("/logout", data={"csrf_token": _token(client)})
    user = make_user(*roles, **kw)
    assert sign_in(client, user).status_code == 302
    return user


def _token(client):
    from tests.helpers import csrf_token
    return csrf_token(client, "/staff")


def _approve(client, reply_id, **data):
    url = f"/moderation/replies/{reply_id}"
    page = client.get(url).get_data(as_text=True)
    import html as html_mod
    import re
    shown = html_mod.unescape(re.search(r'name="body_redacted"[^>]*>\n?(.*?)</textarea>', page,
                                        re.S).group(1))
    return post_form(client, url, {"action": "approve", "body_redacted": shown, **data})


def test_reply_is_moderated_then_shown_on_the_track_and_public_pages(app, client, login_as,
                                                                   make_user):
    ours = provider_with_items(app, cards=1, receipt_code=CODE)
    card = ours["cards"][0]
    login_as("provider", organisation=ours["org"], name="Priya Provider")
    form = client.get(f"/provider/card/{card}/reply")
    assert form.status_code == 200 and "Please change the opening hours 0" in form.get_data(True)
    sent = _reply(client, "card", card, THANKS + " Call Sarah on 07700 900123.")
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/provider")
    reply = _reply_row(app)
    assert reply.moderation_state == "pending" and not reply.safeguarding_flagged
    assert "[phone number]" in reply.body_redacted and "07700" in reply.body
    public = client.get(f"/cards/service/{ours['service']}").get_data(as_text=True)
    assert THANKS not in public  # not before moderation

    _as(client, make_user, "moderator")
    queue = client.get("/moderation/replies").get_data(as_text=True)
    assert f"Reply {reply.id} to action card {card}" in queue
    page = client.get(f"/moderation/replies/{reply.id}").get_data(as_text=True)
    assert "07700 900123" in page  # the moderator sees the original beside the redaction
    assert _approve(client, reply.id).status_code == 302
    assert "No reply is waiting" in client.get("/moderation/replies").get_data(as_text=True)

    client.post("/logout", data={"csrf_token": _token(client)})
    public = client.get(f"/cards/service/{ours['service']}").get_data(as_text=True)
    assert "Reply from the provider" in public and THANKS in public
    assert "07700" not in public and "[phone number]" in public
    assert "The provider," in public and "Priya Provider" not in public
    tracked = post_form(client, "/cards/track", {"code": CODE}).get_data(as_text=True)
    assert "What the provider said" in tracked and THANKS in tracked
    # A reply is not an answer: the status stays the commissioner's.
    assert "Where it is now: Approved, waiting for an answer" in tracked
    assert "Nobody has answered yet" in tracked


def test_a_reply_to_feedback_signed_with_a_name(app, client, login_as, make_user):
    from feedback import receipts
    from feedback.extensions import db
    from feedback.models import FeedbackEntry
    ours = provider_with_items(app, cards=0, feedback=1)
    entry = ours["feedback"][0]
    with app.app_context():
        db.session.get(FeedbackEntry, entry).receipt_hash = receipts.receipt_hash(CODE)
        db.session.commit()
    login_as("provider", organisation=ours["org"], name="Priya Provider")
    assert _reply(client, "feedback", entry, THANKS, sign="y").status_code == 302
    reply = _reply_row(app)
    _as(client, make_user, "moderator")
    assert _approve(client, reply.id).status_code == 302
    client.post("/logout", data={"csrf_token": _token(client)})
    tracked = post_form(client, "/cards/track", {"code": CODE}).get_data(as_text=True)
    assert THANKS in tracked and "Priya Provider, for the provider" in tracked


@pytest.mark.parametrize("body, message", [
    ("", "Enter your reply"),
    ("   \n  ", "Enter your reply"),
    ("x" * 2001, "Your reply must be 2,000 characters or fewer"),
    ("Thanks\x00 for this", "control character"),
    ("Thanks\x1b[31m", "control character"),
])
def test_reply_validation(app, client, login_as, body, message):
    ours = provider_with_items(app, cards=1)
    login_as("provider", organisation=ours["org"])
    page = _reply(client, "card", ours["cards"][0], body)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert message in html and "govuk-error-summary" in html
    from feedback.extensions import db
    from feedback.models import ProviderReply
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(ProviderReply)
                                  ).scalar_one() == 0


def test_longest_reply_is_accepted(app, client, login_as):
    ours = provider_with_items(app, cards=1)
    login_as("provider", organisation=ours["org"])
    assert _reply(client, "card", ours["cards"][0], "y" * 2000).status_code == 302


def test_another_providers_unpublished_or_missing_items_answer_404(app, client, login_as):
    from feedback.extensions import db
    from feedback.models import Service
    ours = provider_with_items(app, cards=1)
    theirs = provider_with_items(app, cards=1, feedback=1)
    with app.app_context():
        pending = build_card(kind="stop", text="p", text_redacted="p",
                             service=db.session.get(Service, ours["service"]),
                             moderation_state="pending")
        flagged = build_card(kind="stop", text="f", text_redacted="f", moderation_state="approved",
                             safeguarding_flagged=True,
                             service=db.session.get(Service, ours["service"]))
        db.session.add_all([pending, flagged])
        db.session.commit()
        hidden = [pending.id, flagged.id]
    login_as("provider", organisation=ours["org"])
    urls = [f"/provider/card/{theirs['cards'][0]}/reply",
            f"/provider/feedback/{theirs['feedback'][0]}/reply",
            f"/provider/feedback/{ours['cards'][0]}/reply",  # a card's id as a feedback id
            *(f"/provider/card/{i}/reply" for i in hidden),
            "/provider/card/999999/reply"]
    token = _token(client)
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, data={"csrf_token": token, "body": THANKS}).status_code == 404, url
    assert _reply_count(app) == 0


def _reply_count(app) -> int:
    from feedback.extensions import db
    from feedback.models import ProviderReply
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(ProviderReply)
                                  ).scalar_one()


def test_moderator_rejects_with_a_reason_and_edits_the_redaction(app, client, login_as,
                                                                make_user):
    ours = provider_with_items(app, cards=2)
    login_as("provider", organisation=ours["org"])
    _reply(client, "card", ours["cards"][0], "First reply about the club")
    _reply(client, "card", ours["cards"][1], "Second reply naming the worker Dave Smith")
    from feedback.extensions import db
    from feedback.models import ProviderReply
    with app.app_context():
        first, second = db.session.execute(db.select(ProviderReply).order_by(ProviderReply.id)
                                           ).scalars().all()
        first_id, second_id = first.id, second.id
    _as(client, make_user, "moderator")
    url = f"/moderation/replies/{first_id}"
    refused = post_form(client, url, {"action": "reject", "reason": "",
                                      "body_redacted": "First reply about the club"})
    assert refused.status_code == 400 and "Enter why you are rejecting it" in refused.get_data(True)
    assert post_form(client, url, {"action": "reject", "reason": "Off topic",
                                   "body_redacted": "x"}).status_code == 302
    assert client.get(url).status_code == 404  # decided: no longer waiting
    empty = post_form(client, f"/moderation/replies/{second_id}",
                      {"action": "approve", "body_redacted": "  "})
    assert empty.status_code == 400 and "nothing to publish" in empty.get_data(True)
    assert post_form(client, f"/moderation/replies/{second_id}",
                     {"action": "approve",
                      "body_redacted": "Second reply naming the worker [name]"}).status_code == 302
    public = client.get(f"/cards/service/{ours['service']}").get_data(as_text=True)
    assert "First reply about the club" not in public
    assert "Second reply naming the worker [name]" in public and "Dave Smith" not in public
    with app.app_context():
        rejected = db.session.get(ProviderReply, first_id)
        assert rejected.moderation_state == "rejected" and rejected.moderation_reason == "Off topic"


def test_a_concerning_reply_is_held_for_the_safeguarding_lead(app, client, login_as, make_user):
    ours = provider_with_items(app, cards=2)
    login_as("provider", organisation=ours["org"])
    concerning = "He hits me at home and I am scared to go back"
    assert _reply(client, "card", ours["cards"][0], concerning).status_code == 302
    assert _reply(client, "card", ours["cards"][1], concerning + " again").status_code == 302
    from feedback.extensions import db
    from feedback.models import ProviderReply
    with app.app_context():
        held = db.session.execute(db.select(ProviderReply).order_by(ProviderReply.id)
                                  ).scalars().all()
        assert all(r.safeguarding_flagged and r.safeguarding_categories for r in held)
        ids = [r.id for r in held]
    _as(client, make_user, "moderator")
    queue = client.get("/moderation/replies").get_data(as_text=True)
    assert "No reply is waiting" in queue and "2</strong> replies are held" in queue
    assert client.get(f"/moderation/replies/{ids[0]}").status_code == 404

    _as(client, make_user, "safeguarding_lead")
    page = client.get("/safeguarding/replies").get_data(as_text=True)
    assert concerning in page and f"Reply {ids[0]}" in page
    missing = post_form(client, "/safeguarding/replies", {"reply_id": str(ids[0])})
    assert missing.status_code == 400 and "Choose whether" in missing.get_data(True)
    assert post_form(client, "/safeguarding/replies",
                     {"reply_id": str(ids[0]), "decision": "release"}).status_code == 302
    assert post_form(client, "/safeguarding/replies",
                     {"reply_id": str(ids[1]), "decision": "private"}).status_code == 302
    assert post_form(client, "/safeguarding/replies",
                     {"reply_id": str(ids[1]), "decision": "release"}).status_code == 404
    assert "No reply is held" in client.get("/safeguarding/replies").get_data(as_text=True)

    _as(client, make_user, "moderator")
    queue = client.get("/moderation/replies").get_data(as_text=True)
    assert f"Reply {ids[0]} " in queue and f"Reply {ids[1]} " not in queue
    public = client.get(f"/cards/service/{ours['service']}").get_data(as_text=True)
    assert concerning not in public


@pytest.mark.parametrize("role", ["commissioner", "moderator", "safeguarding_lead", "forum_rep"])
def test_only_providers_may_reply(app, client, login_as, role):
    ours = provider_with_items(app, cards=1)
    login_as(role, organisation=ours["org"])
    url = f"/provider/card/{ours['cards'][0]}/reply"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"csrf_token": _token(client), "body": THANKS}).status_code == 403


def test_providers_cannot_moderate_or_decide_replies(app, client, login_as):
    ours = provider_with_items(app, cards=1)
    login_as("provider", organisation=ours["org"])
    _reply(client, "card", ours["cards"][0], THANKS)
    reply = _reply_row(app)
    assert client.get("/moderation/replies").status_code == 403
    assert client.get(f"/moderation/replies/{reply.id}").status_code == 403
    token = _token(client)
    assert client.post(f"/moderation/replies/{reply.id}",
                       data={"csrf_token": token, "action": "approve",
                             "body_redacted": THANKS}).status_code == 403
    assert client.get("/safeguarding/replies").status_code == 403
    assert _reply_row(app).moderation_state == "pending"


def test_a_published_reply_shows_under_the_answer_on_you_said_we_did(app, client, login_as,
                                                                     make_user):
    from feedback.extensions import db
    from feedback.models import ActionCard
    ours = provider_with_items(app, cards=1)
    card_id = ours["cards"][0]
    with app.app_context():
        card = db.session.get(ActionCard, card_id)
        card.status = "done"
        db.session.commit()
    login_as("provider", organisation=ours["org"])
    _reply(client, "card", card_id, THANKS)
    reply = _reply_row(app)
    page = client.get("/you-said-we-did").get_data(as_text=True)
    assert "The provider replied" not in page
    _as(client, make_user, "moderator")
    _approve(client, reply.id)
    page = client.get("/you-said-we-did").get_data(as_text=True)
    assert "The provider replied" in page and THANKS + " (The provider)" in page


def test_markup_in_a_reply_is_shown_as_text(app, client, login_as, make_user):
    ours = provider_with_items(app, cards=1)
    login_as("provider", organisation=ours["org"])
    _reply(client, "card", ours["cards"][0], '<script>alert("x")</script> <b>we fixed the bus times</b>')
    reply = _reply_row(app)
    _as(client, make_user, "moderator")
    page = client.get(f"/moderation/replies/{reply.id}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    _approve(client, reply.id)
    public = client.get(f"/cards/service/{ours['service']}").get_data(as_text=True)
    assert "<script>alert" not in public and "<b>we fixed" not in public
    assert "&lt;b&gt;we fixed the bus times&lt;/b&gt;" in public


def test_the_demo_replies_answer_words_about_their_subject_on_the_providers_own_services(db):
    """feedback/demo/replies.py: a reply goes only beside a published item of that provider's
    own services whose words are about the reply's subject; the newest waits for a moderator."""
    from feedback.demo.replies import add_replies
    from feedback.models import ProviderReply
    from tests.factories import make_card, make_user
    from tests.web.contracts_factories import make_provider, make_service
    ours, theirs = make_provider(db, "Brightpath Youth"), make_provider(db, "Elsewhere Trust")
    user = make_user(db, "provider", organisation="Brightpath Youth")
    service, other = make_service(db, ours), make_service(db, theirs)
    told = make_card(db, service=service, text="nobody told me how to register with a GP",
                     text_redacted="nobody told me how to register with a GP")
    make_card(db, service=service, text="the OT lady has a swing in her room",
              text_redacted="the OT lady has a swing in her room")
    make_card(db, service=other, text="14 months wait for an assessment",
              text_redacted="14 months wait for an assessment")
    make_card(db, service=service, text="not told anything", text_redacted="not told anything",
              moderation_state="pending")
    db.session.commit()
    assert add_replies({"provider": user}) == 1
    db.session.commit()
    [reply] = db.session.execute(db.select(ProviderReply)).scalars()
    assert reply.card_id == told.id and reply.provider_id == ours.id
    assert reply.moderation_state == "pending" and "nobody explained" in reply.body
