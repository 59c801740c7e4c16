"""Honest quotes: distinct texts (after normalising), each with its own service,
source and month, redacted and published only, best placed first; never twice on a page."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from html import unescape

from feedback.insight.quotes import quote_key
from tests.factories import build_card, make_service

SHARED = "Nothing, it is a brilliant service."
# The same sentence as staff would see it after different redactions and typing.
VARIANTS = ["nothing it is a brilliant service", "Nothing -- it is a BRILLIANT service!!",
            "  Nothing,  it is a brilliant   service .", "Nothing, it is a brilliant service."]


def _quotes_on(html: str) -> list[str]:
    return [unescape(q).strip() for q in re.findall(
        r'<div class="govuk-inset-text app-quote"><p class="govuk-body">&ldquo;(.*?)&rdquo;</p>',
        html, re.S)]


def _theme_with_items(db):
    """A theme of 26 people: one sentence sent to six services (cards and family feedback),
    a few distinct ones, a better-placed unpublished card and an unconsented entry."""
    from feedback.models import FeedbackEntry, Theme, ThemeAssignment
    when = datetime.now(timezone.utc) - timedelta(days=2)
    services = [make_service(db, name=f"Service {n}") for n in range(6)]
    theme = Theme(key="Q1", label="Brilliant service")
    db.session.add(theme)
    db.session.flush()
    items = []

    def card(text, service, confidence, **extra):
        values = dict(kind="change", text="original " + text, text_redacted=text, service=service,
                      moderation_state="approved", created_at=when)
        values.update(extra)
        made = build_card(**values)
        db.session.add(made)
        db.session.flush()
        db.session.add(ThemeAssignment(theme_id=theme.id, card_id=made.id, confidence=confidence))
        items.append(made)
        return made

    def entry(text, service, confidence, source="family_form", **extra):
        values = dict(service=service, source=source, respondent_type="parent_carer",
                      could_be_better="original " + text,
                      could_be_better_redacted=text, quote_consent=True,
                      moderation_state="approved", created_at=when, families_represented=1)
        values.update(extra)
        made = FeedbackEntry(**values)
        db.session.add(made)
        db.session.flush()
        db.session.add(ThemeAssignment(theme_id=theme.id, feedback_entry_id=made.id,
                                       confidence=confidence))
        items.append(made)
        return made

    # The shared sentence: the best placed copy is at Service 3, from a forum.
    for n, text in enumerate(VARIANTS):
        card(text, services[n], 0.60 + n / 100)
    entry(SHARED, services[3], 0.95, source="forum")
    entry("Ring [name] on [phone number], she is lovely", services[4], 0.5)
    entry("ring (redacted) on [phone number] - she is LOVELY", services[5], 0.49)
    card("The bus home leaves before the club ends", services[0], 0.9)
    card("Please answer the phone when I ring", services[1], 0.7)
    card("More Saturday sessions please", services[2], 0.3)
    # Better placed than any, but not to be quoted.
    card("Unpublished words", services[0], 0.99, moderation_state="pending")
    card("Flagged words", services[0], 0.99, safeguarding_flagged=True)
    entry("No consent words", services[1], 0.99, quote_consent=False)
    card("Not redacted yet", services[0], 0.99, text_redacted=None)
    for n in range(10):
        card(f"filler {n}", services[n % 6], 0.1)
    db.session.commit()
    return theme, services


def test_quote_key_ignores_case_spaces_punctuation_and_placeholders():
    assert len({quote_key(t) for t in VARIANTS}) == 1
    assert quote_key("Call [name] on [phone number]") == quote_key("call (redacted) on [email]")
    assert quote_key("Nothing.") != quote_key("Nothing at all.")


def test_theme_page_quotes_are_distinct_ranked_and_attributed(client, login_as, db):
    theme, services = _theme_with_items(db)
    login_as("commissioner")
    html = client.get(f"/insight/themes/{theme.id}?period=all").get_data(as_text=True)
    quotes = _quotes_on(html)
    # Best placed first; the shared sentence once (its best copy, 0.95), the two
    # placeholder variants of "Ring ..." once.
    assert quotes == [SHARED, "The bus home leaves before the club ends",
                      "Please answer the phone when I ring",
                      "Ring [name] on [phone number], she is lovely",
                      "More Saturday sessions please", "filler 0"]
    # Its own service, source and month: the forum entry at Service 3.
    from feedback import clock
    first = html.split("app-quote", 2)[1]
    month = f"{clock.uk_date_of(datetime.now(timezone.utc) - timedelta(days=2)):%B %Y}"
    assert "Parent carer forum, Service 3, " + month in first
    assert "Action card, Service 0, " + month in html.split("app-quote", 3)[2]
    for hidden in ("Unpublished words", "Flagged words", "original "):
        assert hidden not in html
    # Published but not to be quoted: listed for answering, never as a quote.
    assert "No consent words" in html and "No consent words" not in quotes


def test_theme_export_quotes_are_distinct(client, login_as, db):
    theme, _ = _theme_with_items(db)
    login_as("commissioner")
    csv = client.get(f"/insight/themes/{theme.id}/export.csv?period=all").get_data(as_text=True)
    quoted = [line for line in csv.splitlines() if line.startswith("Quote,")]
    assert len(quoted) == 6
    assert sum("brilliant service" in line.lower() for line in quoted) == 1
    assert sum("lovely" in line.lower() for line in quoted) == 1


def test_one_sentence_sent_many_times_leaves_room_for_others(db):
    """Exact repeats are collapsed before the limit, so 40 copies of one text at the
    top still leave the theme's other sentences to quote."""
    from feedback.insight.filters import Filters
    from feedback.insight.quotes import theme_quotes as quotes
    from feedback.models import Theme, ThemeAssignment
    service = make_service(db)
    theme = Theme(key="Q2", label="Repeats")
    db.session.add(theme)
    db.session.flush()
    texts = [SHARED] * 80 + [f"A different point number {n}" for n in range(5)]
    for n, text in enumerate(texts):
        card = build_card(kind="stop", text=text, text_redacted=text, service=service,
                          moderation_state="approved")
        db.session.add(card)
        db.session.flush()
        db.session.add(ThemeAssignment(theme_id=theme.id, card_id=card.id,
                                       confidence=0.9 if text == SHARED else 0.2))
    db.session.commit()
    found = quotes(theme.id, Filters(), limit=6)
    assert [q.text for q in found] == [SHARED] + [f"A different point number {n}"
                                                  for n in (4, 3, 2, 1, 0)]
    # A page quoting several themes passes the keys it has shown.
    again = quotes(theme.id, Filters(), limit=6, exclude={quote_key(SHARED)})
    assert SHARED not in [q.text for q in again] and len(again) == 5


def test_review_pack_never_quotes_a_text_twice(db):
    from datetime import date

    from feedback.contracts.pack import _quotes
    service = make_service(db)
    cards = []
    for n, text in enumerate([SHARED, SHARED.upper(), "Nothing it is a brilliant service"] +
                             [f"point {n}" for n in range(9)]):
        card = build_card(kind="change", text=text, text_redacted=text, service=service,
                          moderation_state="approved", me_too_count=5 if n < 3 else 0,
                          created_at=datetime.combine(date(2026, 1, 5), datetime.min.time(),
                                                      timezone.utc))
        db.session.add(card)
        cards.append(card)
    db.session.commit()
    texts = [q.text for q in _quotes(cards, [])]
    assert len({quote_key(t) for t in texts}) == len(texts)
    assert sum(quote_key(t) == quote_key(SHARED) for t in texts) == 1
