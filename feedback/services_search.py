"""Finding a service by what people call it: the one matcher for the card
journey's search, the public service list and an import's service column.

Words are compared whole (no "bus" inside "abuse"), without case or
punctuation, after a Snowball stem (plurals and simple endings: "taxis",
"counsellors", "nursing" -> "nurse") and a few spellings and irregular
plurals ("buses", "children", "counselor", "advisor"). Filler words ("my",
"the", "service") are left out of both sides.

A service is found by its name, its plain name, its other names (what young
people and families call it, kept in ``service_name``) and, last, its
description. ``ServiceMatcher`` is pure: it takes plain ``ServiceText``
records; ``load_matcher()`` builds one from the database.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

# Words that say nothing about which service is meant.
FILLER = frozenset("""
a an the and or of for to in at on with by from about into
my our your their his her its it this that these those
i im me we us you they is are was were be been
service services please some any s
""".split())

# Spellings and plurals the stemmer does not bring together, before and after stemming.
_SAME_WORD = {
    "buses": "bus", "busses": "bus", "children": "child", "childrens": "child",
    "counselor": "counsellor", "counselors": "counsellor", "advisor": "adviser",
    "advisors": "adviser", "people": "person", "peoples": "person", "therapy": "therapist",
    "therapies": "therapist", "therapi": "therapist",
}

# How a service was found, best first.
EXACT, PHRASE, WORDS = 0, 1, 2
# Where: its name or plain name, its other names, its description.
NAME, OTHER_NAME, DESCRIPTION = 0, 1, 2

def _squash(text: str) -> str:
    """Letters and digits only, lower case: "YouthCounselling Service" as one word."""
    return "".join(_WORD.findall(_APOSTROPHES.sub("", str(text or "").casefold())))


_APOSTROPHES = re.compile(r"['\u2019\u2018`\u02bc]")
_WORD = re.compile(r"[^\W_]+")


@cache
def _stemmer():
    from nltk.stem.snowball import SnowballStemmer  # needs no downloaded data
    return SnowballStemmer("english")


@lru_cache(maxsize=20_000)
def _stem(word: str) -> str:
    word = _SAME_WORD.get(word, word)
    stem = _stemmer().stem(word) if len(word) > 3 else word
    return _SAME_WORD.get(stem, stem)


def words(text: str | None) -> tuple[str, ...]:
    """The stems of ``text``'s words, filler left out: the form every comparison uses."""
    folded = unicodedata.normalize("NFKC", str(text or "")).casefold()
    raw = _WORD.findall(_APOSTROPHES.sub("", folded))
    return tuple(_stem(word) for word in raw if word not in FILLER)


def _contains(longer: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """``part`` appears in ``longer`` as whole words, in order, side by side."""
    n = len(part)
    return 0 < n <= len(longer) and any(longer[i:i + n] == part
                                        for i in range(len(longer) - n + 1))


@dataclass(frozen=True)
class ServiceText:
    """What a service can be found by."""
    id: int
    name: str
    plain_name: str
    other_names: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Recognised:
    """An import cell read as a service: ``service_id``, or None with the
    ``candidates`` it could be (none: unknown; several: ambiguous)."""
    service_id: int | None
    candidates: tuple[int, ...] = ()


class _Entry:
    __slots__ = ("id", "name", "sort", "names", "squashed", "description")

    def __init__(self, service: ServiceText):
        self.id = service.id
        self.name = service.name
        self.sort = service.plain_name.casefold()
        names = [(NAME, words(service.name)), (NAME, words(service.plain_name))]
        names += [(OTHER_NAME, words(other)) for other in service.other_names]
        self.names = [(where, stems) for where, stems in names if stems]
        self.squashed = {_squash(name) for name in
                         (service.name, service.plain_name, *service.other_names)} - {""}
        self.description = frozenset(words(service.description))

    def rank(self, query: tuple[str, ...]) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        """(where, how) of this service's best match holding every word of ``query``,
        and of its best name that ``query`` only mentions among other words."""
        full = partial = None
        wanted = set(query)
        for where, stems in self.names:
            if stems == query:
                full = min(full or (where, EXACT), (where, EXACT))
            elif wanted <= set(stems):
                full = min(full or (where, WORDS), (where, WORDS))
            elif _contains(query, stems):
                partial = min(partial or (where, PHRASE), (where, PHRASE))
        if full is None:
            full = self._spread(query)
        return full, partial

    def _spread(self, query: tuple[str, ...]) -> tuple[int, int] | None:
        """Every word somewhere: ranked by the weakest place a word was found."""
        weakest = NAME
        for word in query:
            places = [where for where, stems in self.names if word in stems]
            if word in self.description:
                places.append(DESCRIPTION)
            if not places:
                return None
            weakest = max(weakest, min(places))
        return (weakest, WORDS)


@lru_cache(maxsize=4096)
def _entry(service: ServiceText) -> _Entry:
    """A service's words, worked out once per process for each version of its text."""
    return _Entry(service)


class ServiceMatcher:
    """Search and recognition over a fixed set of services."""

    def __init__(self, services):
        self._entries = [_entry(service) for service in services]
        self._names = {entry.id: entry.name for entry in self._entries}
        self._recognised: dict[str, Recognised] = {}
        # Whole names (as stems, and as letters and digits run together) -> services.
        self._exact: dict = {}
        for entry in self._entries:
            for key in [stems for _, stems in entry.names] + list(entry.squashed):
                self._exact.setdefault(key, set()).add(entry.id)

    def name_of(self, service_id: int) -> str:
        return self._names.get(service_id, "")

    def search(self, query: str | None) -> list[int]:
        """Ids of the services ``query`` finds, best first. A service matches when
        every word of the query is in its names or description, or, when no
        service does, when the query mentions one of its names ("my taxi is
        late"). A match on the name or plain name comes before one on another
        name, before one on the description; an exact name before a name holding
        the words; then by plain name. A query of filler words only finds nothing."""
        stems = words(query)
        if not stems:
            return []
        full, partial = [], []
        for entry in self._entries:
            whole, mentioned = entry.rank(stems)
            if whole is not None:
                full.append((whole, entry.sort, entry.id))
            elif mentioned is not None:
                partial.append((mentioned, entry.sort, entry.id))
        return [service_id for _, _, service_id in sorted(full or partial)]

    def recognise(self, text: str | None) -> Recognised:
        """The one service ``text`` names (an import's service column): a name,
        plain name or other name equal to it; else the one whose name it contains
        (the longest such name wins; a tie is ambiguous); else the one with a name
        holding it word for word. Descriptions never count.
        Answers are kept per text: an import repeats the same few names."""
        key = str(text or "")
        if key not in self._recognised:
            if len(self._recognised) > 10_000:
                self._recognised.clear()
            self._recognised[key] = self._recognise(key)
        return self._recognised[key]

    def _recognise(self, text: str) -> Recognised:
        stems = words(text)
        exact = sorted(self._exact.get(stems, set()) | self._exact.get(_squash(text), set()))
        if exact:
            return Recognised(exact[0] if len(exact) == 1 else None, tuple(exact))
        if not stems:
            return Recognised(None)
        longest: dict[int, int] = {}
        for entry in self._entries:
            for _, name in entry.names:
                if _contains(stems, name):
                    longest[entry.id] = max(longest.get(entry.id, 0), len(name))
        if longest:
            top = max(longest.values())
            best = sorted(service_id for service_id, size in longest.items() if size == top)
            return Recognised(best[0] if len(best) == 1 else None, tuple(best))
        # Part of a name, side by side ("Youth Counselling" for "Youth Counselling Service").
        within = sorted({e.id for e in self._entries for _, n in e.names if _contains(n, stems)})
        return Recognised(within[0] if len(within) == 1 else None, tuple(within))


def load_matcher(active_only: bool = True, welsh: bool = False) -> ServiceMatcher:
    """A matcher over the services in the database (active ones unless told); with ``welsh``
    (a search from a Welsh page), a service's Welsh name finds it as its other names do.
    Only then: Welsh names hold words such as "help" that would change English searches and
    the import's reading of a service column."""
    from sqlalchemy import select

    from .extensions import db
    from .models import Service, ServiceName

    stmt = select(Service.id, Service.name, Service.plain_name, Service.plain_name_cy,
                  Service.description)
    if active_only:
        stmt = stmt.where(Service.active.is_(True))
    rows = db.session.execute(stmt).all()
    others: dict[int, list[str]] = {}
    for service_id, name in db.session.execute(select(ServiceName.service_id, ServiceName.name)):
        others.setdefault(service_id, []).append(name)
    for r in rows if welsh else ():
        if r.plain_name_cy and r.plain_name_cy.strip():
            others.setdefault(r.id, []).append(r.plain_name_cy)
    return ServiceMatcher(ServiceText(r.id, r.name, r.plain_name, tuple(others.get(r.id, ())),
                                      r.description or "") for r in rows)
