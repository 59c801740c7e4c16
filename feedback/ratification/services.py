"""Use cases behind the youth panel pages: the periods and where each stands, a period's
themes and answers with what the panel said of each, recording a session, a verdict, and
a commissioner's reason when no panel could happen. Every change is audited.

The themes a panel goes through are the period's themes as the insight dashboard and the
packs show them (``insight.queries.theme_summary``: live, not hidden, 10 people or more);
the answers are those "you said, we did" lists once checked (``insight.public``).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..contracts.periods import Period, parse_key, period_containing
from ..errors import FieldError, NotAllowed
from ..extensions import db
from ..insight.filters import Filters
from ..insight.public import Entry, period_answers
from ..insight.queries import theme_summary
from ..models import PanelSession, PanelVerdict, PanelWaiver
from ..models.panel import MAX_GROUP, MAX_WORDING, MAX_YOUNG_PEOPLE, VERDICTS
from ..permissions import can_record_panel, can_waive_panel
from . import state

MAX_REASON = 2000


class PanelError(FieldError):
    """A panel record that cannot be kept as given; names the form field to blame."""


def _guard(actor, allowed=can_record_panel) -> None:
    if not allowed(actor):
        raise NotAllowed()


def clean_text(value: str | None, field: str, limit: int, *, required: str | None = None,
               too_long: str, control: str) -> str | None:
    """Words typed into a form, trimmed; ``PanelError`` when empty (if ``required``), too long
    or holding a control character. Each message is a whole sentence naming the field."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        if required:
            raise PanelError(required, field)
        return None
    if len(text) > limit:
        raise PanelError(too_long, field)
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in text):
        raise PanelError(control, field)
    return text


def period_from(kind: str, start: str) -> Period:
    """The period named in a URL; ``LookupError`` when it is not one."""
    period = parse_key(f"{kind}:{start}")
    if period is None:
        raise LookupError(start)
    return period


def periods(actor, today: date) -> list[state.Clearance]:
    """The running quarter and the five before it, then this and last financial year."""
    _guard(actor)
    start = state.checks_start()
    quarter = period_containing("quarter", today)
    found = []
    for _step in range(6):
        found.append(state.clearance(quarter, start))
        quarter = quarter.previous()
    year = period_containing("year", today)
    found += [state.clearance(year, start), state.clearance(year.previous(), start)]
    return found


@dataclass(frozen=True)
class Item:
    subject: str  # theme | answer
    subject_id: int
    original: str  # the wording the panel sees
    heading: str  # what it is, in a few words
    verdict: PanelVerdict | None

    @property
    def view(self) -> str:
        if self.verdict is None:
            return _("Not yet marked")
        return _(VERDICTS[self.verdict.verdict])


@dataclass(frozen=True)
class PeriodPage:
    period: Period
    clearance: state.Clearance
    session: PanelSession | None  # the latest session, whose verdicts are shown
    themes: list[Item]
    answers: list[Item]
    started: bool  # the period has begun (a session or reason can be recorded)

    @property
    def marked(self) -> int:
        return sum(i.verdict is not None for i in self.themes + self.answers)


def period_themes(period: Period) -> list[tuple[int, str]]:
    rows = theme_summary(Filters(start=period.start, end=period.end + timedelta(days=1)))
    return [(r.theme_id, r.name) for r in rows if not r.suppressed]


def period_entries(period: Period) -> list[Entry]:
    return period_answers(*period.bounds())


def answer_wording(entry: Entry) -> str:
    said = f"{entry.kind_label}: {entry.said}"
    done = "We did" if entry.status == "done" else "We could not do it"
    return f"You said: {said}\n{done}: {entry.did}"


def period_page(actor, period: Period, today: date) -> PeriodPage:
    _guard(actor)
    found = state.clearance(period)
    own = [s for s in found.sessions if s.period_kind == period.kind
           and s.period_start == period.start]
    session = own[0] if own else None
    themes, answers = period_themes(period), period_entries(period)
    ids = [session.id] if session else []
    theme_verdicts = state.verdicts_for(ids, "theme", [t for t, _ in themes])
    answer_verdicts = state.verdicts_for(ids, "answer", [a.card_id for a in answers])
    return PeriodPage(
        period, found, session,
        [Item("theme", t, name, name, theme_verdicts.get(t)) for t, name in themes],
        [Item("answer", a.card_id, answer_wording(a), f"{a.service}, answered "
              f"{a.answered_at:%-d %B %Y}", answer_verdicts.get(a.card_id)) for a in answers],
        period.start <= today)


@dataclass(frozen=True)
class SessionInput:
    held_on: date | None
    group_name: str | None
    young_people: int | None


def record_session(actor, period: Period, data: SessionInput, today: date) -> PanelSession:
    """Keep a youth panel's session for ``period``; commits."""
    _guard(actor)
    if data.held_on is None:
        raise PanelError(_("Enter the date the panel met"), "held_on")
    if data.held_on > today:
        raise PanelError(_("The date the panel met must be today or in the past"), "held_on")
    if data.held_on < period.start:
        raise PanelError(_("The date the panel met must be on or after %(date)s, when the "
                           "period began", date=f"{period.start:%-d %B %Y}"), "held_on")
    group = clean_text(
        data.group_name, "group_name", MAX_GROUP,
        required=_("Enter the name of the group, for example Youth Council"),
        too_long=_("The group's name must be %(count)s characters or fewer",
                   count=f"{MAX_GROUP:,}"),
        control=_("The group's name holds a character that cannot be shown (a control "
                  "character). Type it again rather than pasting it"))
    if data.young_people is None:
        raise PanelError(_("Enter how many young people took part, as a number"),
                         "young_people")
    if not 1 <= data.young_people <= MAX_YOUNG_PEOPLE:
        raise PanelError(_("How many young people took part must be between 1 and "
                           "%(most)s", most=MAX_YOUNG_PEOPLE), "young_people")
    session = PanelSession(period_kind=period.kind, period_start=period.start,
                           period_end=period.end, held_on=data.held_on, group_name=group,
                           young_people=data.young_people, recorded_by_id=actor.id)
    db.session.add(session)
    db.session.flush()
    audit.record("panel_session.recorded", actor, session, period=period.key,
                 held_on=data.held_on.isoformat(), young_people=data.young_people)
    db.session.commit()
    return session


def get_session(actor, session_id: int) -> PanelSession:
    _guard(actor)
    session = db.session.get(PanelSession, session_id)
    if session is None:
        raise LookupError(session_id)
    return session


def session_period(session: PanelSession) -> Period:
    return Period(session.period_kind, session.period_start, session.period_end)


def item_of(actor, session: PanelSession, subject: str, subject_id: int) -> Item:
    """One theme or answer of the session's period; ``LookupError`` when it is not one."""
    _guard(actor)
    period = session_period(session)
    if subject == "theme":
        names = dict(period_themes(period))
        if subject_id not in names:
            raise LookupError(subject_id)
        original, heading = names[subject_id], names[subject_id]
    elif subject == "answer":
        entry = next((a for a in period_entries(period) if a.card_id == subject_id), None)
        if entry is None:
            raise LookupError(subject_id)
        original = answer_wording(entry)
        heading = _("%(service)s, answered %(date)s", service=entry.service,
                    date=f"{entry.answered_at:%-d %B %Y}")
    else:
        raise LookupError(subject)
    verdict = state.verdicts_for([session.id], subject, [subject_id]).get(subject_id)
    return Item(subject, subject_id, original, heading, verdict)


@dataclass(frozen=True)
class VerdictInput:
    verdict: str | None
    wording: str | None
    reason: str | None


def record_verdict(actor, session: PanelSession, item: Item, data: VerdictInput) -> PanelVerdict:
    """Keep (or change) what the panel said of one item; commits."""
    _guard(actor)
    if data.verdict not in VERDICTS:
        raise PanelError(_("Select agreed, changed or disputed"), "verdict")
    wording = reason = None
    if data.verdict == "changed":
        wording = clean_text(
            data.wording, "wording", MAX_WORDING,
            required=_("Enter the young people's wording"),
            too_long=_("The young people's wording must be %(count)s characters or fewer",
                       count=f"{MAX_WORDING:,}"),
            control=_("The young people's wording holds a character that cannot be shown "
                      "(a control character). Type it again rather than pasting it"))
    if data.verdict == "disputed":
        reason = clean_text(
            data.reason, "reason", MAX_WORDING,
            required=_("Enter why the young people disputed it"),
            too_long=_("Their reason must be %(count)s characters or fewer",
                       count=f"{MAX_WORDING:,}"),
            control=_("Their reason holds a character that cannot be shown (a control "
                      "character). Type it again rather than pasting it"))
    row = state.verdicts_for([session.id], item.subject, [item.subject_id]).get(item.subject_id)
    if row is None:
        row = PanelVerdict(session_id=session.id, subject=item.subject,
                           subject_id=item.subject_id)
        db.session.add(row)
    previous = row.verdict
    row.original, row.verdict, row.wording, row.reason = (item.original, data.verdict, wording,
                                                          reason)
    row.recorded_by_id = actor.id
    db.session.flush()
    audit.record("panel_verdict.recorded", actor, row, session_id=session.id,
                 subject=item.subject, subject_id=item.subject_id, verdict=data.verdict,
                 previous=previous)
    db.session.commit()
    return row


def waiver_of(period: Period) -> PanelWaiver | None:
    return db.session.execute(select(PanelWaiver).filter_by(
        period_kind=period.kind, period_start=period.start)).scalar_one_or_none()


def record_waiver(actor, period: Period, reason: str | None, today: date) -> PanelWaiver:
    """A commissioner's record of why no youth panel could check ``period``; commits. A
    second record replaces the reason (the audit log keeps both)."""
    _guard(actor, can_waive_panel)
    if period.start > today:
        raise PanelError(_("This period has not begun yet"), "reason")
    text = clean_text(
        reason, "reason", MAX_REASON,
        required=_("Enter why a youth panel could not check this period"),
        too_long=_("The reason must be %(count)s characters or fewer",
                   count=f"{MAX_REASON:,}"),
        control=_("The reason holds a character that cannot be shown (a control "
                  "character). Type it again rather than pasting it"))
    row = waiver_of(period)
    previous = row.reason if row is not None else None
    if row is None:
        row = PanelWaiver(period_kind=period.kind, period_start=period.start,
                          period_end=period.end)
        db.session.add(row)
    row.reason, row.recorded_by_id = text, actor.id
    db.session.flush()
    audit.record("panel_waiver.recorded", actor, row, period=period.key, reason=text,
                 previous=previous)
    db.session.commit()
    return row
