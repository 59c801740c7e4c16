"""Finding a service by what young people and parents call it, through the HTTP
client on SQLite and PostgreSQL: the card journey's search, the public service
list, the admin pages for other names, and an import's service column."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, strategies as st

from tests.helpers import post_form
from tests.web.test_import_flow import map_columns, problems_in, report, upload

CAMHS = "Children and Young People's Mental Health Service (CAMHS)"
MHST = "Mental Health Support Teams in Schools"
COUNSELLING = "Youth Counselling Service"
TRANSPORT = "SEND Transport"
ABUSE_GROUPS = "Children's Domestic Abuse Recovery Groups"
ABUSE_OUTREACH = "Domestic Abuse Outreach for Families"
YOUTH = "Youth Service"
TARGETED = "Targeted Youth Support"
LEAVING_CARE = "Leaving Care Personal Advisers"
HOUSING = "Supported Accommodation for Care Leavers"
FOSTERING = "Fostering Service"
EARLY_HELP = "Early Help Family Support"
YOUNG_CARERS = "Young Carers Service"
SHORT_BREAKS = "Short Breaks Programme"

# (what someone types, services it must find, services it must not find)
QUERIES = [
    ("social worker", {EARLY_HELP, FOSTERING}, {YOUTH, CAMHS}),
    ("my social worker never rings back", {EARLY_HELP, FOSTERING}, {YOUTH}),
    ("Social Workers", {EARLY_HELP, FOSTERING}, {YOUTH}),
    ("counsellor", {COUNSELLING}, {CAMHS, "Eating Disorders Service"}),
    ("counsellors", {COUNSELLING}, {CAMHS}),
    ("counselling", {COUNSELLING}, {CAMHS, TRANSPORT}),
    ("therapist", {COUNSELLING, CAMHS}, {TRANSPORT}),
    ("someone to talk to", {COUNSELLING}, {TRANSPORT}),
    ("taxi", {TRANSPORT}, {SHORT_BREAKS, ABUSE_GROUPS}),
    ("taxis", {TRANSPORT}, {SHORT_BREAKS}),
    ("my taxi to school is late", {TRANSPORT}, {"School Nursing Service", MHST}),
    ("bus", {TRANSPORT}, {ABUSE_GROUPS, ABUSE_OUTREACH}),
    ("school bus", {TRANSPORT}, {ABUSE_GROUPS, "School Nursing Service"}),
    ("CAMHS", {CAMHS}, {MHST, COUNSELLING}),
    ("camhs", {CAMHS}, {MHST}),
    ("Child and Adolescent Mental Health", {CAMHS}, {COUNSELLING}),
    ("mental health", {CAMHS, MHST}, {TRANSPORT}),
    ("youth club", {YOUTH}, {COUNSELLING, SHORT_BREAKS}),
    ("youth clubs", {YOUTH}, {COUNSELLING}),
    ("youth worker", {YOUTH, TARGETED}, {COUNSELLING}),
    ("foster", {FOSTERING}, {YOUNG_CARERS}),
    ("foster carer", {FOSTERING}, {LEAVING_CARE}),
    ("PA", {LEAVING_CARE}, {"Speech and Language Therapy"}),
    ("my PA", {LEAVING_CARE}, {FOSTERING}),
    ("leaving care", {LEAVING_CARE}, {YOUNG_CARERS}),
    ("care leavers", {LEAVING_CARE, HOUSING}, {YOUNG_CARERS}),
    ("abuse", {ABUSE_GROUPS, ABUSE_OUTREACH}, {TRANSPORT}),
    ("domestic violence", {ABUSE_OUTREACH}, {TRANSPORT}),
    ("speech therapy", {"Speech and Language Therapy"}, {COUNSELLING}),
    ("autism", {"Autism and ADHD Assessment Pathway"}, {CAMHS}),
    ("ADHD assessment", {"Autism and ADHD Assessment Pathway"}, {"Children in Care Health Team"}),
    ("school nurse", {"School Nursing Service"}, {MHST, TRANSPORT}),
    ("health visitor", {"Health Visiting Service"}, {"School Nursing Service"}),
    ("young carers", {YOUNG_CARERS}, {FOSTERING}),
    ("parenting course", {"Parenting Programmes"}, {"Family Centres"}),
    ("anorexia", {"Eating Disorders Service"}, {CAMHS}),
    ("holiday club", {"Inclusive Play Schemes"}, {YOUTH}),
    ("children's centre", {"Family Centres"}, {"Refuge Children's Workers"}),
    ("refuge", {"Refuge Children's Workers"}, {ABUSE_GROUPS}),
    ("nursery", {"Early Years Inclusion Service"}, {"Family Centres"}),
    ("EHCP", {"SEND Information, Advice and Support Service"}, {TRANSPORT}),
    ("respite", {SHORT_BREAKS}, {YOUTH}),
    ("Counselling!!!", {COUNSELLING}, {CAMHS}),
]


@pytest.fixture()
def demo_services(app):
    """The 30 demo services with their default other names; name -> id."""
    from feedback.admin.service_names import add_default_names
    from feedback.demo.partnership import SERVICES
    from feedback.demo.service_names import OTHER_NAMES
    from feedback.extensions import db
    from feedback.models import Service
    with app.app_context():
        services = [Service(name=name, plain_name=plain, thematic_area=area, min_age=lo,
                            max_age=hi, description=desc)
                    for name, plain, area, _, lo, hi, desc in SERVICES]
        db.session.add_all(services)
        db.session.commit()
        assert add_default_names(OTHER_NAMES) > 100
        assert add_default_names(OTHER_NAMES) == 0  # a second run adds nothing
        return {s.name: s.id for s in services}


def listed(client, query: str) -> list[int]:
    """Ids of the services the public list shows for ``query``, in order."""
    page = client.get("/services", query_string={"q": query})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    block = re.search(r'<ul class="govuk-list govuk-list--spaced" id="services">(.*?)</ul>',
                      html, re.S)
    return [int(i) for i in re.findall(r'href="/services/(\d+)"', block.group(1))] if block else []


def offered(client, query: str) -> list[int]:
    """Ids of the services the card journey offers (radio buttons) for ``query``."""
    page = client.get("/cards/new", query_string={"q": query})
    assert page.status_code == 200
    return [int(i) for i in re.findall(r'name="service" type="radio" value="(\d+)"',
                                       page.get_data(as_text=True))]


def test_thirty_and_more_everyday_queries(client, demo_services):
    assert len(QUERIES) >= 30
    failures = []
    for query, must, must_not in QUERIES:
        found = {name for name, sid in demo_services.items() if sid in listed(client, query)}
        if not must <= found or found & must_not:
            failures.append((query, sorted(must - found), sorted(found & must_not)))
    assert failures == []


@pytest.mark.parametrize("query", ["taxi", "social worker", "bus", "CAMHS", "counsellor"])
def test_the_card_journey_offers_the_same_services_in_the_same_order(client, demo_services,
                                                                     query):
    assert offered(client, query) == listed(client, query) != []


def test_a_name_match_comes_before_other_names(client, demo_services):
    # "support": services with it in their name first, description-only matches last.
    ids = listed(client, "support")
    by_id = {sid: name for name, sid in demo_services.items()}
    names = [by_id[i] for i in ids]
    assert names.index(EARLY_HELP) < names.index(LEAVING_CARE)
    assert names.index(TARGETED) < names.index("Refuge Children's Workers")
    # "counselling": its own service first.
    assert listed(client, "counselling")[0] == demo_services[COUNSELLING]


def test_filler_and_nonsense_find_nothing_with_a_clear_message(client, demo_services):
    for query in ("the", "qwertyuiop", "<script>alert(1)</script>", "%", "' OR 1=1 --"):
        assert listed(client, query) == []
        assert "No services match" in client.get("/services", query_string={"q": query}) \
            .get_data(as_text=True)
        assert "No services match" in client.get("/cards/new", query_string={"q": query}) \
            .get_data(as_text=True)


def test_search_results_link_to_each_service_page(client, demo_services):
    page = client.get("/cards/new", query_string={"q": "taxi"}).get_data(as_text=True)
    assert f'href="/services/{demo_services[TRANSPORT]}"' in page
    assert "Read about these services" in page


def test_an_inactive_service_is_not_found(app, client, demo_services):
    from feedback.extensions import db
    from feedback.models import Service
    with app.app_context():
        db.session.get(Service, demo_services[TRANSPORT]).active = False
        db.session.commit()
    assert listed(client, "taxi") == []


# --- admin pages -------------------------------------------------------------

def test_an_admin_edits_other_names_and_search_follows(app, client, login_as, demo_services):
    login_as("admin")
    listing = client.get("/admin/services").get_data(as_text=True)
    assert "SEND Transport" in listing and "taxi" in listing
    url = f"/admin/services/{demo_services[SHORT_BREAKS]}"
    form = client.get(url).get_data(as_text=True)
    assert "Other names people use for this service" in form and "respite" in form
    saved = post_form(client, url, {"names": "respite\nsleepover, Saturday club"})
    assert saved.status_code == 302
    assert demo_services[SHORT_BREAKS] in listed(client, "sleepovers")
    assert demo_services[SHORT_BREAKS] not in listed(client, "days out")  # removed
    from feedback.extensions import db
    from feedback.models import AuditEvent
    with app.app_context():
        event = db.session.execute(db.select(AuditEvent).filter_by(
            action="admin.service_names_changed")).scalar_one()
        assert event.object_id == demo_services[SHORT_BREAKS]
        assert "sleepover" in event.detail["added"] and "days out" in event.detail["removed"]


@pytest.mark.parametrize("names, message", [
    ("taxi\nTaxis", "is the same as"),
    ("the", "has no word search can use"),
    ("x" * 61, "60 characters or fewer"),
    ("a" * 4001, "4,000 characters or fewer"),
])
def test_bad_names_get_a_clear_message_and_nothing_is_saved(client, login_as, demo_services,
                                                            names, message):
    login_as("admin")
    url = f"/admin/services/{demo_services[TRANSPORT]}"
    page = post_form(client, url, {"names": names})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "There is a problem" in html and message in html
    assert demo_services[TRANSPORT] in listed(client, "taxi")  # the old names stay


def test_only_admins_reach_the_service_pages(client, login_as, demo_services):
    login_as("commissioner")
    assert client.get("/admin/services").status_code == 403
    assert client.get(f"/admin/services/{demo_services[TRANSPORT]}").status_code == 403
    assert client.get("/admin/services/987654").status_code == 403


def test_a_missing_service_is_not_found_for_an_admin(client, login_as):
    login_as("admin")
    assert client.get("/admin/services/987654").status_code == 404


# --- imports -----------------------------------------------------------------

def test_an_import_recognises_services_by_the_same_names(app, client, login_as, demo_services):
    login_as("forum_rep", organisation="Shire Family Voice")
    rows = ["Service;Who gave the feedback;Rating;What went well;What could be better"]
    cells = ["CAMHS", "camhs", "Child and Adolescent Mental Health", "taxi",
             "Youth Counselling Service", "therapist", "Dragon keeping"]
    for i, cell in enumerate(cells):
        rows.append(f"{cell};Parent or carer;4;Row {i} went well;")
    assert upload(client, "\r\n".join(rows).encode("utf-8"), "names.csv").status_code == 302
    map_columns(client)
    problems = problems_in(report(client))
    assert set(problems) == {7, 8}
    assert problems[7].startswith("Service 'therapist' could be more than one service (")
    assert CAMHS in problems[7] and COUNSELLING in problems[7]
    assert problems[8] == ("Service 'Dragon keeping' is not a service we know. Use a name from "
                           "the Services sheet of the template")


# --- any input ---------------------------------------------------------------

@given(query=st.text(max_size=150))
def test_any_search_gives_a_page_never_a_500(client, demo_services, query):
    for url in ("/services", "/cards/new"):
        assert client.get(url, query_string={"q": query}).status_code == 200


@given(names=st.text(max_size=300))
def test_any_names_are_saved_or_refused_with_a_message(app, client, login_as, demo_services,
                                                       names):
    if not getattr(client, "_signed_in", False):
        login_as("admin")
        client._signed_in = True
    url = f"/admin/services/{demo_services[SHORT_BREAKS]}"
    response = post_form(client, url, {"names": names})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "There is a problem" in response.get_data(as_text=True)


def test_the_demo_seed_gives_every_demo_service_its_other_names(app, runner, client):
    result = runner.invoke(args=["seed-demo", "--password", "lantern-orchard-velvet-42",
                                 "--cards", "30", "--feedback", "20"])
    assert result.exit_code == 0, result.output
    assert "151 other service names" in result.output
    from feedback.extensions import db
    from feedback.models import Service
    with app.app_context():
        services = db.session.execute(db.select(Service)).scalars().all()
        assert len(services) == 30 and all(service.other_names for service in services)
        transport = next(s.id for s in services if s.name == TRANSPORT)
    assert listed(client, "taxi") == [transport]


def test_a_search_within_a_category_finds_only_that_category(client, demo_services):
    page = client.get("/cards/new", query_string={"q": "support", "category": "corporate_parenting"})
    ids = [int(i) for i in re.findall(r'name="service" type="radio" value="(\d+)"',
                                      page.get_data(as_text=True))]
    # Its name first ("Supported housing"), then two found by their descriptions, by plain name.
    assert ids == [demo_services[HOUSING], demo_services[FOSTERING], demo_services[LEAVING_CARE]]
