"""The insight dashboard, theme page, exports and suppression of groups under 10."""
from __future__ import annotations

import io
import re
from datetime import timedelta

from openpyxl import load_workbook

from tests.factories import make_cards, make_service, now, run_full, theme_of


def _small_and_large(db):
    """A theme of 20 people and a theme of 7 people (crafted, no engine needed)."""
    from feedback.models import Theme, ThemeAssignment
    service = make_service(db)
    big = make_cards(db, service, per_topic=20, topics={"waiting": ["waiting lists are long"]})
    small = make_cards(db, service, per_topic=7, topics={"secret": ["a rare concern here"]})
    t_big = Theme(key="T1", label="Waiting lists", sentiment=-0.4)
    t_small = Theme(key="T2", label="Rare concern")
    db.session.add_all([t_big, t_small])
    db.session.flush()
    db.session.add_all([ThemeAssignment(theme_id=t_big.id, card_id=c.id, confidence=0.9) for c in big])
    db.session.add_all([ThemeAssignment(theme_id=t_small.id, card_id=c.id, confidence=0.9) for c in small])
    db.session.commit()
    return service, t_big, t_small


def test_theme_summary_ranks_and_suppresses_small_groups(db):
    from feedback.insight.filters import Filters
    from feedback.insight.queries import theme_summary
    _small_and_large(db)
    rows = theme_summary(Filters())
    assert [r.name for r in rows] == ["Waiting lists", "Rare concern"]
    assert rows[0].people == 20 and not rows[0].suppressed and rows[0].people_text == "20"
    assert rows[1].suppressed and rows[1].people_text == "fewer than 10"
    assert rows[1].sentiment_text == "Not shown" and rows[1].change is None


def test_dashboard_shows_fewer_than_10_and_no_number(client, login_as, db):
    _small_and_large(db)
    login_as("commissioner")
    page = client.get("/insight?period=all")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Waiting lists" in html and "Rare concern" in html
    assert "fewer than 10" in html
    assert ">7<" not in html and "27" in html  # total 27 people, small theme not counted out


def test_whole_selection_under_10_is_suppressed(client, login_as, db):
    service = make_service(db)
    make_cards(db, service, per_topic=3, topics={"a": ["few words"]})
    login_as("commissioner")
    html = client.get("/insight?period=all").get_data(as_text=True)
    assert "People heard: fewer than 10" in html and "Themes by number of people" not in html


def test_filters_narrow_the_counts(db):
    from feedback.insight.filters import Filters
    from feedback.insight.queries import theme_summary, total_people
    service, big, _small = _small_and_large(db)
    other = make_service(db, name="Youth club")
    make_cards(db, other, per_topic=12, topics={"t": ["bus home"]}, in_care=True,
               created=now() - timedelta(days=400))
    assert total_people(Filters()) == 39
    assert total_people(Filters(service_ids=(service.id,))) == 27
    assert total_people(Filters(cohort="in_care")) == 12
    assert total_people(Filters(rating=3)) == 0  # ratings exist only on family feedback
    this_year = Filters(start=(now() - timedelta(days=30)).date(), end=(now() + timedelta(days=1)).date())
    assert total_people(this_year) == 27
    rows = theme_summary(this_year)
    assert rows[0].previous_people == 0


def test_forum_entries_count_the_families_they_represent(db):
    from feedback.insight.filters import Filters
    from feedback.insight.queries import theme_summary
    from feedback.models import FeedbackEntry, Theme, ThemeAssignment
    service = make_service(db)
    entry = FeedbackEntry(service=service, source="forum_import", respondent_type="parent_carer",
                          could_be_better="x", could_be_better_redacted="Respite is hard to get",
                          families_represented=12, moderation_state="approved", quote_consent=True)
    theme = Theme(key="F1", label="Respite")
    db.session.add_all([entry, theme])
    db.session.flush()
    db.session.add(ThemeAssignment(theme_id=theme.id, feedback_entry_id=entry.id))
    db.session.commit()
    [row] = theme_summary(Filters())
    assert row.people == 12 and row.items == 1 and not row.suppressed
    assert theme_summary(Filters(source="card")) == []


def test_theme_page_quotes_services_timeline_and_cards(client, login_as, db):
    from feedback.models import AuditEvent
    _service, big, small = _small_and_large(db)
    login_as("commissioner")
    html = client.get(f"/insight/themes/{big.id}?period=all").get_data(as_text=True)
    assert "waiting lists are long" in html and "Counselling for young people" in html
    assert "Answer card" in html and "Timeline" in html
    small_html = client.get(f"/insight/themes/{small.id}?period=all").get_data(as_text=True)
    assert "Fewer than 10 people" in small_html and "Services it touches" not in small_html
    assert db.session.execute(db.select(AuditEvent).filter_by(action="theme.viewed")).first()


def test_original_text_never_appears(client, login_as, db):
    from feedback.models import ActionCard
    _service, big, _small = _small_and_large(db)
    card = db.session.execute(db.select(ActionCard)).scalars().first()
    card.text = "My name is Secret Sam at Hill School"
    db.session.commit()
    login_as("commissioner")
    html = client.get(f"/insight/themes/{big.id}?period=all").get_data(as_text=True)
    assert "Secret Sam" not in html


def test_exports_are_suppressed_and_formula_safe(client, login_as, db):
    _service, big, small = _small_and_large(db)
    big.curated_name = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    login_as("commissioner")
    csv = client.get("/insight/export.csv?period=all")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "fewer than 10" in text and ",7," not in text
    xlsx = client.get("/insight/export.xlsx?period=all")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][0].startswith("'=") and values[1][1] == 20
    assert values[2][1] == "fewer than 10" and values[2][2] is None
    small_csv = client.get(f"/insight/themes/{small.id}/export.csv?period=all").get_data().decode("utf-8-sig")
    assert "fewer than 10" in small_csv and "rare concern" not in small_csv.lower().replace("rare concern,", "")


def test_bad_filter_values_are_ignored_not_errors(client, login_as, db):
    _small_and_large(db)
    login_as("commissioner")
    page = client.get("/insight?period=nonsense&service=abc&rating=9&collected=nobody")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # Each bad value is dropped, not guessed at: this quarter, every service, any rating,
    # whoever collected it, so all 27 people are counted (the rating alone would drop cards).
    assert "<p class=\"govuk-body\">This quarter." in html
    assert "People heard: 27" in html and "Waiting lists" in html
    assert "govuk-error-summary" not in html
    assert 'value="abc"' not in html and 'value="9" selected' not in html


def test_dashboard_after_a_real_run(client, login_as, db):
    cards = make_cards(db, make_service(db))
    run_full(db)
    login_as("commissioner")
    html = client.get("/insight").get_data(as_text=True)
    assert theme_of(db, cards[0].id).name in html and "People heard: 60" in html


def test_staff_home_attention_panel(client, login_as, db):
    _small_and_large(db)
    login_as("commissioner")
    html = client.get("/staff").get_data(as_text=True)
    assert "What needs attention" in html and "27 open action cards" in html


def test_attention_panel_not_for_other_roles(client, login_as, db):
    login_as("moderator")
    assert "What needs attention" not in client.get("/staff").get_data(as_text=True)


def test_runs_page_starts_a_run_and_shows_progress(app, client, login_as, db):
    from feedback import tasks
    from feedback.models import AnalysisRun
    from tests.helpers import post_form
    make_cards(db, make_service(db))
    login_as("commissioner")
    response = post_form(client, "/insight/runs", {})
    assert response.status_code == 302
    run = db.session.execute(db.select(AnalysisRun)).scalar_one()
    tasks.wait(run.id)
    html = client.get("/insight/runs").get_data(as_text=True)
    assert "Finished" in html and "60 items" in html


def test_a_themes_sentiment_reads_as_shares_of_its_items(db):
    """Not a mean a person cannot read: "Mostly negative: 7 in 10 negative ...", by the
    sentiment model's cut-offs, and no "+0.20" on the dashboard."""
    from feedback import analysis_bridge
    from feedback.insight.filters import Filters
    from feedback.insight.queries import theme_summary
    _service, t_big, _ = _small_and_large(db)
    below, above = analysis_bridge.sentiment_cutoffs()
    from feedback.models import ActionCard, ThemeAssignment
    ids = db.session.execute(db.select(ThemeAssignment.card_id).where(
        ThemeAssignment.theme_id == t_big.id)).scalars().all()
    scores = [below - 0.5] * 14 + [above + 0.3] * 4 + [(below + above) / 2] * 2
    for card_id, score in zip(sorted(ids), scores):
        db.session.get(ActionCard, card_id).sentiment = score
    db.session.commit()
    row = theme_summary(Filters())[0]
    assert (row.negative, row.positive, row.scored) == (14, 4, 20)
    assert row.sentiment_text == ("Mostly negative: 7 in 10 negative, 1 in 10 mixed or neutral, "
                                  "2 in 10 positive")
    from feedback.insight.feeling import feeling_word, share_words
    # A part that is 0 in 10 is left out, so the column reads short.
    assert share_words(20, 0, 20) == "Mostly negative: 10 in 10 negative"
    assert share_words(0, 1, 20) == "Mixed: 10 in 10 mixed or neutral"
    # Tenths always add up to 10 (largest remainders): 1/3 each reads 4, 3, 3.
    assert share_words(1, 1, 3) == "Mixed: 4 in 10 negative, 3 in 10 mixed or neutral, 3 in 10 positive"
    # The one rule: "mostly" means more than half.
    assert feeling_word(10, 0, 20) == "Mixed" and feeling_word(11, 0, 20) == "Mostly negative"
    assert feeling_word(0, 11, 20) == "Mostly positive" and feeling_word(6, 6, 20) == "Mixed"
    # ... and the word never contradicts the tenths shown beside it (a demo pack read
    # "Mostly negative: 5 in 10 negative, 0 in 10 mixed or neutral, 5 in 10 positive").
    assert share_words(15, 14, 29) == "Mixed: 5 in 10 negative, 5 in 10 positive"
    assert share_words(14, 15, 29).startswith("Mixed: 5 in 10 negative")
    assert share_words(17, 12, 29).startswith("Mostly negative: 6 in 10 negative")
    assert share_words(0, 11, 20) == "Mostly positive: 4 in 10 mixed or neutral, 6 in 10 positive"
    assert share_words(3, 0, 10) == "Mixed: 3 in 10 negative, 7 in 10 mixed or neutral"
    assert share_words(0, 3, 10) == "Mixed: 7 in 10 mixed or neutral, 3 in 10 positive"
    assert share_words(0, 10, 10) == "Mostly positive: 10 in 10 positive"


def test_staff_home_counts_are_grouped_as_the_language_writes_them(client, login_as, db,
                                                                  monkeypatch):
    """"1,394 open action cards", not "1394" beside "2,262" (the walk's staff home)."""
    from feedback.insight import services
    big = services.Attention(open_cards=1394, unanswered_old=2262, unreviewed_themes=1012,
                             emerging_themes=1001, waiting=12345, last_run=None)
    monkeypatch.setattr(services, "attention", lambda actor, today: big)
    login_as("commissioner")
    html = client.get("/staff").get_data(as_text=True)
    for shown in ("1,394 open action cards", "2,262 of them", "1,012 themes not yet reviewed",
                  "1,001 emerging", "12,345 new items"):
        assert shown in html, shown
    assert not re.search(r"\b\d{4,}\b", html.split("What needs attention", 1)[1]
                         .split("</ul>", 1)[0])
