"""The fields an import can fill, how to recognise their columns, and how to
turn one spreadsheet cell into a clean value (or a plain-English problem).

Pure functions: no database, no request. ``parse_*`` return ``(value, error)``; the errors
are marked for translation (English outside a request). The fields' labels are the column
headings the import matches, so they are marked (``N_``) but kept as they are here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from ..i18n import N_
from ..models.family import FORUM_SOURCE_KINDS, RATINGS, RESPONDENT_TYPES
from ..models.submissions import CHILD_AGE_BANDS

MAX_TEXT = 2000
MAX_FAMILIES = 10_000


@dataclass(frozen=True)
class Field:
    key: str
    label: str          # also the template's column heading
    hint: str
    required: bool = False
    aliases: tuple[str, ...] = ()


FIELDS: tuple[Field, ...] = (
    Field("service", N_("Service"), N_("The service's name as listed on this site"), True,
          ("service name", "which service", "service used")),
    Field("respondent_type", N_("Who gave the feedback"),
          N_("Parent or carer, Young person or Professional. Blank means parent or carer"),
          aliases=("respondent", "respondent type", "who", "giving feedback", "role")),
    Field("rating", N_("Rating"),
          N_("A number from 1 (very poor) to 5 (very good), or its label"),
          aliases=("score", "overall rating", "rating 1 to 5", "rating 1-5")),
    Field("went_well", N_("What went well"), f"Up to {MAX_TEXT:,} characters",
          aliases=("went well", "positives", "good", "what was good", "what worked well")),
    Field("could_be_better", N_("What could be better"), f"Up to {MAX_TEXT:,} characters",
          aliases=("could be better", "even better if", "improvements", "what could improve",
                   "negatives", "concerns")),
    Field("source_kind", N_("Where it was gathered"),
          N_("Event, Survey, Meeting, Coffee morning or Other"),
          aliases=("source", "source type", "gathered at", "how gathered")),
    Field("source_name", N_("Event or survey name"), N_("For example 'Spring coffee morning'"),
          aliases=("event", "event name", "survey name", "source name")),
    Field("source_date", N_("Date"), N_("The day it was gathered, like 14/03/2026"),
          aliases=("date gathered", "event date", "when", "date of event")),
    Field("area", N_("Area"), N_("A district or borough name, or blank"),
          aliases=("district", "borough", "locality", "place")),
    Field("families_represented", N_("Number of families"),
          N_("How many families this row speaks for. Blank means 1"),
          aliases=("families", "families represented", "number of families", "how many families",
                   "count")),
    Field("child_age_band", N_("Age of child"), N_("0-4, 5-10, 11-15, 16-18 or 19-25, or blank"),
          aliases=("age band", "child age", "age")),
    Field("quote_consent", N_("Consent to quote"),
          N_("Yes if the family agreed to anonymised quotes. Blank means no"),
          aliases=("quote consent", "consent to quote", "ok to quote", "can quote")),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
BY_KEY = {f.key: f for f in FIELDS}
TEXT_FIELDS = ("went_well", "could_be_better")


def squash(value) -> str:
    """Lower-case letters and digits only: how headings and names are compared."""
    return re.sub(r"[^a-z0-9]+", "", str(value or "").lower())


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """Field key -> column index, for headings that name a field (or an alias)."""
    names = {}
    for field in FIELDS:
        for name in (field.label, field.key, *field.aliases):
            names.setdefault(squash(name), field.key)
    mapping: dict[str, int | None] = {key: None for key in FIELD_KEYS}
    for index, header in enumerate(headers):
        key = names.get(squash(header))
        if key and mapping[key] is None:
            mapping[key] = index
    return mapping


def text_of(value) -> str:
    """A cell as text, exactly as written (only outer whitespace trimmed)."""
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().replace("\r\n", "\n").replace("\r", "\n")


_RESPONDENTS = {squash(k): k for k in RESPONDENT_TYPES}
_RESPONDENTS.update({squash(v): k for k, v in RESPONDENT_TYPES.items()})
_RESPONDENTS.update({"parent": "parent_carer", "carer": "parent_carer", "parentcarer": "parent_carer",
                     "mum": "parent_carer", "dad": "parent_carer", "child": "young_person",
                     "youngperson": "young_person", "yp": "young_person", "worker": "professional",
                     "practitioner": "professional"})
_RATINGS = {squash(v): k for k, v in RATINGS.items()}
_SOURCES = {squash(k): k for k in FORUM_SOURCE_KINDS}
_SOURCES.update({squash(v): k for k, v in FORUM_SOURCE_KINDS.items()})
_SOURCES.update({"coffee": "coffee_morning", "questionnaire": "survey", "online survey": "survey",
                 "workshop": "event", "focus group": "meeting", "drop in": "event"})
_SOURCES = {squash(k): v for k, v in _SOURCES.items()}
_AGE_BANDS = {squash(k): k for k in CHILD_AGE_BANDS}
_AGE_BANDS.update({squash(v): k for k, v in CHILD_AGE_BANDS.items()})
_YES = {"yes", "y", "true", "1", "agreed", "consented"}
_NO = {"", "no", "n", "false", "0", "notgiven", "none"}
_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y",
                 "%d %b %Y", "%B %d %Y", "%Y/%m/%d")


def parse_respondent(value) -> tuple[str | None, str | None]:
    text = squash(value)
    if not text:
        return "parent_carer", None
    found = _RESPONDENTS.get(text)
    if found:
        return found, None
    return None, _("Who gave the feedback must be Parent or carer, Young person or "
                   "Professional")


def parse_rating(value) -> tuple[int | None, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, _("Rating must be a whole number from 1 to 5")
    if isinstance(value, (int, float)):
        number = value
    else:
        text = str(value).strip()
        if squash(text) in _RATINGS:
            return _RATINGS[squash(text)], None
        match = re.fullmatch(r"(\d+)(?:\.0+)?(?:\s*(?:/|out of)\s*5)?", text.lower())
        if not match:
            return None, _("Rating must be a whole number from 1 to 5 (it is '%(value)s')",
                           value=text[:20])
        number = int(match.group(1))
    if number != int(number) or not 1 <= number <= 5:
        return None, _("Rating must be a whole number from 1 to 5 (it is %(value)s)", value=value)
    return int(number), None


_TOO_LONG = {
    "went_well": N_("What went well must be %(count)s characters or fewer (it has %(length)s)"),
    "could_be_better": N_("What could be better must be %(count)s characters or fewer "
                          "(it has %(length)s)"),
}


def parse_text(value, key: str) -> tuple[str, str | None]:
    """One of ``TEXT_FIELDS`` (``key``), at most ``MAX_TEXT`` characters."""
    text = text_of(value)
    if len(text) > MAX_TEXT:
        return text, _(_TOO_LONG[key], count=f"{MAX_TEXT:,}", length=f"{len(text):,}")
    return text, None


def parse_source_kind(value) -> tuple[str | None, str | None]:
    text = squash(value)
    if not text:
        return None, None
    if text in _SOURCES:
        return _SOURCES[text], None
    return None, _("Where it was gathered must be Event, Survey, Meeting, Coffee morning or "
                   "Other")


def parse_date(value, today: date) -> tuple[date | None, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    else:
        text = " ".join(str(value).replace(",", " ").split())
        found = None
        for fmt in _DATE_FORMATS:
            try:
                found = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        if found is None:
            return None, _("Date must be a real date, like 14/03/2026 (it is '%(value)s')",
                           value=text[:30])
    if found > today:
        return None, _("Date must be today or in the past")
    if found.year < 2000:
        return None, _("Date must be after 1 January 2000")
    return found, None


def parse_families(value) -> tuple[int | None, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1, None
    try:
        number = float(str(value).strip().replace(",", ""))
    except ValueError:
        return None, _("Number of families must be a whole number, like 12 (it is '%(value)s')",
                       value=str(value)[:20])
    if number != int(number) or number < 1:
        return None, _("Number of families must be a whole number, 1 or more")
    if number > MAX_FAMILIES:
        return None, _("Number of families must be %(most)s or fewer", most=f"{MAX_FAMILIES:,}")
    return int(number), None


def parse_age_band(value) -> tuple[str | None, str | None]:
    text = squash(value)
    if not text:
        return None, None
    if text in _AGE_BANDS:
        return _AGE_BANDS[text], None
    return None, _("Age of child must be 0-4, 5-10, 11-15, 16-18 or 19-25")


def parse_quote_consent(value) -> tuple[bool | None, str | None]:
    text = squash(value)
    if text in _YES:
        return True, None
    if text in _NO:
        return False, None
    return None, _("Consent to quote must be Yes or No")
