"""Contract register: RAG edges, periods, due/ending views around date edges,
create/edit with validation, filters and provider scoping."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from feedback.contracts import register as services
from feedback.contracts.periods import (add_months, last_complete, next_review_after, parse_key,
                                        recent_choices)
from feedback.contracts.rag import rate
from tests.helpers import post_form
from tests.web.contracts_factories import make_contract, make_provider, make_service

TODAY = date(2026, 4, 15)


@pytest.mark.parametrize("value,direction,expected", [
    ("90", "higher", "green"), ("95", "higher", "green"), ("81", "higher", "amber"),
    ("80.99", "higher", "red"), ("89.99", "higher", "amber"), (None, "higher", None),
    ("90", "lower", "green"), ("99", "lower", "amber"), ("99.01", "lower", "red"),
    ("0", "lower", "green"),
])
def test_rag_edges_are_exact(value, direction, expected):
    assert rate(None if value is None else Decimal(value), Decimal("90"), direction,
                Decimal("0.1")) == expected


def test_rag_with_no_tolerance_has_no_amber():
    assert rate(Decimal("89.9"), Decimal("90"), "higher", Decimal("0")) == "red"


def test_periods():
    assert last_complete("quarter", TODAY).start == date(2026, 1, 1)
    assert last_complete("quarter", TODAY).end == date(2026, 3, 31)
    assert last_complete("quarter", date(2026, 4, 1)).end == date(2026, 3, 31)
    assert last_complete("year", TODAY).start == date(2025, 4, 1)
    assert last_complete("year", TODAY).end == date(2026, 3, 31)
    assert last_complete("quarter", TODAY).previous().start == date(2025, 10, 1)
    choices = recent_choices(TODAY)
    assert [p.key for p in choices][:2] == ["quarter:2026-01-01", "quarter:2025-10-01"]
    assert parse_key("quarter:2026-01-01") == choices[0]
    assert parse_key("quarter:2026-01-02") is None and parse_key("nonsense") is None
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_next_review_moves_on_by_the_frequency():
    assert next_review_after(date(2026, 4, 10), date(2026, 4, 12), "quarterly") == date(2026, 7, 10)
    assert next_review_after(date(2026, 4, 10), date(2026, 4, 12), "annual") == date(2027, 4, 10)
    # A long-overdue date moves on until it is after the meeting.
    assert next_review_after(date(2025, 1, 10), date(2026, 4, 12), "quarterly") == date(2026, 7, 10)
    assert next_review_after(None, date(2026, 4, 12), "quarterly") == date(2026, 7, 12)


def test_due_and_ending_views_around_the_date_edges(db):
    made = {}
    for name, days in {"yesterday": -1, "today": 0, "d30": 30, "d31": 31, "d90": 90,
                       "d91": 91}.items():
        made[name] = make_contract(db, reference=f"DUE-{name}",
                                   next_review=TODAY + timedelta(days=days)).reference
    for name, end in {"ends_today": TODAY, "ends_12m": add_months(TODAY, 12),
                      "ends_12m_1": add_months(TODAY, 12) + timedelta(days=1),
                      "ended": TODAY - timedelta(days=1)}.items():
        made[name] = make_contract(db, reference=f"END-{name}", start=date(2024, 1, 1),
                                   end=end).reference
    db.session.commit()

    def refs(view):
        return {c.reference for c in services.list_contracts(services.RegisterQuery(view=view),
                                                             TODAY)}
    assert refs("due30") == {"DUE-yesterday", "DUE-today", "DUE-d30"}
    assert refs("due90") == {"DUE-yesterday", "DUE-today", "DUE-d30", "DUE-d31", "DUE-d90"}
    assert {r for r in refs("ending") if r.startswith("END")} == {"END-ends_today",
                                                                  "END-ends_12m"}
    summary = services.due_summary(TODAY)
    assert [c.reference for c in summary.overdue] == ["DUE-yesterday"]
    assert [c.reference for c in summary.due30] == ["DUE-today", "DUE-d30"]
    assert [c.reference for c in summary.due90] == ["DUE-d31", "DUE-d90"]


def _contract_form(provider_id, service_id, **changes):
    data = {"reference": "SCC-NEW-001", "title": "Emotional wellbeing service",
            "provider_id": str(provider_id), "service_ids": [str(service_id)],
            "annual_value": "250,000", "start_date": ["1", "4", "2025"],
            "end_date": ["31", "3", "2028"], "extension_options": "Up to 2 x 12 months",
            "review_frequency": "quarterly", "next_review_date": ["1", "7", "2026"],
            "contract_manager_id": "0", "notes": ""}
    data.update(changes)
    return data


@pytest.fixture()
def provider_and_service(db):
    provider = make_provider(db, "Wellbeing Trust")
    service = make_service(db, provider, name="Wellbeing hub")
    db.session.commit()
    return provider.id, service.id


def test_commissioner_creates_and_edits_a_contract(db, client, login_as, provider_and_service):
    from feedback.models import AuditEvent, Contract
    login_as("commissioner")
    provider_id, service_id = provider_and_service
    response = post_form(client, "/contracts/new", _contract_form(provider_id, service_id))
    assert response.status_code == 302, response.data[:2000]
    contract = db.session.execute(db.select(Contract)).scalar_one()
    assert contract.annual_value == Decimal("250000.00")
    assert contract.end_date == date(2028, 3, 31)
    assert [s.id for s in contract.services] == [service_id]
    page = client.get(response.headers["Location"])
    assert b"SCC-NEW-001" in page.data and b"Wellbeing hub" in page.data
    url = f"/contracts/{contract.id}/edit"
    assert b'value="SCC-NEW-001"' in client.get(url).data
    response = post_form(client, url, _contract_form(provider_id, service_id,
                                                     title="Renamed service"))
    assert response.status_code == 302
    db.session.refresh(contract)
    assert contract.title == "Renamed service"
    actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert "contract.created" in actions and "contract.updated" in actions


@pytest.mark.parametrize("changes,message", [
    ({"end_date": ["1", "4", "2025"]}, b"End date must be after the start date"),
    ({"end_date": ["31", "3", "2024"]}, b"End date must be after the start date"),
    ({"annual_value": "-5"}, "Annual value must be £0 or more".encode()),
    ({"annual_value": "lots"}, b"Enter the annual value as a number"),
    ({"reference": ""}, b"Enter the contract reference"),
    ({"provider_id": "0"}, b"Select the provider"),
    ({"service_ids": []}, b"Select at least one service"),
    ({"start_date": ["", "", ""]}, b"Enter the start date"),
    ({"start_date": ["31", "2", "2025"]}, b"Start date must be a real date"),
    ({"next_review_date": ["1", "1", "2030"]}, b"Next review date must be during the contract"),
])
def test_contract_validation_keeps_what_was_typed(db, client, login_as, provider_and_service,
                                                  changes, message):
    from feedback.models import Contract
    login_as("commissioner")
    data = _contract_form(*provider_and_service, title="Kept title")
    data.update(changes)
    response = post_form(client, "/contracts/new", data)
    assert response.status_code == 200
    assert message in response.data
    assert b"govuk-error-summary" in response.data and b"<title>Error: " in response.data
    assert b'value="Kept title"' in response.data
    assert db.session.execute(db.select(Contract)).first() is None


def test_duplicate_reference_is_refused(db, client, login_as, provider_and_service):
    make_contract(db, reference="SCC-NEW-001")
    db.session.commit()
    login_as("commissioner")
    response = post_form(client, "/contracts/new", _contract_form(*provider_and_service))
    assert b"A contract with this reference already exists" in response.data


def test_register_search_and_filters(db, client, login_as):
    a = make_contract(db, reference="ALPHA-1", provider=make_provider(db, "Alpha Care"),
                      services=[make_service(db, area="early_years")])
    b = make_contract(db, reference="BETA-2", provider=make_provider(db, "Beta Health"))
    db.session.commit()
    login_as("commissioner")
    page = client.get("/contracts?q=alpha").data
    assert b"ALPHA-1" in page and b"BETA-2" not in page
    page = client.get(f"/contracts?provider={b.provider_id}").data
    assert b"BETA-2" in page and b"ALPHA-1" not in page
    page = client.get("/contracts?area=early_years").data
    assert b"ALPHA-1" in page and b"BETA-2" not in page
    page = client.get("/contracts?view=nonsense&provider=999999").data
    assert page.count(b"ALPHA-1") == 1 and b"BETA-2" in page  # bad filters are ignored
    assert a.id


def test_provider_sees_only_their_own_contracts_read_only(db, client, login_as):
    mine = make_contract(db, reference="MINE-1", provider=make_provider(db, "Our Provider"))
    theirs = make_contract(db, reference="THEIRS-1", provider=make_provider(db, "Other"))
    db.session.commit()
    login_as("provider", organisation="Our Provider")
    page = client.get("/contracts").data
    assert b"MINE-1" in page and b"THEIRS-1" not in page
    detail = client.get(f"/contracts/{mine.id}")
    assert detail.status_code == 200 and b"Start a review" not in detail.data
    assert client.get(f"/contracts/{theirs.id}").status_code == 404  # not revealed
    assert client.get(f"/contracts/{mine.id}/edit").status_code == 403


def test_add_and_remove_kpi(db, client, login_as):
    from feedback.models import Kpi
    contract = make_contract(db, kpis=())
    db.session.commit()
    login_as("commissioner")
    url = f"/contracts/{contract.id}/kpis/new"
    bad = post_form(client, url, {"name": "", "target": "x", "direction": "higher",
                                  "amber_tolerance": "150"})
    assert b"Enter the KPI name" in bad.data and b"Enter the target as a number" in bad.data
    assert b"Amber tolerance must be between 0 and 100" in bad.data
    ok = post_form(client, url, {"name": "Seen within 4 weeks", "target": "85", "unit": "%",
                                 "direction": "higher", "amber_tolerance": "5"})
    assert ok.status_code == 302
    kpi = db.session.execute(db.select(Kpi)).scalar_one()
    assert kpi.amber_tolerance == Decimal("0.05")
    removed = post_form(client, f"/contracts/{contract.id}/kpis/{kpi.id}/remove", {},
                        form_url=f"/contracts/{contract.id}")
    assert removed.status_code == 302
    assert db.session.execute(db.select(Kpi)).first() is None


def test_staff_home_shows_what_is_due(db, client, login_as):
    make_contract(db, reference="SOON-1", next_review=date.today() + timedelta(days=3))
    db.session.commit()
    login_as("commissioner")
    page = client.get("/staff").data
    assert b"Contract reviews due" in page and b"SOON-1" in page
    post_form(client, "/logout", {}, form_url="/staff")
    login_as("moderator")
    assert b"Contract reviews due" not in client.get("/staff").data


def test_every_widget_renders_with_and_without_errors(db, client, login_as, provider_and_service):
    login_as("commissioner")
    blank = client.get("/contracts/new").data
    for marker in (b'class="govuk-input', b'class="govuk-select', b'class="govuk-checkboxes',
                   b'class="govuk-date-input', b'class="govuk-radios', b"govuk-character-count",
                   b"Wellbeing hub"):
        assert marker in blank, marker
    empty = post_form(client, "/contracts/new", {"review_frequency": ""}, form_url="/contracts/new")
    for message in (b"Enter the contract reference", b"Enter the contract title",
                    b"Select the provider", b"Select at least one service",
                    b"Enter the annual value", b"Enter the start date", b"Enter the end date",
                    b"Select the review frequency"):
        assert message in empty.data, message
    assert empty.data.count(b'class="govuk-error-message"') >= 8
    assert b"govuk-date-input__input govuk-input--error" in empty.data or \
        b"govuk-input--error" in empty.data


def test_provider_reads_own_pack_but_not_another_providers(db, client, login_as):
    from tests.web.contracts_factories import make_review
    mine = make_contract(db, provider=make_provider(db, "Pack Provider"))
    theirs = make_contract(db, provider=make_provider(db, "Other Pack Provider"))
    my_review, their_review = make_review(db, mine), make_review(db, theirs)
    db.session.commit()
    login_as("provider", organisation="Pack Provider")
    assert client.get(f"/contracts/reviews/{my_review.id}/pack").status_code == 200
    assert client.get(f"/contracts/reviews/{my_review.id}/pack.docx").status_code == 200
    page = client.get(f"/contracts/reviews/{my_review.id}").data
    assert b"Record an agreed action" not in page and b"Enter KPI returns" not in page
    for path in ("", "/pack", "/pack.docx", "/pack.xlsx", "/pack/print"):
        assert client.get(f"/contracts/reviews/{their_review.id}{path}").status_code == 404
    assert client.get(f"/contracts/reviews/{my_review.id}/kpis").status_code == 403
