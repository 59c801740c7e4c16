"""The review pack's shape: frozen dataclasses, the suppression rule, and the
pack's round trip to plain data (a held review's frozen pack, ``contracts.frozen``).

``pack.build_pack`` fills these from the database; the page and every export
render them.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext

from .. import disclosure
from .periods import Period

SMALL_GROUP = disclosure.THRESHOLD
# A count withheld so that a small one cannot be worked out from the totals
# (secondary suppression, ``feedback.disclosure``): carried as this text.
WITHHELD = disclosure.WITHHELD_TEXT


def suppress(n: int) -> int | None:
    """``n`` when it may be shown; ``None`` ("fewer than 10") for 1..9."""
    return None if disclosure.is_small(n, SMALL_GROUP) else n


def shown(n) -> bool:
    """Whether a pack count is a number a reader sees (not small, not withheld)."""
    return isinstance(n, int)


def show(n: int | str | None) -> str:
    if n is None:
        return gettext(disclosure.SMALL_TEXT)
    return n if isinstance(n, str) else f"{n:,}"


@dataclass(frozen=True)
class ServiceVolume:
    service: str
    cards: int | str | None
    feedback: int | str | None


@dataclass(frozen=True)
class Volume:
    cards: int | str | None
    feedback: int | str | None
    total: int | str | None
    previous_total: int | None
    change: str
    by_service: tuple[ServiceVolume, ...] = ()
    # Family feedback split by who collected it: independent voice and the feedback the
    # provider collected itself. ``split`` is False in packs frozen before the split existed.
    independent: int | str | None = None
    collected: int | str | None = None
    split: bool = False
    # False when the platform holds no data for part of the period before
    # (``insight.coverage``): ``change`` then says so instead of giving a change.
    compared: bool = True


@dataclass(frozen=True)
class Ratings:
    average: float | None
    responses: int | None
    previous_average: float | None
    peer_average: float | None
    peer_responses: int | None
    peer_label: str


@dataclass(frozen=True)
class ThemeRow:
    name: str
    count: int | None
    previous: int | None
    change: str
    me_too: int | None
    rising: bool = False
    # "Mostly negative: 7 in 10 negative, ..." (insight.feeling.share_words); None when
    # the theme is not shown or none of its items has a sentiment score.
    feeling: str | None = None
    # The youth panel's view of the theme for the pack's period (``ratification.state``).
    panel: str | None = None
    # As ``Volume.compared``.
    compared: bool = True


@dataclass(frozen=True)
class Sentiment:
    """The period's feeling: shares of the scored items that read positive and negative,
    and ``words`` ("Mostly negative: 6 in 10 negative, ..."). ``average`` is kept only so
    packs frozen before it was dropped still read; it is never shown."""

    scored: int | None
    average: float | None
    positive_share: int | None
    negative_share: int | None
    words: str | None = None
    # Why fewer items are read for feeling than the voices counted ("Feeling is read from 34
    # of the 36 voices: ..."), None when every voice is read (and in packs frozen before).
    unread: str | None = None


@dataclass(frozen=True)
class Quote:
    text: str
    source: str
    service: str


@dataclass(frozen=True)
class KpiRow:
    name: str
    target: str
    unit: str
    direction: str
    value: str | None
    rag: str | None
    rag_label: str
    commentary: str | None


@dataclass(frozen=True)
class Cards:
    open: int | None
    overdue: int | None
    action_planned: int | None


@dataclass(frozen=True)
class ActionRow:
    description: str
    owner: str
    due_date: date | None
    status: str
    status_label: str
    overdue: bool
    cards_linked: int
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class InspectionScoreLine:
    standard: str
    score: int | None  # 1..4 (``models.inspections.SCORES``); None: not looked at
    words: str


@dataclass(frozen=True)
class InspectionSection:
    """One Young Inspectors' report: the group's scores, what was good, its published
    "should change" items (redacted) and the provider's response."""
    service: str
    visit_date: date
    group: str
    inspectors: int
    scores: tuple[InspectionScoreLine, ...]
    good: str
    changes: tuple[str, ...]
    waiting: int  # "should change" items not yet published (moderation or safeguarding)
    response: str | None
    response_on: date | None


@dataclass(frozen=True)
class ReviewPack:
    contract_id: int
    reference: str
    title: str
    provider: str
    services: tuple[str, ...]
    thematic_areas: tuple[str, ...]
    period: Period
    period_label: str
    previous_label: str
    generated_on: date
    volume: Volume
    ratings: Ratings
    themes: tuple[ThemeRow, ...]
    sentiment: Sentiment
    quotes: tuple[Quote, ...]
    kpis: tuple[KpiRow, ...]
    cards: Cards
    previous_actions: tuple[ActionRow, ...]
    actions: tuple[ActionRow, ...]
    discussion_points: tuple[str, ...] = field(default_factory=tuple)
    # Where the KPI values come from: the provider's return for the period (submitted or
    # accepted), or, when it was not submitted, what the review recorded; None in packs
    # frozen before returns existed.
    return_note: str | None = None
    # Whether young people checked the period's themes and answers, in one line.
    panel: str | None = None
    inspections: tuple[InspectionSection, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        """Plain JSON-ready data (dates as ISO text), as a held review's frozen pack."""
        def plain(value):
            if isinstance(value, (date, datetime)):
                return value.isoformat()
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [plain(v) for v in value]
            return value
        return plain(dataclasses.asdict(self))

    @classmethod
    def from_dict(cls, data) -> "ReviewPack":
        """The pack back from ``to_dict`` output, every field checked against its
        type; raises ``ValueError`` naming the first field that does not fit (a
        missing field, a count that is not a number, a date that is not a date).
        Fields added later with a default take it; unknown keys are ignored."""
        return _decode(cls, data, "pack")


def _decode(kind, value, where: str):
    """``value`` (plain JSON data) as an instance of the annotation ``kind``."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        if value is None:
            if type(None) in options:
                return None
            raise ValueError(f"{where} is empty")
        for option in options:
            if option is type(None):
                continue
            try:
                return _decode(option, value, where)
            except ValueError:
                continue
        raise ValueError(f"{where} has the wrong type")
    if origin is tuple:
        if not isinstance(value, list):
            raise ValueError(f"{where} is not a list")
        item = typing.get_args(kind)[0]
        return tuple(_decode(item, v, f"{where}[{i}]") for i, v in enumerate(value))
    if dataclasses.is_dataclass(kind):
        if not isinstance(value, dict):
            raise ValueError(f"{where} is not a record")
        hints = typing.get_type_hints(kind)
        values = {}
        for spec in dataclasses.fields(kind):
            if spec.name in value:
                values[spec.name] = _decode(hints[spec.name], value[spec.name],
                                            f"{where}.{spec.name}")
            elif spec.default is dataclasses.MISSING and \
                    spec.default_factory is dataclasses.MISSING:
                raise ValueError(f"{where}.{spec.name} is missing")
        return kind(**values)
    if kind is date:
        if not isinstance(value, str):
            raise ValueError(f"{where} is not a date")
        return date.fromisoformat(value)  # ValueError when it is not one
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{where} is not a number")
        return value
    if kind in (int, str, bool):
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ValueError(f"{where} is not {kind.__name__}")
        return value
    raise ValueError(f"{where} has a type the pack cannot read")
