"""The service matcher on plain records (no app, no database)."""
from __future__ import annotations

import pytest

from feedback.admin.service_names import NamesRefused, parse_names
from feedback.demo.partnership import SERVICES
from feedback.demo.service_names import OTHER_NAMES
from feedback.services_search import ServiceMatcher, ServiceText, words

TRANSPORT = ServiceText(1, "SEND Transport", "School transport", ("taxi", "bus", "school bus"),
                        "Home to school transport for children with SEND.")
ABUSE = ServiceText(2, "Children's Domestic Abuse Recovery Groups",
                    "Groups for children after domestic abuse", ("recovery group",),
                    "Recovery programmes for children.")
CAMHS = ServiceText(3, "Children and Young People's Mental Health Service (CAMHS)",
                    "CAMHS: help with feelings and mental health",
                    ("CAMHS", "Child and Adolescent Mental Health", "therapist"),
                    "Specialist mental health assessment and treatment.")
COUNSELLING = ServiceText(4, "Youth Counselling Service", "Counselling for young people",
                          ("counsellor", "therapist"), "Free short-term counselling.")
NURSES = ServiceText(5, "School Nursing Service", "School nurses", ("drop-in",),
                     "Health advice, drop-ins and immunisations.")
YOUTH = ServiceText(6, "Youth Service", "Youth clubs and youth workers", ("drop-in",),
                    "Youth centres, detached youth work.")
ALL = (TRANSPORT, ABUSE, CAMHS, COUNSELLING, NURSES, YOUTH)


@pytest.fixture(scope="module")
def matcher():
    return ServiceMatcher(ALL)


def test_words_ignore_case_punctuation_plurals_and_filler():
    assert words("Counsellors!!") == words("counsellor") == ("counsellor",)
    assert words("TAXIS") == words("taxi")
    assert words("buses") == words("Bus") == ("bus",)
    assert words("children's") == words("Children") == ("child",)
    assert words("counselor") == words("counsellor")
    assert words("social-worker") == words("social worker") == words("Social  Workers")
    assert words("the service for my") == ()
    assert "bus" not in words("abuse")


def test_whole_words_only_bus_is_not_in_abuse(matcher):
    assert matcher.search("bus") == [TRANSPORT.id]
    assert matcher.search("buses") == [TRANSPORT.id]
    assert ABUSE.id in matcher.search("abuse")


def test_other_names_find_services(matcher):
    assert matcher.search("taxi") == [TRANSPORT.id]
    assert matcher.search("counsellor") == [COUNSELLING.id]
    assert matcher.search("Child & Adolescent Mental Health!") == [CAMHS.id]
    assert matcher.search("my taxi to school is always late") == [TRANSPORT.id]


def test_a_name_match_ranks_before_an_other_name_before_a_description(matcher):
    # "therapist" is only another name: both services, by plain name.
    assert matcher.search("therapist") == [CAMHS.id, COUNSELLING.id]
    # "counselling": the counselling service by its name first; nothing else has it.
    assert matcher.search("counselling")[0] == COUNSELLING.id
    mixed = ServiceMatcher(ALL + (ServiceText(7, "Adventure Days", "Days out", ("youth trips",),
                                              ""),
                                  ServiceText(8, "Holiday Hub", "Holiday hub", (),
                                              "Fun for youth in the holidays")))
    # Its exact name, then a name holding the word, then another name, then a description.
    assert mixed.search("youth") == [YOUTH.id, COUNSELLING.id, 7, 8]


def test_every_word_must_be_found_somewhere(matcher):
    assert matcher.search("school taxi") == [TRANSPORT.id]
    assert matcher.search("school dragon") == []


def test_filler_alone_finds_nothing(matcher):
    assert matcher.search("the") == []
    assert matcher.search("  ,,, ") == []
    assert matcher.search(None) == []


def test_recognise_reads_an_import_cell(matcher):
    for cell in ("CAMHS", "camhs", "Child and Adolescent Mental Health",
                 "child & adolescent mental health", "CAMHS North team",
                 "Children and Young People's Mental Health Service (CAMHS)"):
        assert matcher.recognise(cell).service_id == CAMHS.id, cell
    assert matcher.recognise("YouthCounsellingService").service_id == COUNSELLING.id
    assert matcher.recognise("Youth Counselling").service_id == COUNSELLING.id
    assert matcher.recognise("taxis").service_id == TRANSPORT.id
    # Part of one service's name, word for word; part of several is ambiguous.
    assert matcher.recognise("Domestic Abuse").service_id == ABUSE.id
    assert set(matcher.recognise("young people").candidates) == {CAMHS.id, COUNSELLING.id}


def test_recognise_says_when_a_cell_is_unknown_or_ambiguous(matcher):
    unknown = matcher.recognise("Dragon keeping")
    assert unknown.service_id is None and unknown.candidates == ()
    assert matcher.recognise("").service_id is None
    both = matcher.recognise("therapist")
    assert both.service_id is None and both.candidates == (CAMHS.id, COUNSELLING.id)
    drop_in = matcher.recognise("drop in")
    assert drop_in.service_id is None and set(drop_in.candidates) == {NURSES.id, YOUTH.id}
    # A description never names a service.
    assert matcher.recognise("immunisations").service_id is None


def test_demo_names_belong_to_demo_services_and_pass_the_admin_checks():
    names = {service[0] for service in SERVICES}
    assert set(OTHER_NAMES) <= names
    assert len(OTHER_NAMES) == len(SERVICES) == 30
    for service, others in OTHER_NAMES.items():
        assert parse_names("\n".join(others)) == list(others), service


@pytest.mark.parametrize("text, message", [
    ("x" * 61, "60 characters or fewer"),
    ("the", "has no word search can use"),
    ("taxi\nTaxis", "is the same as"),
    ("\n".join(f"name {i}" for i in range(41)), "40 names or fewer"),
    ("taxi\x00", "control character"),
])
def test_admin_checks_refuse_bad_names(text, message):
    with pytest.raises(NamesRefused, match=message):
        parse_names(text)


def test_admin_names_split_on_lines_and_commas():
    assert parse_names(" taxi ,  school   bus\n\nCAMHS;PA ") == ["taxi", "school bus", "CAMHS", "PA"]
