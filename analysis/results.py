"""Frozen result types returned by the analysis package, and their JSON form.

All fields are plain Python data (str, int, float, bool, tuples, dicts), so a result can be
stored as JSON by the caller and, for theme runs, handed back later as ``previous``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

FORMAT_VERSION = 2  # 2: sub-themes, theme centres, item ``subtheme``


@dataclass(frozen=True)
class SubTheme:
    """A finer group inside a theme: ``id`` is "<theme id>.<n>"; ``label``, ``keywords``,
    ``quotes`` and ``sentiment`` as for a theme; ``centre`` is the group's centre in the text
    vector space (compact base64 text, see ``stability.encode_centre``), kept for the next run."""

    id: str
    label: str
    keywords: tuple[str, ...]
    size: int
    sentiment: float
    quotes: tuple[str, ...]
    centre: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "keywords": list(self.keywords),
                "size": self.size, "sentiment": self.sentiment, "quotes": list(self.quotes),
                "centre": self.centre}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "SubTheme":
        return cls(id=str(data["id"]), label=str(data.get("label") or ""),
                   keywords=tuple(data.get("keywords") or ()), size=int(data.get("size") or 0),
                   sentiment=float(data.get("sentiment") or 0.0),
                   quotes=tuple(data.get("quotes") or ()), centre=str(data.get("centre") or ""))


@dataclass(frozen=True)
class Theme:
    """One theme of a run.

    ``id`` is stable across runs when ``previous`` is given; ``label`` is generated from the
    distinctive words; ``name`` is the curated name carried over from a previous run (or None);
    ``keywords`` are readable distinctive words and phrases, best first; ``terms`` are the
    weighted internal terms used to match themes between runs; ``size`` counts items;
    ``sentiment`` is the mean VADER compound score (-1..1) of its items; ``quotes`` are
    representative original texts; ``emerging`` is True when a previous run was given and no
    previous theme matched; ``previous_size``/``change`` report growth (``change`` is the change
    in the theme's share of all items, in percentage points) when it matched one.
    """

    id: str
    label: str
    keywords: tuple[str, ...]
    size: int
    sentiment: float
    quotes: tuple[str, ...]
    emerging: bool = False
    name: str | None = None
    previous_size: int | None = None
    change: float | None = None
    terms: tuple[tuple[str, float], ...] = ()
    subthemes: tuple[SubTheme, ...] = ()
    centre: str = ""

    @property
    def display_name(self) -> str:
        """The curated name when there is one, else the generated label."""
        return self.name or self.label

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "name": self.name,
                "keywords": list(self.keywords), "size": self.size,
                "sentiment": self.sentiment, "quotes": list(self.quotes),
                "emerging": self.emerging, "previous_size": self.previous_size,
                "change": self.change, "terms": [[t, w] for t, w in self.terms],
                "subthemes": [s.to_json() for s in self.subthemes], "centre": self.centre}


@dataclass(frozen=True)
class ThemedItem:
    """One input text: ``row`` is its 0-based position in the input, ``id`` the caller's id
    (or None), ``theme`` a theme id or None for "other", ``confidence`` 0..1 (cosine
    similarity to the theme's centre, 0 for "other" blanks), ``sentiment`` -1..1,
    ``subtheme`` a sub-theme id of its theme or None (no sub-themes, or "other")."""

    row: int
    id: str | None
    theme: str | None
    confidence: float
    sentiment: float
    subtheme: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "id": self.id, "theme": self.theme, "subtheme": self.subtheme,
                "confidence": self.confidence, "sentiment": self.sentiment}


@dataclass(frozen=True)
class PreviousTheme:
    """What a later run needs to know about a theme of an earlier run (plain data)."""

    id: str
    label: str
    name: str | None = None
    keywords: tuple[str, ...] = ()
    terms: tuple[tuple[str, float], ...] = ()
    size: int = 0
    share: float = 0.0
    centre: str = ""
    subthemes: tuple[SubTheme, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any], n_items: int | None = None) -> "PreviousTheme":
        size = int(data.get("size") or 0)
        share = data.get("share")
        if share is None:
            share = size / n_items if n_items else 0.0
        terms = tuple((str(t), float(w)) for t, w in (data.get("terms") or ()))
        keywords = tuple(str(k) for k in (data.get("keywords") or ()))
        subs = tuple(SubTheme.from_json(x) for x in (data.get("subthemes") or ())
                     if isinstance(x, Mapping) and "id" in x)
        return cls(id=str(data["id"]), label=str(data.get("label") or ""),
                   name=data.get("name"), keywords=keywords, terms=terms,
                   size=size, share=float(share), centre=str(data.get("centre") or ""),
                   subthemes=subs)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "name": self.name,
                "keywords": list(self.keywords), "terms": [[t, w] for t, w in self.terms],
                "size": self.size, "share": self.share, "centre": self.centre,
                "subthemes": [{"id": s.id, "label": s.label, "size": s.size, "centre": s.centre}
                              for s in self.subthemes]}


@dataclass(frozen=True)
class ThemeResult:
    """The outcome of ``find_themes``: themes (largest first), one item per input text in
    input order, the parameters used, the seconds taken, and the ids of previous themes
    that found no match this time (``retired``)."""

    themes: tuple[Theme, ...]
    items: tuple[ThemedItem, ...]
    params: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    retired: tuple[str, ...] = ()

    @property
    def n_items(self) -> int:
        return len(self.items)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON form (see docs/analysis.md)."""
        run = dict(self.params, seconds=round(self.seconds, 3), n_items=self.n_items,
                   retired=list(self.retired), format=FORMAT_VERSION)
        return {"run": run, "themes": [t.to_json() for t in self.themes],
                "items": [i.to_json() for i in self.items]}

    def to_previous(self) -> list[dict[str, Any]]:
        """Plain data to pass as ``previous=`` to the next run, so ids and names persist.
        Edit the ``name`` of an entry to record a curated theme name."""
        n = self.n_items or 1
        return [PreviousTheme(t.id, t.label, t.name, t.keywords, t.terms, t.size,
                              t.size / n, t.centre, t.subthemes).to_json() for t in self.themes]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ThemeResult":
        """Rebuild a result from ``to_json()`` output (for example a stored run)."""
        themes = tuple(Theme(id=str(t["id"]), label=t.get("label", ""),
                             keywords=tuple(t.get("keywords") or ()), size=int(t.get("size", 0)),
                             sentiment=float(t.get("sentiment") or 0.0),
                             quotes=tuple(t.get("quotes") or ()), emerging=bool(t.get("emerging")),
                             name=t.get("name"), previous_size=t.get("previous_size"),
                             change=t.get("change"),
                             terms=tuple((str(a), float(b)) for a, b in (t.get("terms") or ())),
                             subthemes=tuple(SubTheme.from_json(x) for x in t.get("subthemes") or ()),
                             centre=str(t.get("centre") or ""))
                       for t in data.get("themes", ()))
        items = tuple(ThemedItem(int(i["row"]), i.get("id"), i.get("theme"),
                                 float(i.get("confidence") or 0.0), float(i.get("sentiment") or 0.0),
                                 i.get("subtheme"))
                      for i in data.get("items", ()))
        run = dict(data.get("run") or {})
        seconds = float(run.pop("seconds", 0.0) or 0.0)
        retired = tuple(run.pop("retired", ()) or ())
        run.pop("n_items", None)
        run.pop("format", None)
        return cls(themes, items, run, seconds, retired)


def previous_items(previous: Any) -> dict[str, str]:
    """The caller's item id -> theme id of a previous run, when it carries its items (a
    ``ThemeResult`` or its ``to_json()`` dict); empty otherwise."""
    if isinstance(previous, ThemeResult):
        return {i.id: i.theme for i in previous.items if i.id is not None and i.theme is not None}
    if isinstance(previous, Mapping):
        out = {}
        for i in previous.get("items") or ():
            if isinstance(i, Mapping) and i.get("id") is not None and i.get("theme") is not None:
                out[str(i["id"])] = str(i["theme"])
        return out
    return {}


def previous_themes(previous: Any) -> list[PreviousTheme]:
    """Accept a previous run in any plain form: a ``ThemeResult``, its ``to_json()`` dict,
    its ``to_previous()`` list, or a list of ``PreviousTheme``; return ``PreviousTheme``s."""
    if previous is None:
        return []
    if isinstance(previous, ThemeResult):
        return [PreviousTheme.from_json(p) for p in previous.to_previous()]
    n_items = None
    if isinstance(previous, Mapping):
        n_items = (previous.get("run") or {}).get("n_items") or len(previous.get("items") or ())
        previous = previous.get("themes") or []
    out = []
    for p in previous:
        out.append(p if isinstance(p, PreviousTheme) else PreviousTheme.from_json(p, n_items))
    return out


@dataclass(frozen=True)
class Classification:
    """The classifier's answer for one text: ``labels`` are the accepted labels, best first
    (empty when the text is "unthemed", i.e. no label reached its threshold); ``scores`` holds
    a calibrated probability-like score 0..1 for every known label."""

    labels: tuple[str, ...]
    scores: dict[str, float]

    @property
    def unthemed(self) -> bool:
        return not self.labels

    @property
    def label(self) -> str | None:
        """The best accepted label, or None when unthemed."""
        return self.labels[0] if self.labels else None
