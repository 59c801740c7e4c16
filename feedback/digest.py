"""The daily digest: one email a day, at most, to each member of staff, of what waits for them.

``send_digests(today, config)`` (``flask digest send``, cron-able, or the job
``send_daily_digests_job``) goes through every active person who has not turned the
digest off (``User.digest_enabled``) and was not sent one on ``today`` (a UK date,
``User.digest_sent_on``): a second run the same day sends nothing again. A person with
nothing waiting gets no email. What a digest holds, by role (``sections``):

- commissioners: cards and feedback published about their services on the days since their
  last digest (the services of the contracts they manage; all services when they manage
  none), providers' completed actions waiting for their acceptance, and reviews due or
  overdue on contracts they manage;
- moderators: cards and feedback, and providers' replies, waiting for moderation;
- providers: their organisation's reviews due or overdue and agreed actions due within
  14 days or overdue;
- Performance Monitoring Form returns (``returns_due``): a provider's own overdue or due within
  14 days; a contract manager's overdue and submitted ones waiting for a decision.

A digest carries counts and links only: never a child's words, never a receipt code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Mapping

from flask_babel import gettext as _, ngettext
from sqlalchemy import func, or_, select

from . import audit, clock, messages
from .extensions import db
from .i18n import N_
from .models import (ActionCard, Contract, ContractReview, FeedbackEntry, ReviewAction, User,
                     contract_service)
from .permissions import Role

ACTIONS_DUE_DAYS = 14
RETURNS_DUE_DAYS = 14  # a return due within this many days is listed before it is late
REVIEWS_DUE_DAYS = 30


@dataclass
class DigestReport:
    sent: int = 0
    empty: int = 0
    already: int = 0
    failed: int = 0
    logged: int = 0
    people: list = field(default_factory=list)  # ids of the people sent (or logged) one


def window(user: User, today: date):
    """The UTC instants bounding "since your last digest": from the start of the UK day of
    the last digest (yesterday when there was none, at most a week back) to the start of
    today, so each day is counted in exactly one digest."""
    first = user.digest_sent_on or today - timedelta(days=1)
    first = max(first, today - timedelta(days=7))
    return clock.start_of_uk_day(first), clock.start_of_uk_day(today)


def _managed_service_ids(user: User) -> list[int] | None:
    ids = list(db.session.execute(select(contract_service.c.service_id).join(
        Contract, Contract.id == contract_service.c.contract_id).where(
        Contract.contract_manager_id == user.id).distinct()).scalars())
    return ids or None


def _published_since(model, start, end, service_ids) -> int:
    query = select(func.count()).select_from(model).where(
        model.is_published, model.moderated_at >= start, model.moderated_at < end)
    if service_ids is not None:
        query = query.where(model.service_id.in_(service_ids))
    return db.session.execute(query).scalar_one()


def commissioner_lines(user: User, today: date, config: Mapping) -> list[str]:
    start, end = window(user, today)
    services = _managed_service_ids(user)
    lines = []
    cards = _published_since(ActionCard, start, end, services)
    entries = _published_since(FeedbackEntry, start, end, services)
    if cards or entries:
        cards_text = ngettext("%(n)s action card", "%(n)s action cards", cards,
                              n=format(cards, ","))
        entries_text = ngettext("%(n)s feedback entry", "%(n)s feedback entries", entries,
                                n=format(entries, ","))
        link = messages.link("/insight", config)
        if services is not None:
            lines.append(_("%(cards)s and %(entries)s published about your contracts' services: "
                           "%(link)s", cards=cards_text, entries=entries_text, link=link))
        else:
            lines.append(_("%(cards)s and %(entries)s published about all services: %(link)s",
                           cards=cards_text, entries=entries_text, link=link))
    claimed = db.session.execute(
        select(func.count()).select_from(ReviewAction).join(ContractReview).join(Contract)
        .where(ReviewAction.completion_claimed_at.is_not(None),
               or_(Contract.contract_manager_id == user.id,
                   Contract.contract_manager_id.is_(None)))).scalar_one()
    if claimed:
        lines.append(ngettext("%(n)s action a provider says is completed, waiting for you to "
                              "accept: %(link)s",
                              "%(n)s actions a provider says is completed, waiting for you to "
                              "accept: %(link)s", claimed, n=format(claimed, ","),
                              link=messages.link("/contracts", config)))
    due = db.session.execute(select(func.count()).select_from(Contract).where(
        Contract.contract_manager_id == user.id, Contract.end_date >= today,
        Contract.next_review_date <= today + timedelta(days=REVIEWS_DUE_DAYS))).scalar_one()
    if due:
        lines.append(ngettext("%(n)s contract review due in the next %(days)s days or overdue "
                              "on contracts you manage: %(link)s",
                              "%(n)s contract reviews due in the next %(days)s days or overdue "
                              "on contracts you manage: %(link)s", due, n=format(due, ","),
                              days=REVIEWS_DUE_DAYS, link=messages.link("/contracts", config)))
    return lines


def moderator_lines(user: User, today: date, config: Mapping) -> list[str]:
    from .moderation import replies
    from .moderation.services import moderation_queue

    lines = []
    waiting = moderation_queue(user, page=1, per_page=1).total
    if waiting:
        lines.append(ngettext("%(n)s card or feedback entry waiting for moderation: %(link)s",
                              "%(n)s cards and feedback entries waiting for moderation: %(link)s",
                              waiting, n=format(waiting, ","),
                              link=messages.link("/moderation", config)))
    pending = replies.pending_count()
    if pending:
        lines.append(ngettext("%(n)s provider reply waiting for moderation: %(link)s",
                              "%(n)s provider replies waiting for moderation: %(link)s",
                              pending, n=format(pending, ","),
                              link=messages.link("/moderation/replies", config)))
    return lines


def returns_due(user: User, today: date, config: Mapping) -> list[str]:
    """Performance Monitoring Form returns for ``user``: a provider's own that are overdue or
    due within ``RETURNS_DUE_DAYS``; a contract manager's contracts' returns overdue and those
    submitted and waiting for a decision. Counts and a link only."""
    from .returns import due as returns

    working_days, region = returns.working_days_of(config), returns.bank_holidays_of(config)
    if user.has_role(Role.PROVIDER):
        rows = returns.for_provider(user, today, working_days, region)
    else:
        managed = {c.id for c in db.session.execute(select(Contract).where(
            Contract.contract_manager_id == user.id)).scalars()}
        rows = [r for r in returns.for_commissioner(today, working_days, region)
                if r.contract.id in managed]
    late = sum(1 for r in rows if r.overdue)
    soon = sum(1 for r in rows if not r.overdue and r.status in ("not_started", "draft", "returned")
               and r.due_date <= today + timedelta(days=RETURNS_DUE_DAYS))
    waiting = sum(1 for r in rows if r.status == "submitted") if not user.has_role(Role.PROVIDER) \
        else 0
    link = messages.link("/returns", config)
    lines = []
    if late:
        lines.append(ngettext("%(n)s return overdue: %(link)s", "%(n)s returns overdue: %(link)s",
                              late, n=format(late, ","), link=link))
    if soon:
        lines.append(ngettext("%(n)s return due in the next %(days)s days: %(link)s",
                              "%(n)s returns due in the next %(days)s days: %(link)s",
                              soon, n=format(soon, ","), days=RETURNS_DUE_DAYS, link=link))
    if waiting:
        lines.append(ngettext("%(n)s return submitted and waiting for your decision: %(link)s",
                              "%(n)s returns submitted and waiting for your decision: %(link)s",
                              waiting, n=format(waiting, ","), link=link))
    return lines


def provider_lines(user: User, today: date, config: Mapping) -> list[str]:
    if user.organisation_id is None:
        return []
    lines = []
    reviews = db.session.execute(select(func.count()).select_from(Contract).where(
        Contract.provider_id == user.organisation_id, Contract.end_date >= today,
        Contract.next_review_date <= today + timedelta(days=REVIEWS_DUE_DAYS))).scalar_one()
    if reviews:
        lines.append(ngettext("%(n)s contract review due in the next %(days)s days or "
                              "overdue: %(link)s",
                              "%(n)s contract reviews due in the next %(days)s days or "
                              "overdue: %(link)s", reviews, n=format(reviews, ","),
                              days=REVIEWS_DUE_DAYS, link=messages.link("/provider", config)))
    actions = db.session.execute(
        select(func.count()).select_from(ReviewAction).join(ContractReview).join(Contract)
        .where(Contract.provider_id == user.organisation_id,
               ReviewAction.status.in_(("open", "in_progress")),
               ReviewAction.completion_claimed_at.is_(None),
               ReviewAction.due_date <= today + timedelta(days=ACTIONS_DUE_DAYS))).scalar_one()
    if actions:
        lines.append(ngettext("%(n)s agreed action due in the next %(days)s days or overdue: "
                              "%(link)s",
                              "%(n)s agreed actions due in the next %(days)s days or overdue: "
                              "%(link)s", actions, n=format(actions, ","),
                              days=ACTIONS_DUE_DAYS, link=messages.link("/provider", config)))
    return lines


# Which sections each role reads, in the order the email lists them.
SECTIONS = (
    (Role.COMMISSIONER, N_("For commissioners"), commissioner_lines),
    (Role.MODERATOR, N_("For moderators"), moderator_lines),
    (Role.PROVIDER, N_("For your organisation"), provider_lines),
    ((Role.PROVIDER, Role.COMMISSIONER), N_("Performance Monitoring Form returns"), returns_due),
)


def sections(user: User, today: date, config: Mapping) -> list[tuple[str, list[str]]]:
    out = []
    for roles, title, lines_of in SECTIONS:
        roles = roles if isinstance(roles, tuple) else (roles,)
        if user.has_role(*roles):
            lines = lines_of(user, today, config)
            if lines:
                out.append((_(title), lines))
    return out


def compose(user: User, today: date, config: Mapping) -> messages.Message | None:
    """The digest for ``user`` on ``today``, or None when nothing waits for them."""
    found = sections(user, today, config)
    if not found:
        return None
    service = config.get("SERVICE_NAME") or "Your Voice"
    parts = [_("Hello %(name)s,", name=user.name), "",
             _("This is what waits for you on %(service)s.", service=service)]
    for title, lines in found:
        parts += ["", title, *[f"- {line}" for line in lines]]
    parts += ["", _("You get this email at most once a day, only when something waits for you. "
                    "To stop it, turn it off on your account page: %(link)s",
                    link=messages.link("/account", config))]
    return messages.Message(to=(user.email,),
                            subject=_("What waits for you on %(service)s", service=service),
                            body="\n".join(parts) + "\n", kind="digest",
                            personalisation={"name": user.name, "service": service,
                                             "sections": "\n".join(
                                                 t + ": " + "; ".join(ls) for t, ls in found)})


def send_digests(config: Mapping, today: date | None = None) -> DigestReport:
    """Send today's digests (idempotent for the day); commits per person."""
    today = today or clock.today()
    report = DigestReport()
    people = list(db.session.execute(select(User).where(
        User.active.is_(True), User.digest_enabled.is_(True)).order_by(User.id)).scalars())
    for user in people:
        if user.digest_sent_on is not None and user.digest_sent_on >= today:
            report.already += 1
            continue
        message = compose(user, today, config)
        if message is None:
            report.empty += 1
            continue
        result = messages.send(message, config)
        if result == messages.FAILED:
            report.failed += 1  # not marked: the next run tries again
            continue
        user.digest_sent_on = today
        audit.record("digest.sent", None, user, delivery=result, day=today.isoformat())
        db.session.commit()
        report.people.append(user.id)
        if result == messages.LOGGED:
            report.logged += 1
        else:
            report.sent += 1
    return report


def set_enabled(user: User, enabled: bool) -> None:
    """Turn the person's digest on or off; audited; commits."""
    user.digest_enabled = bool(enabled)
    audit.record("account.digest_" + ("on" if enabled else "off"), user, user)
    db.session.commit()


def send_daily_digests_job() -> dict:
    """The background job (RQ: ``feedback.digest.send_daily_digests_job``, or any scheduler)
    doing what ``flask digest send`` does; returns the counts. Idempotent for the day. (It
    lives here, not in ``tasks``, which the moderation services import.)"""
    from flask import current_app, has_app_context

    def run(app) -> dict:
        report = send_digests(app.config)
        return {"sent": report.sent, "logged": report.logged, "empty": report.empty,
                "already": report.already, "failed": report.failed}

    if has_app_context():
        return run(current_app)
    from . import create_app

    app = create_app()
    with app.app_context():
        try:
            return run(app)
        finally:
            db.session.remove()
