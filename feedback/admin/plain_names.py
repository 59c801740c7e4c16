"""Use cases for the names young people and families see for a service: its plain name,
and its plain name in Welsh (shown instead on Welsh pages when set, docs/i18n.md). The
official name (``Service.name``) is not changed here.

Each name is checked here, the one home of the rules: required (the plain name only), at
most ``MAX_PLAIN_NAME`` characters, no control characters; runs of spaces become one.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _

from .. import audit
from ..errors import FieldError
from ..extensions import db
from ..models import Service
from ..models.services import MAX_PLAIN_NAME


class PlainNameError(FieldError):
    """One name that cannot be saved; names the form field to blame."""


class PlainNamesRefused(ValueError):
    """The names cannot be saved (nothing was): one ``PlainNameError`` for each bad field."""

    def __init__(self, errors: list[PlainNameError]):
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


@dataclass(frozen=True)
class PlainNames:
    plain_name: str
    plain_name_cy: str | None


def _clean(value: str | None, field: str, *, required: str | None, too_long: str,
           control: str) -> str | None:
    """A name as typed, checked: control characters refused (before the spaces are squeezed,
    since a tab or a new line counts as a space to ``split``), spaces squeezed, then empty
    (refused if ``required``, else None) and length. Raises ``PlainNameError``."""
    text = unicodedata.normalize("NFC", value or "")
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in text):
        raise PlainNameError(control, field)
    text = " ".join(text.split())
    if not text:
        if required:
            raise PlainNameError(required, field)
        return None
    if len(text) > MAX_PLAIN_NAME:
        raise PlainNameError(too_long, field)
    return text


def check_names(plain_name: str | None, plain_name_cy: str | None) -> PlainNames:
    """Both names, cleaned; ``PlainNamesRefused`` naming every field that is not acceptable."""
    errors: list[PlainNameError] = []
    cleaned: dict[str, str | None] = {}
    rules = {
        "plain_name": (plain_name, dict(
            required=_("Enter the plain name"),
            too_long=_("The plain name must be %(most)s characters or fewer",
                       most=MAX_PLAIN_NAME),
            control=_("The plain name holds a character that cannot be shown (a control "
                      "character). Type it again rather than pasting it"))),
        "plain_name_cy": (plain_name_cy, dict(
            required=None,
            too_long=_("The Welsh name must be %(most)s characters or fewer",
                       most=MAX_PLAIN_NAME),
            control=_("The Welsh name holds a character that cannot be shown (a control "
                      "character). Type it again rather than pasting it"))),
    }
    for field, (value, messages) in rules.items():
        try:
            cleaned[field] = _clean(value, field, **messages)
        except PlainNameError as error:
            errors.append(error)
    if errors:
        raise PlainNamesRefused(errors)
    return PlainNames(cleaned["plain_name"] or "", cleaned["plain_name_cy"])


def update_plain_names(service: Service, plain_name: str | None, plain_name_cy: str | None,
                       actor) -> bool:
    """Give the service the names typed (an empty Welsh name clears it); returns whether
    anything changed. A change is audited (``admin.service_plain_names_changed``, with the
    names before and after) and committed. Raises ``PlainNamesRefused`` (nothing saved)."""
    names = check_names(plain_name, plain_name_cy)
    before = {"plain_name": service.plain_name, "plain_name_cy": service.plain_name_cy}
    after = {"plain_name": names.plain_name, "plain_name_cy": names.plain_name_cy}
    if after == before:
        return False
    service.plain_name, service.plain_name_cy = names.plain_name, names.plain_name_cy
    audit.record("admin.service_plain_names_changed", actor, service, before=before,
                 after=after)
    db.session.commit()
    return True
