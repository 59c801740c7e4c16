"""The safeguarding lead's queue through the HTTP client, on both databases:
moderators' referrals, what the lead sees, the queue order, release or keep
private after a decision, and who may do what."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.helpers import approve_as_shown, post_form, sign_in
from tests.fixtures.family_data import make_services
from tests.factories import build_card

PARENT = "my child is self-harming and we have had no help from CAMHS"


@pytest.fixture()
def people(app, make_user):
    """A signed-in client for a moderator and for a safeguarding lead."""
    clients = {}
    for role in ("moderator", "safeguarding_lead"):
        client = app.test_client()
        user = make_user(role, name=f"Sam {role.replace('_', ' ').title()}")
        assert sign_in(client, user).status_code == 302
        clients[role] = (client, user)
    return clients


def _add(app, *items):
    from feedback.extensions import db
    with app.app_context():
        db.session.add_all(items)
        db.session.commit()
        return [item.id for item in items]


def _get(app, model_name, item_id):
    from feedback import models
    from feedback.extensions import db
    with app.app_context():
        item = db.session.get(getattr(models, model_name), item_id)
        db.session.expunge(item)
        return item


def _events(app, action):
    from feedback.extensions import db
    from feedback.models import AuditEvent
    with app.app_context():
        return [(e.actor_id, e.object_type, e.object_id, e.detail) for e in db.session.execute(
            db.select(AuditEvent).filter_by(action=action).order_by(AuditEvent.id)).scalars()]


def _published_refs(app):
    from feedback.theme_store import published_items
    with app.app_context():
        return {item.ref for item in published_items()}


# --- referral -------------------------------------------------------------------

def test_moderator_refers_with_a_reason_audited_and_it_reaches_the_lead(app, people):
    moderator, mod_user = people["moderator"]
    lead_client, _ = people["safeguarding_lead"]
    [card_id] = _add(app, build_card(kind="change", text="my step dad shouts and i stay out late",
                                     text_redacted="my step dad shouts and i stay out late",
                                     moderation_state="pending"))
    url = f"/moderation/card/{card_id}"
    assert "Refer to safeguarding lead" in moderator.get(url).get_data(as_text=True)
    refused = post_form(moderator, url + "/decide", {"action": "refer", "refer_reason": "  "},
                        form_url=url)
    assert refused.status_code == 422
    assert "Enter why you are referring it to the safeguarding lead" in refused.get_data(as_text=True)
    assert not _get(app, "ActionCard", card_id).safeguarding_flagged
    assert f"Action card {card_id}<" not in lead_client.get("/safeguarding").get_data(as_text=True)

    done = post_form(moderator, url + "/decide",
                     {"action": "refer", "refer_reason": "Stays out late to avoid home"},
                     form_url=url)
    assert done.status_code == 302
    card = _get(app, "ActionCard", card_id)
    assert card.safeguarding_flagged and not card.is_published
    assert card.safeguarding_referral_reason == "Stays out late to avoid home"
    assert card.safeguarding_referred_by_id == mod_user.id and card.safeguarding_referred_at
    assert _events(app, "safeguarding.referred") == [
        (mod_user.id, "action_card", card_id, {"reason": "Stays out late to avoid home"})]
    assert [d["outcome"] for _a, _t, i, d in _events(app, "safeguarding.alert") if i == card_id]
    # Held like a flagged item: out of moderation, in the lead's queue, undecided.
    assert f"Action card {card_id}<" not in moderator.get("/moderation").get_data(as_text=True)
    queue = lead_client.get("/safeguarding").get_data(as_text=True)
    assert f"Action card {card_id}<" in queue and "Referred by a moderator" in queue
    page = lead_client.get(f"/safeguarding/card/{card_id}").get_data(as_text=True)
    assert "Stays out late to avoid home" in page and "Sam Moderator" in page


def test_refer_reason_is_limited_and_only_moderators_refer(app, people):
    moderator, _ = people["moderator"]
    lead_client, _ = people["safeguarding_lead"]
    [card_id] = _add(app, build_card(kind="change", text="x", text_redacted="x", moderation_state="pending"))
    url = f"/moderation/card/{card_id}"
    long = post_form(moderator, url + "/decide", {"action": "refer", "refer_reason": "y" * 2001},
                     form_url=url)
    assert long.status_code == 422
    assert "The reason must be 2,000 characters or fewer" in long.get_data(as_text=True)
    token_page = f"/safeguarding/card/{card_id}"
    assert post_form(lead_client, url + "/decide", {"action": "refer", "refer_reason": "why"},
                     form_url=token_page).status_code == 403
    assert not _get(app, "ActionCard", card_id).safeguarding_flagged


# --- what the lead sees -----------------------------------------------------------

def test_lead_sees_a_cards_trigger_age_band_cohort_service_and_contact(app, client, people):
    from tests.web.test_cards import go_through, send
    from feedback.extensions import db
    from feedback.models import ActionCard, Service
    lead_client, _ = people["safeguarding_lead"]
    with app.app_context():
        service = Service(name="Northgate Youth Club", plain_name="Northgate youth club",
                          thematic_area="health_wellbeing")
        db.session.add(service)
        db.session.commit()
        service_id = service.id
    _, token = go_through(client, service_id, text="sometimes i want to kill myself",
                          contact={"method": "email", "detail": "jo@example.org"})
    send(client, token)
    with app.app_context():
        card = db.session.execute(db.select(ActionCard)).scalar_one()
        assert card.safeguarding_flagged
        phrases = card.safeguarding_trigger["phrases"]
        assert phrases and phrases[0]["category"] == "self_harm"
        assert "kill myself" in phrases[0]["words"]
        assert card.safeguarding_score is None or 0 <= card.safeguarding_score <= 1
        card_id = card.id
    page = lead_client.get(f"/safeguarding/card/{card_id}").get_data(as_text=True)
    for shown in ("Northgate youth club", "11 to 13", "In care", "Email: jo@example.org",
                  "kill myself", "Self-harm or suicidal thoughts", "Priority"):
        assert shown in page, shown


def test_lead_sees_the_models_score_and_reasons(app, people):
    lead_client, _ = people["safeguarding_lead"]
    [card_id] = _add(app, build_card(
        kind="stop", text="he makes me send pictures", safeguarding_flagged=True,
        safeguarding_categories=["online_grooming"], age_band="14-15", young_carer=True,
        send=True, contact_method="worker", safeguarding_score=0.8731,
        safeguarding_trigger={"phrases": [], "reasons": ["send pictures", "makes me"]},
                                     moderation_state="pending", text_redacted=None))
    page = lead_client.get(f"/safeguarding/card/{card_id}").get_data(as_text=True)
    for shown in ("0.87", "send pictures, makes me", "14 to 15", "SEND, Young carer",
                  "Through their worker", "Online grooming or sextortion"):
        assert shown in page, shown
    queue = lead_client.get("/safeguarding").get_data(as_text=True)
    assert "0.87" in queue and "Priority" in queue


def test_lead_sees_an_imported_entrys_forum_file_and_row(app, make_user):
    from tests.web.test_import_safeguarding import FORUM, forum_csv, run_import
    from feedback.extensions import db
    from feedback.models import FeedbackEntry
    make_services(app)
    rep = app.test_client()
    assert sign_in(rep, make_user("forum_rep", organisation=FORUM)).status_code == 302
    run_import(rep, forum_csv(6, {4: "older lads are grooming my boy"}), "spring-survey.csv")
    with app.app_context():
        entry = db.session.execute(db.select(FeedbackEntry).where(
            FeedbackEntry.safeguarding_flagged.is_(True))).scalar_one()
        assert entry.safeguarding_trigger["phrases"][0]["words"] == "grooming my"
        entry_id, row, batch = entry.id, entry.import_row_number, entry.import_batch_id
    lead = app.test_client()
    assert sign_in(lead, make_user("safeguarding_lead")).status_code == 302
    page = lead.get(f"/safeguarding/feedback/{entry_id}").get_data(as_text=True)
    for shown in (FORUM, f"spring-survey.csv (import {batch})", f">{row}<", "Forum import",
                  "Parent or carer", "Short Breaks Service", "“grooming my”",
                  "Exploitation (county lines, grooming)"):
        assert shown in page, shown
    assert row == 6  # the fifth data row, under the header


def test_import_stores_the_models_score_and_reasons(app, make_user):
    """With a learned model in use, what it said is kept on the entry (the
    screen is given here; the import, its storage and the page are real)."""
    from feedback.family.imports import import_file
    from feedback.family.screening import Screener
    from feedback.extensions import db
    from feedback.models import FeedbackEntry
    from feedback.safeguarding import Screening
    from feedback.family.fields import guess_mapping
    from tests.fixtures.family_data import HEADERS
    from tests.web.test_import_safeguarding import FORUM, forum_csv
    make_services(app)
    rep = make_user("forum_rep", organisation=FORUM)
    screener = Screener()
    screener._screen = lambda text: (
        Screening(True, ("substance_misuse",), score=0.91, model_flagged=True,
                  reasons=("gives him vapes",)) if "vapes" in text else
        Screening(False, (), score=0.02))
    with app.app_context():
        rep = db.session.merge(rep)
        outcome = import_file(rep, forum_csv(3, {1: "a man gives him vapes"}), "vapes.csv",
                              guess_mapping(HEADERS), rep.organisation_id, screener=screener)
        assert outcome.flagged == 1
        entries = db.session.execute(db.select(FeedbackEntry).order_by(
            FeedbackEntry.import_row_number)).scalars().all()
        assert [e.safeguarding_score for e in entries] == [0.02, 0.91, 0.02]
        assert entries[1].safeguarding_trigger == {"phrases": [], "reasons": ["gives him vapes"]}
        assert entries[0].safeguarding_trigger is None


# --- the queue order ----------------------------------------------------------------

def test_queue_puts_priority_kinds_first_then_the_longest_waiting(app, people):
    from feedback.models import FeedbackEntry
    lead_client, lead_user = people["safeguarding_lead"]
    now = datetime.now(timezone.utc)

    def ago(days):
        return now - timedelta(days=days)

    def card(days, categories, **extra):
        return build_card(kind="stop", text="t", safeguarding_flagged=True,
                          safeguarding_categories=categories, created_at=ago(days),
                          **{"moderation_state": "pending", "text_redacted": None, **extra})
    items = [
        card(30, ["abuse"]),                                       # 0 ordinary, oldest
        card(2, ["self_harm"]),                                    # 1 priority, newer
        FeedbackEntry(respondent_type="parent_carer", went_well="w", safeguarding_flagged=True,
                      safeguarding_categories=["neglect", "sexual_abuse"],
                      created_at=ago(5)),                          # 2 priority
        card(10, ["exploitation", "said_unsafe"]),                 # 3 priority, oldest of them
        card(40, None, safeguarding_referral_reason="worried",     # 4 ordinary, but referred
             safeguarding_referred_at=ago(1)),                     #   only a day ago
        card(60, ["self_harm"], safeguarding_outcome="referred",   # 5 decided
             safeguarding_note="n", safeguarding_reviewed_at=ago(3)),
        card(0.5, ["said_unsafe"]),                                # 6 ordinary, newest
        card(50, ["threats"], safeguarding_outcome="no_concern",   # 7 decided more recently
             safeguarding_note="n", safeguarding_reviewed_at=ago(1)),
    ]
    ids = _add(app, *items)
    keys = [f"{'feedback' if isinstance(i, FeedbackEntry) else 'card'}-{n}"
            for i, n in zip(items, ids)]
    expected = [keys[i] for i in (3, 2, 1, 0, 4, 6, 7, 5)]
    from feedback.extensions import db
    from feedback.moderation.lead import safeguarding_queue
    with app.app_context():
        page = safeguarding_queue(db.session.merge(lead_user))
        assert [q.key for q in page.items] == expected
        small = safeguarding_queue(db.session.merge(lead_user), page=2, per_page=3)
        assert [q.key for q in small.items] == expected[3:6] and small.pages == 3
    html = lead_client.get("/safeguarding").get_data(as_text=True)
    shown = [html.index(f"/safeguarding/{key.replace('-', '/')}\"") for key in expected]
    assert shown == sorted(shown)


# --- after the decision: release or keep private ------------------------------------------

def _parent_entry(app, client):
    """A parent's feedback through the public form, flagged by the real screen."""
    from tests.web.test_family_form import answers, entries, form_token
    services = make_services(app)
    csrf, token = form_token(client)
    assert client.post("/feedback/new", data=answers(
        services, token, csrf, went_well="", could_be_better=PARENT,
        disability_send="yes", child_age_band="11-15")).status_code == 302
    [entry] = entries(app)
    assert entry.safeguarding_flagged and "self_harm" in entry.safeguarding_categories
    return entry.id


def test_keep_private_is_the_default_and_never_reaches_insight(app, client, people):
    moderator, _ = people["moderator"]
    lead_client, lead_user = people["safeguarding_lead"]
    entry_id = _parent_entry(app, client)
    url = f"/safeguarding/feedback/{entry_id}"
    page = lead_client.get(url).get_data(as_text=True)
    assert 'name="release" type="radio" value="private" checked>' in page
    assert 'value="released" checked' not in page
    for shown in ("Parent or carer", "11 to 15", "Portage Home Visiting", "self-harming",
                  "Feedback entries carry no contact details"):
        assert shown in page, shown
    # A post without the choice (the default) keeps the words private.
    assert post_form(lead_client, url, {"outcome": "no_concern",
                                        "note": "Known to CAMHS"}).status_code == 302
    entry = _get(app, "FeedbackEntry", entry_id)
    assert entry.safeguarding_release == "private" and entry.safeguarding_flagged
    assert entry.moderation_state == "pending" and not entry.is_published
    assert _events(app, "safeguarding.kept_private") == [
        (lead_user.id, "feedback_entry", entry_id, {"outcome": "no_concern"})]
    assert [e[3] for e in _events(app, "safeguarding.recorded")] == [
        {"outcome": "no_concern", "release": "private"}]
    assert f"Feedback {entry_id}<" not in moderator.get("/moderation").get_data(as_text=True)
    # Even a moderator who opens it and approves it does not publish it.
    assert approve_as_shown(moderator, "feedback", entry_id).status_code == 302
    assert not _get(app, "FeedbackEntry", entry_id).is_published
    assert f"feedback:{entry_id}" not in _published_refs(app)
    assert "kept private" in lead_client.get("/safeguarding").get_data(as_text=True)


def test_released_item_is_moderated_again_and_then_reaches_themes(app, client, people):
    moderator, _ = people["moderator"]
    lead_client, lead_user = people["safeguarding_lead"]
    entry_id = _parent_entry(app, client)
    url = f"/safeguarding/feedback/{entry_id}"
    assert post_form(lead_client, url, {"outcome": "handled", "note": "Spoke to the family",
                                        "release": "released"}).status_code == 302
    entry = _get(app, "FeedbackEntry", entry_id)
    assert entry.safeguarding_release == "released" and not entry.safeguarding_flagged
    assert entry.moderation_state == "pending" and entry.safeguarding_outcome == "handled"
    assert _events(app, "safeguarding.released") == [
        (lead_user.id, "feedback_entry", entry_id, {"outcome": "handled"})]
    assert f"feedback:{entry_id}" not in _published_refs(app)  # not before moderation
    # Back in moderation like any other item; still in the lead's decided list.
    assert f"Feedback {entry_id}<" in moderator.get("/moderation").get_data(as_text=True)
    page = moderator.get(f"/moderation/feedback/{entry_id}").get_data(as_text=True)
    assert "Released to moderation by the safeguarding lead" in page
    assert "released" in lead_client.get("/safeguarding").get_data(as_text=True)
    assert approve_as_shown(moderator, "feedback", entry_id).status_code == 302
    entry = _get(app, "FeedbackEntry", entry_id)
    assert entry.is_published and entry.could_be_better_redacted == PARENT
    assert f"feedback:{entry_id}" in _published_refs(app)
    # The lead can still take it back: keeping it private unpublishes it.
    assert post_form(lead_client, url, {"outcome": "handled", "note": "Family asked us not to",
                                        "release": "private"}).status_code == 302
    assert not _get(app, "FeedbackEntry", entry_id).is_published
    assert f"feedback:{entry_id}" not in _published_refs(app)
    assert _events(app, "safeguarding.kept_private")[-1][3] == {"outcome": "handled",
                                                                  "withdrawn": True}


@pytest.mark.parametrize("outcome", ["referred", "other"])
def test_only_no_concern_or_handled_can_be_released(app, client, people, outcome):
    lead_client, _ = people["safeguarding_lead"]
    entry_id = _parent_entry(app, client)
    url = f"/safeguarding/feedback/{entry_id}"
    refused = post_form(lead_client, url, {"outcome": outcome, "note": "Passed to the duty team",
                                           "release": "released"})
    assert refused.status_code == 422
    assert "Only an item with no concern, or handled, can be released" in \
        refused.get_data(as_text=True)
    entry = _get(app, "FeedbackEntry", entry_id)
    assert entry.safeguarding_flagged and entry.safeguarding_outcome is None
    bogus = post_form(lead_client, url, {"outcome": "no_concern", "note": "n", "release": "x"})
    assert bogus.status_code == 422 and "Not a valid choice" in bogus.get_data(as_text=True)


def test_a_released_item_referred_again_is_undecided_in_the_lead_queue(app, people):
    moderator, _ = people["moderator"]
    lead_client, _ = people["safeguarding_lead"]
    [card_id] = _add(app, build_card(kind="stop", text="i hate it at home",
                                     safeguarding_flagged=True, safeguarding_categories=["abuse"],
                                     moderation_state="pending", text_redacted=None))
    post_form(lead_client, f"/safeguarding/card/{card_id}",
              {"outcome": "no_concern", "note": "About chores", "release": "released"})
    url = f"/moderation/card/{card_id}"
    post_form(moderator, url + "/decide", {"action": "refer", "refer_reason": "New worry"},
              form_url=url)
    card = _get(app, "ActionCard", card_id)
    assert card.safeguarding_flagged and card.safeguarding_outcome is None
    assert card.safeguarding_release is None and card.safeguarding_reviewed_at is None
    row = lead_client.get("/safeguarding").get_data(as_text=True).split(
        f"/safeguarding/card/{card_id}")[1].split("</tr>")[0]
    assert "Not decided" in row


# --- who may use the lead's queue ---------------------------------------------------

@pytest.mark.parametrize("role", ["moderator", "commissioner", "admin", "forum_rep", "provider"])
def test_only_the_safeguarding_lead_sees_the_lead_queue(app, make_user, role):
    [card_id] = _add(app, build_card(kind="stop", text="i want to die", safeguarding_flagged=True,
                                     safeguarding_categories=["self_harm"],
                                     moderation_state="pending", text_redacted=None))
    client = app.test_client()
    assert sign_in(client, make_user(role, organisation="Some Forum"
                                     if role == "forum_rep" else None)).status_code == 302
    assert client.get("/safeguarding").status_code == 403
    assert client.get(f"/safeguarding/card/{card_id}").status_code == 403
    assert post_form(client, f"/safeguarding/card/{card_id}", {
        "outcome": "no_concern", "note": "n", "release": "released"},
        form_url="/account").status_code == 403
    assert _get(app, "ActionCard", card_id).safeguarding_flagged
    anonymous = app.test_client()
    assert anonymous.get("/safeguarding").status_code == 302


def test_services_refuse_other_roles(app, make_user):
    from feedback.extensions import db
    from feedback.moderation import lead
    from feedback.moderation.services import NotAllowed
    [card_id] = _add(app, build_card(kind="stop", text="t", safeguarding_flagged=True,
                                     moderation_state="pending", text_redacted=None))
    moderator, the_lead = make_user("moderator"), make_user("safeguarding_lead")
    with app.app_context():
        with pytest.raises(NotAllowed):
            lead.safeguarding_queue(db.session.merge(moderator))
        with pytest.raises(NotAllowed):
            lead.record_safeguarding("card", card_id, db.session.merge(moderator), "no_concern", "n")
        with pytest.raises(NotAllowed):
            lead.refer("card", card_id, db.session.merge(the_lead), "why")
