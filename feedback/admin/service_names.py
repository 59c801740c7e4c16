"""Use cases for the other names a service is known by (what young people and
families call it). Each public function that changes data owns its commit.

Search and imports read these names through ``feedback/services_search.py``.
"""
from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import audit
from ..extensions import db
from ..models import Service, ServiceName
from ..models.services import MAX_OTHER_NAME
from ..services_search import words

MAX_NAMES = 40
_SEPARATORS = re.compile(r"[\n\r,;]+")


class NamesRefused(ValueError):
    """The names cannot be saved; the message says which one and why."""


def list_services() -> list[Service]:
    """Every service, active first, by name, with its other names loaded."""
    stmt = (select(Service).options(selectinload(Service.other_names))
            .order_by(Service.active.desc(), Service.name))
    return list(db.session.execute(stmt).scalars())


def get_service(service_id: int) -> Service | None:
    return db.session.get(Service, service_id)


def parse_names(text: str | None) -> list[str]:
    """The names typed in a box (one a line, or separated by commas), checked:
    raises ``NamesRefused`` naming the first problem."""
    names: list[str] = []
    seen: dict[tuple[str, ...], str] = {}
    for part in _SEPARATORS.split(text or ""):
        name = " ".join(part.split())
        if not name:
            continue
        if any(unicodedata.category(char) in ("Cc", "Cs") for char in name):
            raise NamesRefused(_("Names can only hold letters, numbers, spaces and punctuation: "
                                 "one holds a control character. Type the names again"))
        if len(name) > MAX_OTHER_NAME:
            raise NamesRefused(_("\u201c%(start)s\u2026\u201d is too long: each name must be "
                                 "%(most)s characters or fewer", start=name[:30], most=MAX_OTHER_NAME))
        stems = words(name)
        if not stems:
            raise NamesRefused(_("\u201c%(name)s\u201d has no word search can use. Use a word "
                                 "people would type, like \u201ctaxi\u201d or \u201cCAMHS\u201d",
                                 name=name))
        if stems in seen:
            raise NamesRefused(_("\u201c%(name)s\u201d is the same as \u201c%(other)s\u201d for "
                                 "search. Keep one of them", name=name, other=seen[stems]))
        seen[stems] = name
        names.append(name)
    if len(names) > MAX_NAMES:
        raise NamesRefused(_("Enter %(most)s names or fewer (you entered %(count)s)",
                             most=MAX_NAMES, count=len(names)))
    return names


def update_other_names(service: Service, text: str | None, actor) -> list[str]:
    """Replace the service's other names with those in ``text``; returns them.
    Raises ``NamesRefused`` (nothing saved) when a name is not acceptable."""
    names = parse_names(text)
    before = [other.name for other in service.other_names]
    # Keep the rows of names that stay: a deleted and re-added row would clash
    # with itself on the unique (service, name) pair within one flush.
    kept = {other.name: other for other in service.other_names if other.name in names}
    service.other_names = [kept.get(name) or ServiceName(name=name) for name in names]
    db.session.flush()
    audit.record("admin.service_names_changed", actor, service,
                 added=sorted(set(names) - set(before)), removed=sorted(set(before) - set(names)))
    db.session.commit()
    return names


def add_default_names(defaults: dict[str, tuple[str, ...]]) -> int:
    """Give services (found by name) the default names they do not have yet; returns
    how many were added. Running it again adds nothing. Commits."""
    services = {s.name: s for s in db.session.execute(
        select(Service).options(selectinload(Service.other_names))).scalars()}
    added = 0
    for service_name, names in defaults.items():
        service = services.get(service_name)
        if service is None:
            continue
        have = {other.name.casefold() for other in service.other_names}
        for name in names:
            if name.casefold() not in have:
                service.other_names.append(ServiceName(name=name))
                have.add(name.casefold())
                added += 1
    db.session.commit()
    return added
