"""Whether young people have checked a period: the one home of the rule.

A period is a contract period (``contracts.periods.Period``: a calendar quarter or a
financial year). A youth panel session recorded for a period has *seen* it; a
commissioner's recorded reason (``PanelWaiver``) says why no panel could. Either
*clears* the period. Nothing else depends on it, except two states:

- **public**: an answer is public when it is listed on "you said, we did" (and in the open
  data API's ``answers`` table, which runs the same query): a published action card
  whose status is Done or Not possible. The theme named beside it is public with it.
  An answer belongs to the UK day it was given (``status_changed_at``). From the first
  period anyone cleared (``checks_start``) on, an answer is public only when it falls in
  a cleared stretch: up to the end of the day of a session for its period (answers given
  after the panel met wait for the next one), or anywhere in a period with a recorded
  reason. Answers given before ``checks_start`` are public as they always were.
- **final**: a contract review's pack is final when the meeting is recorded: the pack is
  frozen then (``contracts.frozen``). From ``checks_start`` on, recording the meeting
  first needs the review's period cleared (``final_allowed``).

A financial year is cleared by a session or reason for the year, or when each of its
quarters is; a quarter by its own, or its year's. Reads only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext
from sqlalchemy import and_, false, or_, select

from .. import clock
from ..contracts.periods import Period, period_containing
from ..extensions import db
from ..i18n import N_
from ..models import PanelSession, PanelVerdict, PanelWaiver

NOT_YET = N_("Not yet checked by young people")
NO_PANEL = N_("Published without a youth panel\u2019s check")


def checked_on_text(day: date) -> str:
    """In the language of the page that shows it (the public page follows the choice; staff
    pages and packs are English)."""
    from ..templating import uk_date
    return gettext("Checked by young people on %(day)s", day=uk_date(day))


@dataclass(frozen=True)
class Clearance:
    """What is known of one period: its sessions (newest first) and the reason recorded
    when no panel could check it."""

    period: Period
    sessions: tuple = ()
    waiver: PanelWaiver | None = None
    before_checks: bool = False  # the period starts before anyone cleared any period

    @property
    def cleared(self) -> bool:
        return bool(self.sessions or self.waiver)

    @property
    def status(self) -> str:
        """checked | waived | not_yet | before"""
        if self.sessions:
            return "checked"
        if self.waiver is not None:
            return "waived"
        return "before" if self.before_checks else "not_yet"

    @property
    def checked_on(self) -> date | None:
        return self.sessions[0].held_on if self.sessions else None

    @property
    def text(self) -> str:
        if self.sessions:
            return checked_on_text(self.checked_on)
        if self.waiver is not None:
            return gettext(NO_PANEL)
        if self.before_checks:
            return gettext("Before youth panels checked answers")
        return gettext(NOT_YET)


def checks_start() -> date | None:
    """The first day of the earliest period anyone cleared: checks apply from there on."""
    starts = [db.session.execute(select(db.func.min(model.period_start))).scalar_one_or_none()
              for model in (PanelSession, PanelWaiver)]
    starts = [s for s in starts if s is not None]
    return min(starts) if starts else None


def _sessions_for(period: Period) -> list[PanelSession]:
    return list(db.session.execute(
        select(PanelSession).where(PanelSession.period_kind == period.kind,
                                   PanelSession.period_start == period.start)
        .order_by(PanelSession.held_on.desc(), PanelSession.id.desc())).scalars())


def _waiver_for(period: Period) -> PanelWaiver | None:
    return db.session.execute(select(PanelWaiver).filter_by(
        period_kind=period.kind, period_start=period.start)).scalar_one_or_none()


def _quarters_of(year: Period) -> list[Period]:
    quarters, day = [], year.start
    while day <= year.end:
        quarter = period_containing("quarter", day)
        quarters.append(quarter)
        day = quarter.end + timedelta(days=1)
    return quarters


def clearance(period: Period, start: date | None = ...) -> Clearance:
    """The period's own sessions and reason; a quarter takes its year's when it has none,
    and a year counts as checked (on its last quarter's date) when every quarter is."""
    start = checks_start() if start is ... else start
    before = start is None or period.end < start
    sessions, waiver = _sessions_for(period), _waiver_for(period)
    if not sessions and waiver is None:
        if period.kind == "quarter":
            year = period_containing("year", period.start)
            sessions, waiver = _sessions_for(year), _waiver_for(year)
        else:
            parts = [clearance(q, start) for q in _quarters_of(period)]
            if any(p.cleared for p in parts) and all(p.cleared or p.before_checks
                                                     for p in parts):
                sessions = tuple(s for p in sorted(parts, key=lambda p: p.period.start,
                                                   reverse=True) for s in p.sessions)
                waiver = next((p.waiver for p in parts if p.waiver is not None), None)
    return Clearance(period, tuple(sessions), waiver, before)


def final_allowed(period: Period) -> bool:
    """Whether a review of ``period`` may be recorded as held (its pack frozen, final)."""
    return clearance(period).status != "not_yet"


def final_refusal(period: Period) -> str:
    return (f"Young people have not checked the themes and answers of {period.label} yet. "
            "Record the youth panel\u2019s session, or ask a commissioner to record why a "
            "panel could not happen, before you record the meeting")


@dataclass(frozen=True)
class Stretch:
    """A span of time whose answers young people checked (or a commissioner published
    without a panel): [start, end)."""

    start: datetime
    end: datetime
    session: PanelSession | None
    waiver: PanelWaiver | None

    @property
    def text(self) -> str:
        return checked_on_text(self.session.held_on) if self.session is not None else gettext(NO_PANEL)


@dataclass(frozen=True)
class PublicGate:
    """Which answers may be public: those before ``start`` and those inside a stretch."""

    start: datetime | None
    stretches: tuple[Stretch, ...] = field(default_factory=tuple)

    def condition(self, moment):
        """A SQL condition on the instant an answer was given (None: everything is public)."""
        if self.start is None:
            return None
        parts = [moment < self.start]
        parts += [and_(moment >= s.start, moment < s.end) for s in self.stretches]
        return or_(*parts) if parts else false()

    def stretch_of(self, moment: datetime) -> Stretch | None:
        """The stretch an answer given at ``moment`` falls in (a session before a reason)."""
        found = [s for s in self.stretches if s.start <= moment < s.end]
        found.sort(key=lambda s: (s.session is None, -(s.session.id if s.session else 0)))
        return found[0] if found else None


def public_gate() -> PublicGate:
    start = checks_start()
    if start is None:
        return PublicGate(None)
    stretches = []
    for session in db.session.execute(select(PanelSession)).scalars():
        period = Period(session.period_kind, session.period_start, session.period_end)
        begin, end = period.bounds()
        seen_until = clock.start_of_uk_day(session.held_on + timedelta(days=1))
        stretches.append(Stretch(begin, min(end, seen_until), session, None))
    for waiver in db.session.execute(select(PanelWaiver)).scalars():
        begin, end = Period(waiver.period_kind, waiver.period_start, waiver.period_end).bounds()
        stretches.append(Stretch(begin, end, None, waiver))
    return PublicGate(clock.start_of_uk_day(start), tuple(stretches))


def verdicts_for(session_ids, subject: str, subject_ids) -> dict[int, PanelVerdict]:
    """The latest verdict on each subject id among the given sessions."""
    session_ids, subject_ids = list(session_ids), list(subject_ids)
    if not session_ids or not subject_ids:
        return {}
    rows = db.session.execute(
        select(PanelVerdict).join(PanelSession)
        .where(PanelVerdict.session_id.in_(session_ids), PanelVerdict.subject == subject,
               PanelVerdict.subject_id.in_(subject_ids))
        .order_by(PanelSession.held_on, PanelSession.id)).scalars()
    return {row.subject_id: row for row in rows}


def verdict_text(verdict: PanelVerdict | None, checked: bool) -> str:
    """The panel's view of one theme, as a pack shows it beside the theme."""
    if verdict is None:
        return gettext("Not discussed by the youth panel") if checked else gettext(NOT_YET)
    if verdict.verdict == "agreed":
        return "Young people agreed"
    if verdict.verdict == "changed":
        return f"Young people would put it as: \u201c{verdict.wording}\u201d"
    return f"Young people disputed this: {verdict.reason}"


def pack_view(period: Period, theme_ids) -> tuple[str, dict[int, str]]:
    """(the panel's line for a pack of ``period``, theme id -> the panel's view)."""
    found = clearance(period)
    sessions = list(found.sessions)
    if period.kind == "year":
        start, end = period.start, period.end
        sessions += list(db.session.execute(select(PanelSession).where(
            PanelSession.period_start >= start, PanelSession.period_start <= end,
            PanelSession.id.not_in([s.id for s in sessions] or [-1]))).scalars())
    if found.status == "checked":
        latest = found.sessions[0]
        line = (f"{checked_on_text(latest.held_on)} ({latest.group_name}, "
                f"{latest.young_people} young {'person' if latest.young_people == 1 else 'people'})")
    elif found.status == "waived":
        line = f"{NO_PANEL}. The reason recorded: {found.waiver.reason}"
    else:
        line = NOT_YET if found.status == "not_yet" else found.text
    verdicts = verdicts_for([s.id for s in sessions], "theme", theme_ids)
    checked = found.status == "checked"
    views = {theme_id: verdict_text(verdicts.get(theme_id), checked) for theme_id in theme_ids
             if checked or found.status == "not_yet"}
    return line, views


def recent_checks(today: date, quarters: int = 4) -> list[Clearance]:
    """The quarters from the one running ``today`` back (``quarters`` of them, none before
    ``checks_start``), for the public page's line per period; empty before any checks."""
    start = checks_start()
    if start is None:
        return []
    found, period = [], period_containing("quarter", today)
    while len(found) < quarters and period.end >= start:
        found.append(clearance(period, start))
        period = period.previous()
    return found
