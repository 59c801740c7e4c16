"""The public "you said, we did" page: every answered action card, a page at a time.

An entry is a published action card (``is_published``, redacted text only) whose
answer is "Done" or "Not possible", newest answer first, 25 a page, with the
provider's published replies under it, marked as theirs. What was
done is the latest written answer; a card answered with a status and no words
(or, for "Not possible", only a reason) still appears, with the reason or a
plain sentence, so every answer given on the answering page reaches the public.
Filters: one service, one kind (stop, start, change) and words to search for in
what was said and what was done (every word must appear, in any case; ``%``,
``_`` and ``\\`` are matched as themselves and control characters are dropped).
A request the page cannot read (a page number that is not one, an unknown
service or kind, too many words) gets a message naming the problem and the
entries for the rest of the request, never an error.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Mapping

from flask_babel import gettext
from sqlalchemy import exists, func, or_, select

from ..extensions import db
from ..i18n import N_
from ..ids import MAX_PAGE, parse_id
from ..models import ActionCard, Response, Service, Theme, ThemeAssignment
from ..models.cards import CARD_KINDS
from ..models.submissions import OPEN_STATUSES
from .quotes import quote_key

PER_PAGE = 25
ANSWERED = ("done", "not_possible")
MAX_WORDS_LENGTH = 100
MAX_WORDS = 8
NO_SERVICE = N_("Not sure which service")


@dataclass(frozen=True)
class PublicQuery:
    """What the reader asked for; empty values mean everything."""
    page: int = 1
    service_id: int | None = None
    kind: str | None = None
    words: str = ""

    @property
    def filtered(self) -> bool:
        return bool(self.service_id or self.kind or self.words)

    def args(self, **changes) -> dict:
        """Query-string values for a link to this view (page 1 left out)."""
        values = {"service": self.service_id, "kind": self.kind, "q": self.words or None,
                  "page": self.page}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "") and
                not (k == "page" and v == 1)}


@dataclass(frozen=True)
class QueryProblem:
    field: str  # the form field's id, for the error summary's link
    message: str


def clean_words(text: str) -> str:
    """Search words as typed, without control or format characters, spaces collapsed."""
    kept = "".join(" " if unicodedata.category(ch).startswith(("C", "Z")) else ch
                   for ch in text or "")
    return " ".join(kept.split())


def read_query(args: Mapping[str, str], service_ids) -> tuple[PublicQuery, list[QueryProblem]]:
    """A ``PublicQuery`` from the query string, and what could not be read in it.

    ``service_ids``: the ids a reader may filter by. Whatever is wrong is left
    out of the query and named in a problem."""
    problems = []
    page = 1
    if args.get("page", "").strip():
        number = parse_id(args.get("page"))
        if number is None or number > MAX_PAGE:
            problems.append(QueryProblem("page", gettext(
                "The page number must be a whole number, like 2. The first page is shown.")))
        else:
            page = number
    service_id = None
    if args.get("service", "").strip():
        service_id = parse_id(args.get("service"))
        if service_id not in set(service_ids):
            problems.append(QueryProblem("service", gettext("Select a service from the list")))
            service_id = None
    kind = (args.get("kind") or "").strip().lower() or None
    if kind is not None and kind not in CARD_KINDS:
        problems.append(QueryProblem("kind", gettext("Select stop, start or change")))
        kind = None
    words = clean_words(args.get("q", ""))
    if len(words) > MAX_WORDS_LENGTH or len(words.split()) > MAX_WORDS:
        problems.append(QueryProblem("q", gettext(
            "Search for %(words)s words or fewer (%(characters)s characters at most)",
            words=MAX_WORDS, characters=MAX_WORDS_LENGTH)))
        words = ""
    return PublicQuery(page, service_id, kind, words), problems


@dataclass(frozen=True)
class Entry:
    card_id: int
    kind: str  # stop | start | change
    service_id: int | None
    service: str
    theme: str | None  # the public name of its theme; None when no theme may be shown
    said: str
    status: str  # done | not_possible
    did: str
    reason: str | None
    answered_at: datetime
    me_too_open: bool  # the service still has open cards people can say "me too" to
    # "Checked by young people on <date>" (or published without a panel): None before
    # youth panels checked answers (``ratification.state``)
    panel: str | None = None
    panel_wording: str | None = None  # how the young people put it, when they changed it
    panel_dispute: str | None = None  # why they disputed it
    service_cy: str | None = None  # the service's plain name in Welsh, when it has one

    @property
    def kind_label(self) -> str:
        return CARD_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class AnsweredPage:
    entries: list[Entry]
    total: int
    page: int
    pages: int
    query: PublicQuery
    page_asked: int  # the page asked for (larger than ``pages`` when past the end)
    replies: dict = field(default_factory=dict)  # card id -> the provider's published replies

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * PER_PAGE + 1 if self.entries else 0

    @property
    def last_shown(self) -> int:
        return self.first_shown + len(self.entries) - 1 if self.entries else 0


def _like(words: str) -> str:
    escaped = words.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _latest_response():
    return (select(Response.body).where(Response.card_id == ActionCard.id)
            .order_by(Response.created_at.desc(), Response.id.desc()).limit(1)
            .correlate(ActionCard).scalar_subquery())


def _theme_id():
    """The card's most confident theme that is shown on the dashboard and that a person has
    reviewed or named: an engine label no one has read ("Son", "Stop") is not put in front
    of the public (``_public_themes`` then checks its size)."""
    return (select(Theme.id)
            .join(ThemeAssignment, ThemeAssignment.theme_id == Theme.id)
            .where(ThemeAssignment.card_id == ActionCard.id, Theme.hidden.is_(False),
                   Theme.merged_into_id.is_(None),
                   or_(Theme.reviewed.is_(True), Theme.curated_name.is_not(None)))
            .order_by(ThemeAssignment.confidence.desc().nulls_last(), Theme.id).limit(1)
            .correlate(ActionCard).scalar_subquery())


def _answered_at():
    return func.coalesce(ActionCard.status_changed_at, ActionCard.updated_at)


def _conditions(query: PublicQuery, gate=None) -> list:
    conds = [ActionCard.is_published, ActionCard.status.in_(ANSWERED),
             ActionCard.text_redacted.is_not(None)]
    checked = gate.condition(_answered_at()) if gate is not None else None
    if checked is not None:
        conds.append(checked)
    if query.service_id is not None:
        conds.append(ActionCard.service_id == query.service_id)
    if query.kind is not None:
        conds.append(ActionCard.kind == query.kind)
    for word in query.words.split():
        pattern = _like(word)
        said = func.lower(ActionCard.text_redacted).like(pattern, escape="\\")
        answered = exists(select(Response.id).where(
            Response.card_id == ActionCard.id,
            func.lower(Response.body).like(pattern, escape="\\")).correlate(ActionCard))
        reason = func.lower(func.coalesce(ActionCard.status_reason, "")).like(
            pattern, escape="\\")
        conds.append(or_(said, answered, reason))
    return conds


def answered_cards(query: PublicQuery, per_page: int = PER_PAGE) -> AnsweredPage:
    """One page of answered cards for ``query``, newest answer first (module rules): only
    answers young people have checked, or given before youth panels checked answers
    (``ratification.state``, the one home of that rule)."""
    from ..ratification.state import public_gate
    gate = public_gate()
    conds = _conditions(query, gate)
    total = int(db.session.execute(select(func.count()).select_from(ActionCard)
                                   .where(*conds)).scalar_one())
    pages = max(1, -(-total // per_page))
    page = min(query.page, pages)
    order = (_answered_at().desc(), ActionCard.id.desc())
    # The page's ids first, so the answer and theme lookups run for 25 cards, not all.
    ids = list(db.session.execute(select(ActionCard.id).where(*conds).order_by(*order)
                                  .limit(per_page).offset((page - 1) * per_page)).scalars())
    entries = _entries(ids, order, gate)
    from ..provider.replies import published_replies
    return AnsweredPage(entries, total, page, pages, query, query.page,
                        published_replies("card", ids))


def period_answers(start_at: datetime, end_at: datetime, limit: int = 500) -> list[Entry]:
    """The answers given in [start_at, end_at) that the public page lists once they are
    checked, oldest first: what a youth panel goes through."""
    conds = _conditions(PublicQuery()) + [_answered_at() >= start_at, _answered_at() < end_at]
    order = (_answered_at(), ActionCard.id)
    ids = list(db.session.execute(select(ActionCard.id).where(*conds).order_by(*order)
                                  .limit(limit)).scalars())
    return _entries(ids, order, None)


def _entries(ids: list[int], order, gate) -> list[Entry]:
    rows = db.session.execute(
        select(ActionCard.id, ActionCard.kind, ActionCard.service_id,
               func.coalesce(Service.plain_name, Service.name), _theme_id(),
               Service.plain_name_cy, ActionCard.text_redacted, ActionCard.status,
               _latest_response(), ActionCard.status_reason, ActionCard.status_changed_at,
               ActionCard.updated_at)
        .outerjoin(Service, Service.id == ActionCard.service_id)
        .where(ActionCard.id.in_(ids)).order_by(*order)).all() if ids else []
    shown_services = {r[2] for r in rows if r[2] is not None}
    still_open = set(db.session.execute(select(ActionCard.service_id).where(
        ActionCard.service_id.in_(shown_services), ActionCard.is_published,
        ActionCard.status.in_(OPEN_STATUSES)).distinct()).scalars()) if shown_services else set()
    themes = _public_themes({r[4] for r in rows if r[4] is not None})
    # Without a service, the words shown for it ("Not sure which service") are the page's own.
    entries = [Entry(card_id, kind, service_id, service or gettext(NO_SERVICE),
                     themes.get(theme), said.strip(), status,
                     _did(status, response, reason), _why_not(response, reason),
                     changed_at or updated_at, service_id in still_open,
                     service_cy=service_cy if service else gettext(NO_SERVICE))
               for (card_id, kind, service_id, service, theme, service_cy, said, status,
                    response, reason, changed_at, updated_at) in rows]
    if gate is None or gate.start is None:
        return entries
    from ..ratification.state import verdict_text, verdicts_for
    stretches = {e.card_id: gate.stretch_of(e.answered_at) for e in entries}
    sessions = {s.session.id for s in stretches.values() if s is not None and s.session}
    verdicts = verdicts_for(sessions, "answer", [e.card_id for e in entries])
    marked = []
    for entry in entries:
        stretch, verdict = stretches[entry.card_id], verdicts.get(entry.card_id)
        if stretch is None:
            marked.append(entry)
            continue
        changed = verdict is not None and verdict.verdict == "changed"
        disputed = verdict is not None and verdict.verdict == "disputed"
        # A panel met but did not mark this answer: it was published with the period, and the
        # page must not say young people checked it.
        text = verdict_text(None, True) if stretch.session and verdict is None else stretch.text
        marked.append(replace(entry, panel=text,
                              panel_wording=verdict.wording if changed else None,
                              panel_dispute=verdict.reason if disputed else None))
    return marked


def _public_themes(theme_ids: set[int]) -> dict[int, str]:
    """{theme id: the name the public sees} for the themes whose name may be shown: a theme
    of fewer than 10 people (published, all time) is a small group (``disclosure``), so its
    name is not put beside a card; the answer is then shown without a theme."""
    if not theme_ids:
        return {}
    from .. import disclosure
    from .filters import Filters
    from .queries import items_subquery
    items = items_subquery(Filters())
    people = dict(db.session.execute(
        select(items.c.theme_id, func.sum(items.c.people))
        .where(items.c.theme_id.in_(theme_ids)).group_by(items.c.theme_id)).all())
    big = [i for i in theme_ids if not disclosure.is_small(int(people.get(i) or 0))]
    return dict(db.session.execute(select(Theme.id, func.coalesce(Theme.curated_name, Theme.label))
                                   .where(Theme.id.in_(big))).all()) if big else {}


def _why_not(response: str | None, reason: str | None) -> str | None:
    """The reason, unless it says what the written answer already says (the same words
    would be shown twice: "We could not do it" and "Why not")."""
    reason = (reason or "").strip()
    if not reason or quote_key(reason) == quote_key(response or ""):
        return None
    return reason


def _did(status: str, response: str | None, reason: str | None) -> str:
    """What was done, in words: the written answer, else the reason, else a plain sentence."""
    response = (response or "").strip()
    if response:
        return response
    if status == "not_possible":
        return gettext("We could not do this.")
    return gettext("We have done this.")


def service_choices() -> list[tuple[int, str, str | None]]:
    """Services that have at least one answered card on the public page: id, name and Welsh
    name (when it has one)."""
    answered = select(ActionCard.service_id).where(
        ActionCard.is_published, ActionCard.status.in_(ANSWERED)).distinct()
    name = func.coalesce(Service.plain_name, Service.name)
    return [(i, n, cy) for i, n, cy in db.session.execute(
        select(Service.id, name, Service.plain_name_cy).where(Service.id.in_(answered))
        .order_by(name, Service.id))]


@dataclass(frozen=True)
class PublicView:
    answered: AnsweredPage
    problems: list[QueryProblem]
    services: list[tuple[int, str, str | None]]
    kinds: dict[str, str]
    checks: list = field(default_factory=list)  # ratification.state.Clearance, newest first


def public_page(args: Mapping[str, str]) -> PublicView:
    """The public page for a query string's values: its entries, the services and
    kinds to filter by, and what in the request could not be used."""
    services = service_choices()
    query, problems = read_query(args, [i for i, _, _ in services])
    answered = answered_cards(query)
    if answered.page_asked > answered.pages:
        problems.append(QueryProblem("page", gettext(
            "There is no page %(page)s: the last page, page %(last)s, is shown.",
            page=f"{answered.page_asked:,}", last=f"{answered.pages:,}")))
    from .. import clock
    from ..ratification.state import recent_checks
    return PublicView(answered, problems, services, CARD_KINDS, recent_checks(clock.today()))


__all__ = ["AnsweredPage", "Entry", "PER_PAGE", "PublicQuery", "PublicView", "QueryProblem",
           "answered_cards", "public_page", "read_query", "service_choices"]
