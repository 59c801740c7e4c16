"""The review pack's shape: frozen dataclasses, the suppression rule, and the
pack's round trip to plain data (kept on a held review as its snapshot).

``pack.build_pack`` fills these from the database; the page and every export
render them.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

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
        return disclosure.SMALL_TEXT
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
    sentiment: float | None
    me_too: int | None
    rising: bool = False


@dataclass(frozen=True)
class Sentiment:
    scored: int | None
    average: float | None
    positive_share: int | None
    negative_share: int | None


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

    def to_dict(self) -> dict:
        """Plain JSON-ready data (dates as ISO text), for the review's snapshot."""
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
    def from_dict(cls, data: dict) -> "ReviewPack":
        """The pack back from ``to_dict`` output; raises ``ValueError`` when the
        stored shape no longer fits (the caller then builds a fresh pack)."""
        def day(text):
            return date.fromisoformat(text) if text else None
        try:
            period = Period(data["period"]["kind"], day(data["period"]["start"]),
                            day(data["period"]["end"]))
            volume = dict(data["volume"])
            volume["by_service"] = tuple(ServiceVolume(**row) for row in volume["by_service"])

            def actions(rows):
                return tuple(ActionRow(**{**row, "due_date": day(row["due_date"]),
                                          "themes": tuple(row["themes"])}) for row in rows)
            return cls(**{
                **data, "period": period, "generated_on": day(data["generated_on"]),
                "services": tuple(data["services"]),
                "thematic_areas": tuple(data["thematic_areas"]), "volume": Volume(**volume),
                "ratings": Ratings(**data["ratings"]),
                "themes": tuple(ThemeRow(**row) for row in data["themes"]),
                "sentiment": Sentiment(**data["sentiment"]),
                "quotes": tuple(Quote(**row) for row in data["quotes"]),
                "kpis": tuple(KpiRow(**row) for row in data["kpis"]),
                "cards": Cards(**data["cards"]),
                "previous_actions": actions(data["previous_actions"]),
                "actions": actions(data["actions"]),
                "discussion_points": tuple(data["discussion_points"])})
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError("the stored pack does not fit this version") from exc
