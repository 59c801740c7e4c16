"""The answer form on a phone or with a screen reader: the status choices are a question with a
legend, the item's status now is chosen when the form opens, and "Why is it not possible?" sits
under "Not possible" (GOV.UK conditional reveal, shown without JavaScript)."""
from __future__ import annotations

import lxml.html

from feedback import widgets
from tests.factories import build_card, make_service
from tests.helpers import post_form


def _card(db, **extra):
    card = build_card(kind="start", text="words", text_redacted="Please start a homework club",
                      service=make_service(db),
                      **{"moderation_state": "approved", "safeguarding_flagged": False, **extra})
    db.session.add(card)
    db.session.commit()
    return card


def _form(html: str):
    return lxml.html.fromstring(html).xpath("//main//form[@method='post']")[0]


def test_status_is_a_question_with_the_status_now_chosen(client, login_as, db):
    card = _card(db, status="action_planned")
    login_as("commissioner")
    form = _form(client.get(f"/insight/cards/{card.id}/answer").get_data(as_text=True))
    fieldset = form.xpath(".//fieldset[.//input[@name='status']]")[0]
    assert fieldset.xpath("normalize-space(./legend)") == "What is happening now?"
    assert form.xpath(".//input[@name='status'][@checked]/@value") == ["action_planned"]


def test_why_not_possible_is_revealed_under_not_possible(client, login_as, db):
    card = _card(db, status="being_looked_at")
    login_as("commissioner")
    form = _form(client.get(f"/insight/cards/{card.id}/answer").get_data(as_text=True))
    not_possible = form.xpath(".//input[@name='status'][@value='not_possible']")[0]
    revealed = form.xpath(f".//div[@id='{not_possible.get('data-aria-controls')}']")[0]
    assert "govuk-radios__conditional" in revealed.get("class")
    # Hidden only once GOV.UK Frontend's script runs (.govuk-frontend-supported): without
    # JavaScript the question is shown under its choice.
    assert "govuk-radios__conditional--hidden" in revealed.get("class")
    assert revealed.xpath(".//textarea[@name='reason']")
    assert "Why is it not possible?" in revealed.text_content()
    assert len(form.xpath(".//textarea[@name='reason']")) == 1
    assert form.xpath(".//input[@name='status'][@checked]/@value") == ["being_looked_at"]


def test_reason_stays_open_with_what_was_typed_and_is_not_cached(client, login_as, db):
    card = _card(db)
    login_as("commissioner")
    url = f"/insight/cards/{card.id}/answer"
    typed = "The hall is closed for building work until 2028"
    page = post_form(client, url, {"status": "not_possible", "reason": typed,
                                   "response": "x" * 1001})
    assert page.status_code == 200
    form = _form(page.get_data(as_text=True))
    assert form.xpath(".//input[@name='status'][@checked]/@value") == ["not_possible"]
    revealed = form.xpath(".//div[contains(@class, 'govuk-radios__conditional')]")[0]
    assert "govuk-radios__conditional--hidden" not in revealed.get("class")
    assert revealed.xpath("string(.//textarea[@name='reason'])").strip() == typed
    assert not any(typed in html for html in widgets._rendered.values())


def test_answering_several_cards_has_the_same_question(client, login_as, db):
    from feedback.models import Theme, ThemeAssignment
    from tests.factories import make_cards
    cards = make_cards(db, make_service(db), per_topic=12, topics={"a": ["the bus is late"]})
    theme = Theme(key="T8", label="Buses")
    db.session.add(theme)
    db.session.flush()
    db.session.add_all([ThemeAssignment(theme_id=theme.id, card_id=c.id) for c in cards])
    db.session.commit()
    login_as("commissioner")
    form = _form(client.get(f"/insight/themes/{theme.id}/answer").get_data(as_text=True))
    fieldset = form.xpath(".//fieldset[.//input[@name='status']]")[0]
    assert fieldset.xpath("normalize-space(./legend)") == "What is happening now?"
    assert form.xpath(".//div[contains(@class, 'govuk-radios__conditional')]"
                      "//textarea[@name='reason']")
