"""One pagination macro (templates/_macros/pagination.html) and the table macro
(templates/_macros/table.html), through the HTTP client on SQLite and PostgreSQL."""
from __future__ import annotations

import re

from tests.factories import make_cards, make_service


def _numbers(page: str) -> list[str]:
    """The page numbers and ellipses of the pagination, in order."""
    nav = re.search(r'<nav class="govuk-pagination".*?</nav>', page, re.S).group(0)
    return re.findall(r'govuk-pagination__item(?:--ellipses)?[^>]*>\s*(?:<a[^>]*>\s*)?([^<\s]+)',
                      nav)


def test_the_to_answer_list_pages_with_numbers_and_keeps_its_service(client, login_as, db):
    service = make_service(db)
    other = make_service(db, name="Youth club")
    make_cards(db, service, per_topic=111, topics={"s": ["please fix the wifi"]})
    make_cards(db, other, per_topic=3, topics={"o": ["longer opening hours"]})
    login_as("commissioner")

    second = client.get(f"/insight/to-answer?service={service.id}&page=2").get_data(as_text=True)
    assert 'aria-label="Pages of cards to answer"' in second
    assert _numbers(second) == ["1", "2", "3"]
    assert 'aria-current="page"' in second
    assert f'href="/insight/to-answer?page=1&amp;service={service.id}"' in second  # previous
    assert f'href="/insight/to-answer?page=3&amp;service={service.id}"' in second  # next
    # The table macro: a focusable region named after the table, the headers from the macro.
    assert re.search(r'<div class="app-table-wrapper" tabindex="0" role="region" '
                     r'aria-label="Waiting for an answer">', second)
    assert second.count('<th scope="col" class="govuk-table__header">') == 5
    assert "Waiting for an answer (111)" in second and "Page 2 of 3" in second

    only_other = client.get(f"/insight/to-answer?service={other.id}").get_data(as_text=True)
    assert "govuk-pagination" not in only_other  # one page: no pagination at all


def test_long_lists_show_first_last_and_neighbours_with_ellipses(client, login_as, db):
    service = make_service(db)
    make_cards(db, service, per_topic=260, topics={"s": ["please fix the wifi"]})
    login_as("commissioner")
    fourth = client.get("/insight/to-answer?page=4").get_data(as_text=True)
    assert _numbers(fourth) == ["1", "&ctdot;", "3", "4", "5", "6"]
    first = client.get("/insight/to-answer").get_data(as_text=True)
    assert _numbers(first) == ["1", "2", "&ctdot;", "6"]
    assert "govuk-pagination__prev" not in first and "govuk-pagination__next" in first
    last = client.get("/insight/to-answer?page=6").get_data(as_text=True)
    assert _numbers(last) == ["1", "&ctdot;", "5", "6"] and "govuk-pagination__next" not in last


def test_every_paged_page_uses_the_one_macro():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    own = [p.relative_to(root).as_posix() for p in (root / "templates").rglob("*.html")
           if "govukPagination" in p.read_text(encoding="utf-8")]
    assert own == ["templates/_macros/pagination.html"]
    users = sorted(p.relative_to(root / "templates").as_posix()
                   for p in (root / "templates").rglob("*.html")
                   if '"_macros/pagination.html" import pagination' in p.read_text(encoding="utf-8"))
    assert users == ["cards/service_cards.html", "family/_entries.html", "insight/to_answer.html",
                     "insight/you_said_we_did.html", "moderation/queue.html",
                     "moderation/safeguarding_queue.html", "moderation/worker_contacts.html"]
    built = [p.name for p in (root / "feedback").rglob("*.py")
             if "landmarkLabel" in p.read_text(encoding="utf-8")]
    assert built == [], "pagination is built by the macro, not in Python"
