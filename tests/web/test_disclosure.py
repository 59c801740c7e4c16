"""No count under 10 can be worked out by subtraction on any view of counts:
the dashboard, theme pages, their exports and the review pack (page, Word,
Excel). Crafted cases from the outside test, and a property test over random
data and random filters: the dashboard, every theme page and a contract's
review pack for two quarters (``tests.disclosure_reader`` plays the reader)."""
from __future__ import annotations

import io
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.disclosure_reader import dashboard_table, leaks, pack_table, theme_table
from tests.factories import build_card, make_cards, make_service, now


def _entries(db, service, n, source="family_form", families=1, created=None):
    from feedback.models import FeedbackEntry
    entries = [FeedbackEntry(respondent_type="parent_carer", service=service, source=source,
                             families_represented=families, moderation_state="approved",
                             could_be_better="x", created_at=created or now() - timedelta(days=1))
               for _ in range(n)]
    db.session.add_all(entries)
    db.session.commit()
    return entries


def _sources_table(html: str) -> str:
    start = html.index("People by source</caption>")
    return html[start:html.index("</table>", start)]


def test_the_outside_example_family_feedback_is_no_longer_derivable(client, login_as, db):
    """57 people this quarter for one service: 44 forum, 10 cards, 3 family feedback.
    Before, "57", "44" and "10" were shown beside "fewer than 10", which must be 3."""
    service = make_service(db)
    make_cards(db, service, per_topic=10, topics={"t": ["more places to go"]})
    _entries(db, service, 4, source="forum", families=11)
    _entries(db, service, 3)
    login_as("commissioner")
    html = client.get(f"/insight?period=quarter&service={service.id}").get_data(as_text=True)
    assert "People heard: 57" in html
    table = _sources_table(html)
    rows = dict((label, value) for label, value in
                [(r.split("</td>")[0].rsplit(">", 1)[-1], r.split("</td>")[1].rsplit(">", 1)[-1])
                 for r in table.split('<tr class="govuk-table__row"><td class="govuk-table__cell">')[1:]])
    assert rows == {"Forum submission": "44", "Action card": "not shown",
                    "Family feedback": "fewer than 10"}


def test_dashboard_view_has_no_derivable_cell(app, db, make_user):
    from feedback.insight import services
    from feedback.insight.filters import Filters
    service = make_service(db)
    make_cards(db, service, per_topic=10, topics={"t": ["more places to go"]})
    _entries(db, service, 4, source="forum", families=11)
    _entries(db, service, 3)
    actor = make_user("commissioner")
    view = services.dashboard(Filters(service_ids=(service.id,)), actor)
    assert leaks(dashboard_table(view)) == []


def test_a_small_theme_hides_the_themed_total_and_no_theme(client, login_as, db):
    from feedback.models import Theme, ThemeAssignment
    service = make_service(db)
    cards = make_cards(db, service, per_topic=15, topics={"a": ["the bus is late"],
                                                         "b": ["no bus at night"]})
    big, small = Theme(key="big", label="Buses"), Theme(key="small", label="Night")
    db.session.add_all([big, small])
    db.session.flush()
    db.session.add_all([ThemeAssignment(theme_id=big.id, card_id=c.id) for c in cards[:27]]
                       + [ThemeAssignment(theme_id=small.id, card_id=c.id) for c in cards[27:]])
    db.session.commit()
    login_as("commissioner")
    html = client.get("/insight?period=all").get_data(as_text=True)
    assert "27 of them are in a theme" not in html and "30 of them" not in html
    assert "How many of them are in a theme is not shown" in html
    csv = client.get("/insight/export.csv?period=all").get_data().decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0].split(",")[:3] == ["Theme", "People", "Change on previous period"]
    assert "Items" not in lines[0]
    assert any(line.startswith("Buses,27,") for line in lines)
    assert any(line.startswith("Night,fewer than 10,") for line in lines)


def test_theme_page_and_export_withhold_the_service_beside_a_small_one(client, login_as, db):
    from feedback.models import Theme, ThemeAssignment
    service, other = make_service(db), make_service(db, name="Youth club")
    cards = (make_cards(db, service, per_topic=15, topics={"a": ["more activities"]})
             + make_cards(db, other, per_topic=3, topics={"b": ["more activities"]}))
    theme = Theme(key="act", label="Activities")
    db.session.add(theme)
    db.session.flush()
    db.session.add_all([ThemeAssignment(theme_id=theme.id, card_id=c.id) for c in cards])
    db.session.commit()
    login_as("commissioner")
    html = client.get(f"/insight/themes/{theme.id}?period=all").get_data(as_text=True)
    assert "<strong>18</strong> people" in html
    services_table = html[html.index("People by service"):html.index("Timeline")]
    assert ">15<" not in services_table and "not shown" in services_table
    csv = client.get(f"/insight/themes/{theme.id}/export.csv?period=all").get_data().decode("utf-8-sig")
    rows = [line.split(",") for line in csv.splitlines()]
    assert ["Service", "Youth club", "fewer than 10"] in rows
    assert not any(r[0] == "Service" and r[-1] in ("15", "3") for r in rows)


def _pack_data(db):
    from tests.web.contracts_factories import make_contract, make_provider, make_review
    from tests.web.contracts_factories import make_service as contract_service
    from tests.web.test_review_pack import Q1, _card, _feedback
    provider = make_provider(db, "Volume Provider")
    a = contract_service(db, provider, name="Service A")
    b = contract_service(db, provider, name="Service B")
    contract = make_contract(db, provider=provider, services=[a, b], reference="VOL-1")
    for _ in range(12):
        _card(db, a, date(2026, 2, 1))
    for _ in range(3):
        _card(db, b, date(2026, 2, 1))
    for _ in range(15):
        _feedback(db, b, date(2026, 2, 1), 3)
    review = make_review(db, contract, Q1.start, Q1.end)
    db.session.commit()
    return contract, review, [a, b]


def test_review_pack_volume_withholds_the_cell_that_gives_a_small_one_away(client, login_as, db):
    """Cards: 12 on A, 3 on B, 15 in all: "15" and "12" would give B's 3 away."""
    from openpyxl import load_workbook

    from feedback.contracts.pack import _items, build_pack
    from feedback.models import ActionCard, FeedbackEntry
    from tests.web.test_review_pack import Q1, TODAY
    contract, review, services = _pack_data(db)
    pack = build_pack(contract.id, Q1, today=TODAY)
    ids = [s.id for s in services]
    table = pack_table(pack, _items(ActionCard, ids, Q1), _items(FeedbackEntry, ids, Q1), services)
    assert leaks(table) == []
    assert (pack.volume.cards, pack.volume.feedback, pack.volume.total) == (15, 15, 30)
    assert [(r.service, r.cards, r.feedback) for r in pack.volume.by_service] == [
        ("Service A", "not shown", 0), ("Service B", None, 15)]
    login_as("commissioner")
    page = client.get(f"/contracts/reviews/{review.id}/pack").get_data(as_text=True)
    by_service = page[page.index("By service"):page.index("Ratings")]
    assert "not shown" in by_service and "fewer than 10" in by_service and ">12<" not in by_service
    book = load_workbook(io.BytesIO(client.get(f"/contracts/reviews/{review.id}/pack.xlsx").data))
    volume = [tuple(r) for r in book["Volume"].iter_rows(min_row=2, values_only=True)]
    assert volume[:3] == [("All services", 15, 15), ("Service A", "not shown", 0),
                          ("Service B", "fewer than 10", 15)]
    from docx import Document
    word = Document(io.BytesIO(client.get(f"/contracts/reviews/{review.id}/pack.docx").data))
    cells = [[c.text for c in row.cells] for t in word.tables for row in t.rows]
    assert ["Service A", "not shown", "0"] in cells and ["Service A", "12", "0"] not in cells


# --- property: random data, random filters ------------------------------------

# Groups of items: (kind, service, theme, days ago, how many). Few services,
# themes and months, and group sizes either small or large, so breakdowns with
# one small cell beside large ones come up often.
GROUP = st.tuples(st.sampled_from(["card", "family_form", "forum", "provider_import"]),
                  st.integers(0, 2),
                  st.integers(0, 2), st.sampled_from([1, 35, 70, 200]),
                  st.sampled_from([1, 2, 3, 5, 11, 14, 20]))


@settings(max_examples=25, deadline=None)
@given(groups=st.lists(GROUP, min_size=2, max_size=8), service=st.integers(-1, 2),
       period=st.sampled_from(["all", "quarter", "12m"]),
       source=st.sampled_from(["", "card", "family_form", "forum"]),
       collected=st.sampled_from(["", "independent", "provider"]))
def test_no_view_of_random_data_gives_a_small_cell_away(app, make_user, groups, service, period,
                                                         source, collected):
    from feedback.extensions import db
    from feedback.insight import services as insight
    from feedback.models import ActionCard, FeedbackEntry, Service, Theme, ThemeAssignment
    with app.app_context():
        from feedback.models import Contract, Kpi, Organisation, contract_service
        for model in (ThemeAssignment, Theme, ActionCard, FeedbackEntry, Kpi, contract_service,
                      Contract, Service, Organisation):
            db.session.execute(model.delete() if model is contract_service else db.delete(model))
        made = [Service(name=f"S{i}", plain_name=f"S{i}", thematic_area="health_wellbeing")
                for i in range(3)]
        themes = [Theme(key=f"k{i}", label=f"Theme {i}") for i in range(3)]
        collector = Organisation(name="Collecting provider", kind="provider")
        db.session.add_all(made + themes + [collector])
        db.session.flush()
        rows = []
        items = [(kind, where, theme, days_ago, 1 + n % 3) for kind, where, theme, days_ago, count
                 in groups for n in range(count)]
        for kind, where, theme, days_ago, families in items:
            created = now() - timedelta(days=days_ago)
            if kind == "card":
                item = build_card(kind="change", text="t", service_id=made[where].id,
                                  moderation_state="approved", created_at=created,
                                  text_redacted=None)
            else:
                item = FeedbackEntry(respondent_type="parent_carer", source=kind,
                                     collected_by_id=(collector.id if kind == "provider_import"
                                                      else None),
                                     service_id=made[where].id, moderation_state="approved",
                                     families_represented=families if kind == "forum" else 1,
                                     could_be_better="x", created_at=created)
            rows.append((item, theme))
        db.session.add_all([r for r, _ in rows])
        db.session.flush()
        db.session.add_all([ThemeAssignment(theme_id=themes[t].id, **(
            {"card_id": i.id} if isinstance(i, ActionCard) else {"feedback_entry_id": i.id}))
            for i, t in rows])
        db.session.commit()
        actor = make_user("commissioner")
        values = {"period": period, "source": source, "collected": collected,
                  "service": str(made[service].id) if service >= 0 else ""}
        f = insight.filters_from(values, now().date())
        view = insight.dashboard(f, actor)
        problems = leaks(dashboard_table(view))
        for theme in themes:
            problems += leaks(theme_table(insight.theme_page(theme.id, f, actor)))
        # The review pack of a contract for two of the services, this quarter and the last.
        from feedback.contracts.pack import _items, build_pack
        from feedback.contracts.periods import quarter_containing
        from tests.web.contracts_factories import make_contract
        contract = make_contract(db, services=made[:2])
        db.session.commit()
        quarter = quarter_containing(now().date())
        for period in (quarter, quarter.previous()):
            pack = build_pack(contract.id, period, today=now().date())
            ids = [s.id for s in made[:2]]
            problems += leaks(pack_table(pack, _items(ActionCard, ids, period),
                                         _items(FeedbackEntry, ids, period),
                                         sorted(made[:2], key=lambda s: s.name)))
        assert problems == []
