"""Hostile and unusual input to every staff form.

Hypothesis sends any Unicode (the alphabet of tests/web/test_fuzz_forms.py:
emoji, right-to-left text, combining marks, control characters other than
NUL and CR) and markers of HTML to the forum form, the import column mapping
and file cells, moderation decisions, safeguarding outcomes, theme curation,
answering (one item and many), contracts, KPI returns, review actions and the
password change form. Whatever arrives: no 500; a valid answer is stored
exactly as typed (or as the form documents: theme names have their spaces
collapsed, imported cells are trimmed); a marker of HTML never appears
unescaped on the page that answers or the page that shows it later.

Each test signs in once; its examples share that client and the rows its
fixture made, and each example makes the rows it changes. Profiles:
tests/web/conftest.py (``ci`` 25 examples, ``nightly`` 500). These run on
SQLite only: the escaping and validation are the database's business in no
way, and the PostgreSQL twins would double the time (the public-form fuzz
tests and every other web test cover PostgreSQL).
"""
from __future__ import annotations

import csv
import io
import secrets
from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from tests.helpers import post_form, sign_in
from tests.web.test_fuzz_forms import HOSTILE, MARKERS, _latest, _no_raw_markers
from tests.factories import build_card

pytestmark = pytest.mark.sqlite_only

MARKED = st.tuples(HOSTILE, st.sampled_from(MARKERS)).map(lambda t: t[0] + " " + t[1])
ANY_TEXT = st.one_of(HOSTILE, MARKED, st.just(""), st.just("   "))


def _clip(text: str, limit: int) -> str:
    return text[:limit]


def _same(stored, typed: str) -> bool:
    """Stored exactly as typed, or with only the surrounding whitespace trimmed (the
    staff services trim answers, notes and names; nothing inside is changed)."""
    return stored in (typed, typed.strip())


def _ok(response, where: str) -> None:
    """No 500; an error page names what is wrong; nothing unescaped."""
    assert response.status_code in (200, 302, 422), f"{where}: HTTP {response.status_code}"
    _no_raw_markers(response.data, where)
    if response.status_code == 422:
        assert b"govuk-error-summary" in response.data, where


@pytest.fixture()
def signed_in(app, make_user):
    """``signed_in("moderator")`` -> a client signed in with that role (one per role per test)."""
    clients = {}

    def make(role: str, **kwargs):
        if role not in clients:
            client = app.test_client()
            user = make_user(role, **kwargs)
            assert sign_in(client, user).status_code == 302
            clients[role] = client
        return clients[role]
    return make


def _add(app, *rows):
    from feedback.extensions import db
    with app.app_context():
        for row in rows:
            db.session.add(row)
        db.session.commit()
        return [row.id for row in rows]


def _get(app, model_name: str, row_id: int):
    from feedback import models
    from feedback.extensions import db
    with app.app_context():
        row = db.session.get(getattr(models, model_name), row_id)
        db.session.expunge(row)
        return row


# --- forum ---------------------------------------------------------------------

@pytest.fixture()
def family_services(app):
    from tests.fixtures.family_data import make_services
    return make_services(app)


@given(went_well=ANY_TEXT, could_be_better=ANY_TEXT, source_name=ANY_TEXT,
       families=st.sampled_from(["3", "0", "-1", "x", "", "99999999999"]))
def test_forum_entry_round_trips_and_is_escaped(app, signed_in, family_services, went_well,
                                                could_be_better, source_name, families):
    from tests.web.test_family_forum import FORUM_A, forum_form
    client = signed_in("forum_rep", organisation=FORUM_A)
    went_well, could_be_better = _clip(went_well, 2000), _clip(could_be_better, 2000)
    source_name = _clip(source_name, 200)
    response = post_form(client, "/forum/entries/new", forum_form(
        family_services, token=secrets.token_urlsafe(32), went_well=went_well,
        could_be_better=could_be_better, source_name=source_name,
        families_represented=families))
    _ok(response, "/forum/entries/new")
    if response.status_code != 302:
        return
    entry = _latest(app, "FeedbackEntry")
    assert _same(entry.went_well, went_well) and _same(entry.could_be_better, could_be_better)
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    _no_raw_markers(page.data, "forum entry page")
    _no_raw_markers(client.get("/forum").data, "/forum")


# --- import: file cells and the column mapping -----------------------------------

def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


@given(header=HOSTILE, went_well=MARKED, could_be_better=HOSTILE)
def test_import_cells_and_headers_are_escaped_and_stored_trimmed(
        app, signed_in, family_services, header, went_well, could_be_better):
    from tests.web.test_import_flow import confirm, map_columns, report, upload
    client = signed_in("forum_rep", organisation="Shire Family Voice")
    # Unique per example: a row whose words match an earlier one is a duplicate, not imported.
    went_well = _clip(went_well, 1500) + " " + secrets.token_hex(4)
    could_be_better = _clip(could_be_better, 1500)
    data = _csv([["Service", "What went well", "What could be better", header],
                 ["Short Breaks Service", went_well, could_be_better, "x"]])
    sent = upload(client, data, "fuzz.csv")
    _ok(sent, "/feedback/import")
    if sent.status_code != 302:
        return
    page, mapped = map_columns(client)
    _no_raw_markers(page.encode(), "/feedback/import/columns")
    _ok(mapped, "/feedback/import/columns (post)")
    if mapped.status_code != 302:
        return
    check = report(client)
    _no_raw_markers(check.encode(), "/feedback/import/check")
    if "Ready to import" not in check or confirm(client).status_code != 302:
        return
    entry = _latest(app, "FeedbackEntry")
    # The reader trims each cell (and a CSV cannot carry a lone CR): as documented.
    assert entry.went_well == went_well.strip()
    assert (entry.could_be_better or "") == could_be_better.strip()


@given(values=st.dictionaries(st.sampled_from(["col_went_well", "col_could_be_better",
                                               "col_service", "col_rating", "col_source_date",
                                               "col_area", "col_nonsense"]),
                              st.one_of(HOSTILE, st.sampled_from(["0", "1", "-1", "99", ""])),
                              max_size=7))
def test_column_mapping_any_values_never_500(app, signed_in, family_services, values):
    from tests.helpers import csrf_token
    from tests.web.test_import_flow import upload
    client = signed_in("commissioner")
    if not hasattr(client, "fuzz_uploaded"):
        data = _csv([["Service", "What went well"], ["Short Breaks Service", "Good"]])
        assert upload(client, data, "map.csv").status_code == 302
        client.fuzz_uploaded = True
    values = dict(values, csrf_token=csrf_token(client, "/feedback/import/columns"))
    response = client.post("/feedback/import/columns", data=values)
    _ok(response, "/feedback/import/columns")
    if response.status_code == 302:
        _ok(client.get("/feedback/import/check"), "/feedback/import/check")


# --- moderation and safeguarding -------------------------------------------------

@given(original=MARKED, action=st.sampled_from(["approve", "reject", "redact", "refer", "other",
                                                 ""]),
       text=ANY_TEXT)
def test_moderation_decisions_store_exactly_and_escape(app, signed_in, original, action, text):
    client = signed_in("moderator")
    [card_id] = _add(app, build_card(kind="change", text=_clip(original, 1000),
                                     text_redacted=_clip(original, 1000),
                                     moderation_state="pending"))
    page = client.get(f"/moderation/card/{card_id}")
    assert page.status_code == 200
    _no_raw_markers(page.data, "moderation item")
    field = {"reject": "reason", "redact": "text_redacted", "approve": "text_redacted",
             "refer": "refer_reason"}.get(action, "reason")
    typed = _clip(text, 2000)
    response = post_form(client, f"/moderation/card/{card_id}/decide",
                         {"action": action, field: typed}, form_url=f"/moderation/card/{card_id}")
    _ok(response, "moderation decision")
    card = _get(app, "ActionCard", card_id)
    if response.status_code == 302 and action == "reject":
        assert card.moderation_state == "rejected" and _same(card.moderation_reason, typed)
    if response.status_code == 302 and action == "redact":
        assert _same(card.text_redacted, typed)
        _no_raw_markers(client.get(f"/moderation/card/{card_id}").data, "moderation item")
    if response.status_code == 302 and action == "refer":
        assert card.safeguarding_flagged and _same(card.safeguarding_referral_reason, typed)
    if action == "approve" and not typed.strip():  # nothing to publish
        assert response.status_code == 422 and card.moderation_state == "pending"
    elif action == "approve":  # what was in the box is what is published
        assert response.status_code == 302 and card.moderation_state == "approved"
        assert _same(card.text_redacted, typed)
    _no_raw_markers(client.get("/moderation").data, "/moderation")


@given(original=MARKED, outcome=st.sampled_from(["referred", "no_concern", "handled", "other",
                                                  "bogus", ""]),
       note=ANY_TEXT, release=st.sampled_from([None, "private", "released", "bogus"]))
def test_safeguarding_outcome_stores_the_note_exactly(app, signed_in, original, outcome, note,
                                                      release):
    client = signed_in("safeguarding_lead")
    [card_id] = _add(app, build_card(kind="stop", text=_clip(original, 1000),
                                     safeguarding_flagged=True,
                                     safeguarding_categories=["self_harm"],
                                     moderation_state="pending", text_redacted=None))
    note = _clip(note, 4000)
    url = f"/safeguarding/card/{card_id}"
    _no_raw_markers(client.get(url).data, "safeguarding item")
    sent = {"outcome": outcome, "note": note, **({"release": release} if release else {})}
    response = post_form(client, url, sent)
    _ok(response, url)
    if response.status_code == 302:
        card = _get(app, "ActionCard", card_id)
        assert card.safeguarding_outcome == outcome and _same(card.safeguarding_note, note)
        assert card.safeguarding_release == (release or "private")
        assert card.safeguarding_flagged == (card.safeguarding_release == "private")
        _no_raw_markers(client.get(url).data, "safeguarding item after the decision")
    _no_raw_markers(client.get("/safeguarding").data, "/safeguarding")


# --- theme curation and answering ---------------------------------------------------

@pytest.fixture()
def theme(app):
    """Two themes over twelve published cards (enough people to show them)."""
    from feedback.extensions import db
    from feedback.models import Theme, ThemeAssignment
    with app.app_context():
        cards = [build_card(kind="change", text=f"Buses are late {n}",
                            text_redacted=f"Buses are late {n}", moderation_state="approved")
                 for n in range(12)]
        themes = [Theme(key="F1", label="Buses"), Theme(key="F2", label="Waiting")]
        db.session.add_all(cards + themes)
        db.session.flush()
        db.session.add_all(ThemeAssignment(theme_id=themes[0].id, card_id=c.id) for c in cards)
        db.session.commit()
        return {"theme": themes[0].id, "other": themes[1].id, "cards": [c.id for c in cards]}


@given(name=ANY_TEXT)
def test_theme_rename_stores_the_name_with_spaces_collapsed(app, signed_in, theme, name):
    client = signed_in("commissioner")
    name = _clip(name, 200)
    url = f"/insight/themes/{theme['theme']}/rename"
    response = post_form(client, url, {"name": name})
    _ok(response, url)
    if response.status_code == 302:
        assert _get(app, "Theme", theme["theme"]).curated_name == " ".join(name.split())
        _no_raw_markers(client.get(f"/insight/themes/{theme['theme']}").data, "theme page")
        _no_raw_markers(client.get("/insight/themes").data, "/insight/themes")
        _no_raw_markers(client.get("/insight").data, "/insight")
    else:
        assert not name.strip()


@given(into=st.one_of(HOSTILE, st.sampled_from(["", "0", "-1", "999999"])),
       items=st.lists(st.one_of(HOSTILE, st.sampled_from(["card:1", "feedback:1", "1"])),
                      max_size=4),
       name=ANY_TEXT)
def test_merge_and_split_any_values_never_500(app, signed_in, theme, into, items, name):
    client = signed_in("commissioner")
    merge = f"/insight/themes/{theme['theme']}/merge"
    _ok(post_form(client, merge, {"into": into}), merge)
    split = f"/insight/themes/{theme['theme']}/split"
    _ok(post_form(client, split, {"items": items, "name": _clip(name, 200)}), split)


@given(status=st.sampled_from(["action_planned", "done", "not_possible", "being_looked_at",
                               "received", "bogus", ""]),
       response_text=ANY_TEXT, reason=ANY_TEXT)
def test_answer_one_card_stores_the_answer_exactly(app, signed_in, theme, status, response_text,
                                                   reason):
    from feedback.extensions import db
    from feedback.models import Response
    client = signed_in("commissioner")
    card_id = theme["cards"][0]
    url = f"/insight/cards/{card_id}/answer"
    answer, why = _clip(response_text, 1000), _clip(reason, 1000)
    response = post_form(client, url, {"status": status, "response": answer, "reason": why})
    _ok(response, url)
    if response.status_code == 302:
        assert _get(app, "ActionCard", card_id).status == status
        with app.app_context():
            bodies = db.session.execute(db.select(Response.body).where(
                Response.card_id == card_id).order_by(Response.id.desc()).limit(1)).scalars().all()
        if answer.strip():
            assert len(bodies) == 1 and _same(bodies[0], answer)
        _no_raw_markers(client.get(url).data, "answer page")
        _no_raw_markers(client.get("/you-said-we-did").data, "/you-said-we-did")


@given(cards=st.lists(st.one_of(st.sampled_from(["first", "second"]), HOSTILE), max_size=3),
       status=st.sampled_from(["action_planned", "done", "not_possible", "bogus", ""]),
       response_text=ANY_TEXT)
def test_answer_many_cards_any_values(app, signed_in, theme, cards, status, response_text):
    client = signed_in("commissioner")
    ids = {"first": str(theme["cards"][1]), "second": str(theme["cards"][2])}
    url = f"/insight/themes/{theme['theme']}/answer"
    response = post_form(client, url, {"cards": [ids.get(c, c) for c in cards], "status": status,
                                       "response": _clip(response_text, 1000)})
    _ok(response, url)
    if response.status_code == 302:
        assert _get(app, "ActionCard", theme["cards"][1]).status == status \
            or "first" not in cards
    _no_raw_markers(client.get(url).data, url)


# --- contracts ------------------------------------------------------------------------

@pytest.fixture()
def contract(app):
    from feedback.extensions import db
    from tests.web.contracts_factories import make_contract, make_review
    with app.app_context():
        made = make_contract(db)
        review = make_review(db, made)
        db.session.commit()
        return {"contract": made.id, "provider": made.provider_id,
                "service": made.services[0].id, "review": review.id,
                "kpi": made.kpis[0].id}


NUMBERS = st.one_of(HOSTILE, st.sampled_from(["250,000", "£1,000.50", "-5", "1e400", "NaN",
                                              "inf", "0", "", "9" * 40]))
DATE_PARTS = st.one_of(st.lists(st.one_of(HOSTILE, st.sampled_from(["1", "31", "2", "2026",
                                                                    "0", "-1", ""])),
                                min_size=0, max_size=3),
                       st.just(["1", "4", "2025"]))


@given(reference=ANY_TEXT, title=ANY_TEXT, value=NUMBERS, start=DATE_PARTS, notes=ANY_TEXT,
       extension=ANY_TEXT, frequency=st.sampled_from(["quarterly", "annual", "bogus", ""]),
       edit=st.booleans())
def test_contract_create_and_edit_store_exactly(app, signed_in, contract, reference, title, value,
                                                start, notes, extension, frequency, edit):
    client = signed_in("commissioner")
    if not edit:  # a new contract needs a reference no other contract has
        reference = _clip(reference, 34) + secrets.token_hex(3)
    data = {"reference": _clip(reference, 40), "title": _clip(title, 200),
            "provider_id": str(contract["provider"]), "service_ids": [str(contract["service"])],
            "annual_value": value, "start_date": start, "end_date": ["31", "3", "2030"],
            "extension_options": _clip(extension, 200), "review_frequency": frequency,
            "contract_manager_id": "0", "notes": _clip(notes, 2000)}
    url = f"/contracts/{contract['contract']}/edit" if edit else "/contracts/new"
    response = post_form(client, url, data)
    _ok(response, url)
    if response.status_code == 302:
        saved = _latest(app, "Contract") if not edit else _get(app, "Contract",
                                                               contract["contract"])
        assert _same(saved.reference, data["reference"]) and _same(saved.title, data["title"])
        assert _same(saved.notes or "", data["notes"])
        page = client.get(f"/contracts/{saved.id}")
        assert page.status_code == 200
        _no_raw_markers(page.data, "contract page")
        _no_raw_markers(client.get("/contracts").data, "/contracts")


@given(value=NUMBERS, commentary=ANY_TEXT)
def test_kpi_returns_store_the_commentary_exactly(app, signed_in, contract, value, commentary):
    from feedback.extensions import db
    from feedback.models import KpiReturn
    client = signed_in("commissioner")
    kpi, review = contract["kpi"], contract["review"]
    url = f"/contracts/reviews/{review}/kpis"
    commentary = _clip(commentary, 1000)
    response = post_form(client, url, {f"value_{kpi}": value, f"commentary_{kpi}": commentary})
    _ok(response, url)
    if response.status_code == 302:
        with app.app_context():
            saved = db.session.execute(db.select(KpiReturn).filter_by(
                kpi_id=kpi, review_id=review)).scalar_one_or_none()
            stored = saved.commentary if saved else None
        if commentary.strip():
            assert _same(stored, commentary)
        for page in (f"/contracts/reviews/{review}", f"/contracts/reviews/{review}/pack"):
            _no_raw_markers(client.get(page).data, page)


@given(description=ANY_TEXT, owner=ANY_TEXT, message=ANY_TEXT, due=DATE_PARTS,
       status=st.sampled_from(["open", "in_progress", "done", "bogus", ""]),
       answer=ANY_TEXT)
def test_review_action_and_its_status_store_exactly(app, signed_in, contract, description,
                                                    owner, message, due, status, answer):
    client = signed_in("commissioner")
    review = contract["review"]
    url = f"/contracts/reviews/{review}/actions/new"
    soon = date.today() + timedelta(days=30)
    data = {"description": _clip(description, 2000), "owner": _clip(owner, 200),
            "message_to_young_people": _clip(message, 1000),
            "due_date": due if due != ["1", "4", "2025"] else
            [str(soon.day), str(soon.month), str(soon.year)]}
    response = post_form(client, url, data)
    _ok(response, url)
    if response.status_code != 302:
        return
    action = _latest(app, "ReviewAction")
    assert _same(action.description, data["description"]) and _same(action.owner, data["owner"])
    status_url = f"/contracts/actions/{action.id}"
    changed = post_form(client, status_url, {"status": status, "mark_cards_done": "no",
                                             "response": _clip(answer, 1000)})
    _ok(changed, status_url)
    for page in (status_url, f"/contracts/reviews/{review}", f"/contracts/reviews/{review}/pack"):
        _no_raw_markers(client.get(page).data, page)


# --- account --------------------------------------------------------------------------

@given(current=st.one_of(st.just("right"), HOSTILE), new=st.one_of(HOSTILE, st.just("")),
       confirm_same=st.booleans())
def test_password_change_any_input(app, make_user, current, new, confirm_same):
    from tests.helpers import TEST_PASSWORD
    client = app.test_client()
    user = make_user("commissioner")
    assert sign_in(client, user).status_code == 302
    new = _clip(new, 256)
    response = post_form(client, "/account/password", {
        "current_password": TEST_PASSWORD if current == "right" else _clip(current, 256),
        "new_password": new, "confirm_password": new if confirm_same else new + "x"})
    _ok(response, "/account/password")
    if response.status_code == 302:
        again = app.test_client()
        assert sign_in(again, user, password=new).status_code == 302
