"""The contract review pack: a pure assembly of what the platform knows about
one contract in one period, as frozen dataclasses.

``build_pack(contract_id, period, today=...) -> ReviewPack`` reads the
database and never writes; the page, the Word file, the workbook and the
printable page are all rendered from the same ``ReviewPack``.

Suppression: any group of fewer than ``SMALL_GROUP`` (10) items is carried as
``None`` and shown as "fewer than 10", never broken down further (no
sentiment, "me too" weight or change for it) and never stored exactly, so no
export can leak it. Zero is shown as 0 (an empty group identifies nobody).
Where the volume table's totals (all voices = cards + feedback; each of those
= the sum over services) would let a small cell be worked out, another cell
is withheld too (``WITHHELD``, "not shown"), decided by
``feedback.disclosure.protect`` like every other table.
Family feedback is split by who collected it (independent, or collected by the provider
itself and imported: ``FeedbackEntry.collected_by_id``), through the same rule.
Volume counts every item received for the contract's services in the period
(rejected ones excepted), so the meeting sees the real load; theme counts
reuse the insight dashboard's query (published items, people) so the pack and
the dashboard agree theme by theme.
Quotes: redacted text only, approved and not safeguarding-flagged, family
feedback only with quote consent, and none when the period has fewer than 10
items in all. Feeling, and why some voices are not read for it: ``pack_feeling``.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import clock, disclosure
from ..extensions import db
from ..insight import coverage
from ..insight.filters import Filters
from ..insight.continuity import linked_name
from ..insight.queries import theme_summary
from ..insight.quotes import quote_key
from ..models import (ActionCard, Contract, ContractReview, FeedbackEntry,
                      PerformanceReturn, Service)
from ..models.contracts import ACTION_STATUSES, KPI_DIRECTIONS
from ..models.services import THEMATIC_AREAS
from .pack_types import (  # noqa: F401 (ReviewPack, show, suppress are used from here too)
    SMALL_GROUP, WITHHELD, ActionRow, Cards, KpiRow, Quote, Ratings, ReviewPack, Sentiment,
    ServiceVolume, ThemeRow, Volume, show, suppress)
from .pack_feeling import pack_sentiment
from .periods import Period
from .rag import RAG_LABELS, rating
from .units import amount

OVERDUE_AFTER_DAYS = 28  # a card unanswered this long is overdue (the platform's promise)
RISING = 25  # per cent: a theme up this much is a discussion point
RATING_GAP = Decimal("0.3")
MAX_QUOTES = 8


def _bounds(period: Period) -> tuple[datetime, datetime]:
    return period.bounds()


def _change(now: int | str | None, before: int | None) -> str:
    if isinstance(now, str):
        return WITHHELD
    if now is None or before is None:
        if now is not None and before is None:
            return _("up from fewer than 10")
        return _("not shown (fewer than 10)")
    if before == 0:
        return _("new") if now else _("no change")
    pct = round((now - before) * 100 / before)
    return _("no change") if pct == 0 else f"{'+' if pct > 0 else ''}{pct}%"


def change_fraction(now, before) -> float | None:
    """The change from ``before`` to ``now`` as a fraction (+29% is 0.29), for
    a spreadsheet cell; None where ``_change`` gives words instead."""
    if isinstance(now, str) or now is None or not before:
        return None
    return (now - before) / before


def _pct(now: int | None, before: int | None) -> int | None:
    if now is None or not before:
        return None
    return round((now - before) * 100 / before)


def _items(model, service_ids, period: Period):
    start, end = _bounds(period)
    return list(db.session.execute(select(model).where(
        model.service_id.in_(service_ids), model.created_at >= start, model.created_at < end,
        model.moderation_state != "rejected")).scalars())


def _average_rating(service_ids, period: Period) -> tuple[float | None, int]:
    start, end = _bounds(period)
    avg, n = db.session.execute(select(func.avg(FeedbackEntry.rating), func.count()).where(
        FeedbackEntry.service_id.in_(service_ids or [-1]), FeedbackEntry.rating.is_not(None),
        FeedbackEntry.created_at >= start, FeedbackEntry.created_at < end,
        FeedbackEntry.moderation_state != "rejected")).one()
    n = int(n or 0)
    return (round(float(avg), 2) if avg is not None and n >= SMALL_GROUP else None), n


def _filters(service_ids, period: Period) -> Filters:
    # insight.Filters periods are half-open: the day after the period's last day.
    return Filters(start=period.start, end=period.end + timedelta(days=1),
                   service_ids=tuple(service_ids))


def _gap(service_ids, period: Period) -> str | None:
    """"No comparison: we hold no data for part of <the period before>" when the platform
    holds no data for part of it for these services (``insight.coverage``), else None."""
    earlier = period.previous()
    if coverage.fully_held(_filters(service_ids, earlier)):
        return None
    return coverage.no_data_text(earlier.label)


def _themes(service_ids, period: Period, gap: str | None = None) -> list[ThemeRow]:
    """Theme rows from ``insight.queries.theme_summary`` (published items, people
    counted exactly as the insight dashboard counts them), compared with the previous
    period of the same kind (not the dashboard's "same length before"); ``gap``: the
    words said instead of a change when that period is partly without data."""
    from ..ratification.state import pack_view
    now = theme_summary(_filters(service_ids, period))
    before = {r.theme_id: r for r in theme_summary(_filters(service_ids, period.previous()))}
    _view, views = pack_view(period, [r.theme_id for r in now if not r.suppressed])
    rows = []
    for row in now:
        count = None if row.suppressed else row.people
        earlier = before.get(row.theme_id)
        previous = 0 if earlier is None else (None if earlier.suppressed else earlier.people)
        pct = _pct(count, previous)
        rows.append(ThemeRow(
            name=row.name, count=count, previous=previous,
            change=gap if gap and count is not None else _change(count, previous),
            feeling=(row.sentiment_text if count is not None and row.scored else None),
            me_too=suppress(row.me_too) if count is not None else None,
            panel=views.get(row.theme_id) if count is not None else None,
            rising=not gap and count is not None and (
                previous is None or (pct is not None and pct >= RISING)
                or (previous == 0 and count > 0)),
            compared=not gap))
    rows.sort(key=lambda r: (r.count is None, -(r.count or 0), r.name.lower()))
    return rows


def _quotes(cards, entries) -> list[Quote]:
    if len(cards) + len(entries) < SMALL_GROUP:
        return []
    quotes, seen = [], set()  # one text once (``insight.quotes.quote_key``)

    def fresh(text: str) -> bool:
        key = quote_key(text)
        if not key or key in seen:
            return False
        seen.add(key)
        return True
    usable = sorted((c for c in cards if c.is_published and (c.text_redacted or "").strip()),
                    key=lambda c: (-(c.me_too_count or 0), -c.id))
    for card in usable:
        if len(quotes) >= MAX_QUOTES // 2:
            break
        if fresh(card.text_redacted):
            quotes.append(Quote(card.text_redacted.strip(),
                                _("Action card (%(kind)s)", kind=card.kind_label),
                                card.service.name if card.service else ""))
    for entry in sorted(entries, key=lambda e: -e.id):
        if len(quotes) >= MAX_QUOTES:
            break
        if not (entry.is_published and entry.quote_consent):
            continue
        text = (entry.could_be_better_redacted or entry.went_well_redacted or "").strip()
        if text and fresh(text):
            quotes.append(Quote(text, _("Family feedback") if entry.collected_by_id is None
                                else _("Family feedback collected by the provider"),
                                entry.service.name if entry.service else ""))
    return quotes


def _cards_now(service_ids, today: date) -> Cards:
    since = clock.start_of_uk_day(today - timedelta(days=OVERDUE_AFTER_DAYS))
    # Only cards sent by the end of ``today``: a pack built as at an earlier day (the demo's
    # packs, frozen as at their meetings) does not count cards sent after it.
    base = select(func.count()).select_from(ActionCard).where(
        ActionCard.service_id.in_(service_ids), ActionCard.moderation_state != "rejected",
        ActionCard.created_at < clock.start_of_uk_day(today + timedelta(days=1)))
    count = lambda *where: int(db.session.execute(base.where(*where)).scalar_one())  # noqa: E731
    return Cards(
        open=suppress(count(ActionCard.status.in_(("received", "being_looked_at",
                                                    "action_planned")))),
        overdue=suppress(count(ActionCard.status.in_(("received", "being_looked_at")),
                               ActionCard.created_at < since)),
        action_planned=suppress(count(ActionCard.status == "action_planned")))


def action_rows(actions, today: date) -> list[ActionRow]:
    return [ActionRow(a.description, a.owner, a.due_date, a.status,
                      _(ACTION_STATUSES.get(a.status, a.status)),
                      bool(a.due_date and a.due_date < today and a.status in ("open", "in_progress")),
                      len(a.cards), tuple(linked_name(t) for t in a.themes)) for a in actions]


def _provider_return(contract: Contract, period: Period) -> PerformanceReturn | None:
    return db.session.execute(select(PerformanceReturn).filter_by(
        contract_id=contract.id, period_kind=period.kind, period_start=period.start)
    ).scalar_one_or_none()


def _on(moment) -> str:
    day = clock.uk_date_of(moment)
    return f"{day.day} {day:%B %Y}"


def _return_note(found: PerformanceReturn | None) -> str:
    if found is not None and found.status == "accepted":
        return _("KPI values are from the provider's return, submitted on %(day)s and "
                 "accepted.", day=_on(found.submitted_at))
    if found is not None and found.status == "submitted":
        return _("KPI values are from the provider's return, submitted on %(day)s and not "
                 "yet accepted.", day=_on(found.submitted_at))
    if found is not None and found.status == "draft":
        return _("The provider's return for this period was not submitted (a draft was "
                 "started). KPI values are those recorded for the review, if any.")
    if found is not None and found.status == "returned":
        return _("The provider's return for this period was not submitted (it was returned "
                 "for correction). KPI values are those recorded for the review, if any.")
    return _("The provider's return for this period was not submitted. KPI values are those "
             "recorded for the review, if any.")


def _kpis(contract: Contract, review: ContractReview | None,
          found: PerformanceReturn | None = None) -> list[KpiRow]:
    """One row per KPI. The values come from one place: the provider's return when it is
    submitted or accepted (its narrative as commentary), else the review's KPI returns.
    Rated by ``rag.rating`` either way."""
    if found is not None and found.counted:
        returns = {v.kpi_id: v for v in found.values}
        commentary = {v.kpi_id: v.narrative for v in found.values}
    else:
        returns = {r.kpi_id: r for r in (review.kpi_returns if review else [])}
        commentary = {r.kpi_id: r.commentary for r in (review.kpi_returns if review else [])}
    rows = []
    for kpi in contract.kpis:
        ret = returns.get(kpi.id)
        value = ret.value if ret else None
        rag = rating(kpi, ret)
        rows.append(KpiRow(kpi.name, f"{kpi.target.normalize():f}", kpi.unit or "",
                           _(KPI_DIRECTIONS.get(kpi.direction, kpi.direction)),
                           None if value is None else f"{value.normalize():f}", rag,
                           _(RAG_LABELS[rag]), commentary.get(kpi.id)))
    return rows


def _points(volume, ratings, themes, kpis, cards, previous_actions,
            provider_return=None) -> list[str]:
    points = []
    if kpis and (provider_return is None or not provider_return.counted):
        points.append(_("The provider's Performance Monitoring Form return for this period "
                        "was not submitted"))
    for row in themes:
        if row.rising:
            points.append(_("Rising theme: %(theme)s (%(count)s people, %(change)s on the "
                            "previous period)", theme=row.name, count=show(row.count),
                            change=row.change))
    if ratings.average is not None and ratings.previous_average is not None and \
            Decimal(str(ratings.previous_average)) - Decimal(str(ratings.average)) >= RATING_GAP:
        points.append(_("Falling rating: average %(average)s out of 5, down from "
                        "%(previous)s", average=ratings.average,
                        previous=ratings.previous_average))
    if ratings.average is not None and ratings.peer_average is not None and \
            Decimal(str(ratings.peer_average)) - Decimal(str(ratings.average)) >= RATING_GAP:
        points.append(_("Rated below similar services: %(average)s against %(peers)s for "
                        "%(label)s", average=ratings.average, peers=ratings.peer_average,
                        label=ratings.peer_label.lower()))
    overdue = [a for a in previous_actions if a.overdue]
    if overdue:
        points.append(_("Overdue actions from the last review: %(count)s", count=len(overdue)))
    for kpi in kpis:
        if kpi.rag == "red":
            points.append(_("KPI below target: %(name)s (%(value)s against %(target)s)",
                            name=kpi.name, value=amount(kpi.value, kpi.unit),
                            target=amount(kpi.target, kpi.unit)))
    missing = [k.name for k in kpis if k.value is None]
    if missing:
        points.append(_("KPIs not reported: %(names)s", names=", ".join(missing)))
    if cards.overdue != 0:
        points.append(_("Cards waiting more than %(days)s days for an answer: %(count)s",
                        days=OVERDUE_AFTER_DAYS, count=show(cards.overdue)))
    return points


def _volume(services, cards, entries, previous_total: int, gap: str | None = None) -> Volume:
    """Items this period by kind and service, through the one disclosure rule; ``gap`` as
    for ``_themes``."""
    collected = sum(e.collected_by_id is not None for e in entries)
    values = {"cards": len(cards), "feedback": len(entries), "total": len(cards) + len(entries),
              "independent": len(entries) - collected, "collected": collected}
    sums = [("total", ["cards", "feedback"]), ("feedback", ["independent", "collected"])]
    broken_down = values["total"] > 0 and not disclosure.is_small(values["total"], SMALL_GROUP)
    if broken_down:
        for kind, items in (("cards", cards), ("feedback", entries)):
            values.update({(kind, s.id): sum(i.service_id == s.id for i in items)
                           for s in services})
            sums.append((kind, [(kind, s.id) for s in services]))
    protected = disclosure.protect(values, sums, threshold=SMALL_GROUP, keep=["total"])

    def cell(key):
        if key in protected.small:
            return None
        return WITHHELD if key in protected.hidden else values[key]
    by_service = tuple(ServiceVolume(s.name, cell(("cards", s.id)), cell(("feedback", s.id)))
                       for s in services) if broken_down else ()
    total, prev_total = cell("total"), suppress(previous_total)
    change = gap if gap and total is not None else _change(total, prev_total)
    return Volume(cell("cards"), cell("feedback"), total, prev_total, change,
                  by_service, cell("independent"), cell("collected"), True, compared=not gap)


def build_pack(contract_id: int, period: Period, *, today: date) -> ReviewPack:
    contract = db.session.get(Contract, contract_id)
    if contract is None:
        raise LookupError(contract_id)
    services = sorted(contract.services, key=lambda s: s.name)
    service_ids = [s.id for s in services] or [-1]
    previous = period.previous()
    cards, entries = _items(ActionCard, service_ids, period), _items(FeedbackEntry, service_ids,
                                                                      period)
    prev_cards = _items(ActionCard, service_ids, previous)
    prev_entries = _items(FeedbackEntry, service_ids, previous)
    gap = _gap(service_ids, period)
    volume = _volume(services, cards, entries, len(prev_cards) + len(prev_entries), gap)

    areas = sorted({s.thematic_area for s in services})
    peer_ids = list(db.session.execute(select(Service.id).where(
        Service.thematic_area.in_(areas or ["-"]), Service.id.not_in(service_ids))).scalars())
    average, n = _average_rating(service_ids, period)
    # No "falling rating" against a period the platform holds only part of.
    prev_average = None if gap else _average_rating(service_ids, previous)[0]
    peer_average, peer_n = _average_rating(peer_ids, period)
    area_labels = tuple(THEMATIC_AREAS.get(a, a) for a in areas)
    ratings = Ratings(average, suppress(n), prev_average, peer_average, suppress(peer_n),
                      _("Other services in %(areas)s",
                        areas=", ".join(area_labels) or _("the same area")))

    review = db.session.execute(select(ContractReview).filter_by(
        contract_id=contract_id, period_kind=period.kind, period_start=period.start)
    ).scalar_one_or_none()
    last = db.session.execute(select(ContractReview).where(
        ContractReview.contract_id == contract_id, ContractReview.period_start < period.start,
        ContractReview.status != "draft").order_by(ContractReview.period_start.desc()).limit(1)
    ).scalar_one_or_none()
    themes = _themes(service_ids, period, gap)
    provider_return = _provider_return(contract, period)
    kpis = _kpis(contract, review, provider_return)
    open_cards = _cards_now(service_ids, today)
    previous_actions = action_rows(last.actions if last else [], today)
    return ReviewPack(
        contract_id=contract.id, reference=contract.reference, title=contract.title,
        provider=contract.provider.name if contract.provider else "",
        services=tuple(s.name for s in services), thematic_areas=area_labels,
        period=period, period_label=period.label, previous_label=previous.label,
        generated_on=today, volume=volume, ratings=ratings, themes=tuple(themes),
        sentiment=pack_sentiment(cards + entries, volume.total), quotes=tuple(_quotes(cards, entries)),
        kpis=tuple(kpis), cards=open_cards, previous_actions=tuple(previous_actions),
        actions=tuple(action_rows(review.actions if review else [], today)),
        discussion_points=tuple(_points(volume, ratings, themes, kpis, open_cards,
                                        previous_actions, provider_return)),
        return_note=_return_note(provider_return),
        panel=_panel_line(period),
        inspections=tuple(_inspections(service_ids, period)))


def _panel_line(period: Period) -> str:
    from ..ratification.state import pack_view
    return pack_view(period, [])[0]


def _inspections(service_ids, period: Period):
    """A section per Young Inspectors' report on the contract's services visited in the
    period (``inspections.sections.section_of``)."""
    from ..inspections.sections import sections_in
    return sections_in(service_ids, period.start, period.end)
