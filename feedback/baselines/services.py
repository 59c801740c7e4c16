"""Population baselines and who we are not hearing from.

Loading: an administrator uploads a CSV or Excel file with the columns Area, Cohort and
Population (``template_csv`` gives one with a row for every district or borough and
cohort). The file is read in memory (at most ``MAX_BYTES``; ``family.reading`` reads it,
as for imports) and never stored. Every row is checked first: an area that is not a
district or borough here, a cohort that is not one of ``BASELINE_COHORTS``, a population
that is empty, not a whole number or negative, a second row for the same area and cohort.
Any error: nothing is loaded and each row's error is listed. No error: the file replaces
every baseline (audited).

Reading: ``heard(filters)`` counts the published action cards (one card, one voice: the
cohort questions are asked on the card) per district and cohort for a period and
service, against the baselines: voices per 1,000 of each cohort's population. Every count
goes through ``disclosure.protect`` with the sums a reader could use (each area's age
columns and "age not given" add up to its voices; each cohort column adds up over the
areas and "area not given"; both add up to all voices), so no group under 10 is shown or
can be worked out by subtraction. A rate is shown only beside a count that is shown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from .. import audit, disclosure
from ..errors import FieldError, NotAllowed
from ..exports import to_csv
from ..extensions import db
from ..i18n import N_
from ..family.reading import UnreadableFile, read_table
from ..insight.filters import PERIODS, Filters, period_dates, period_label
from ..insight.queries import card_conditions
from ..models import ActionCard, Area, PopulationBaseline
from ..models.baselines import BASELINE_COHORTS
from ..models.submissions import AGE_BANDS, COHORTS
from ..options import active_services, local_areas
from ..permissions import can_administer, can_view_insight

MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000
MAX_POPULATION = 10_000_000
HEADERS = ("Area", "Cohort", "Population")
AGE_KEYS = tuple(f"age_{k}" for k in AGE_BANDS)
FLAG_KEYS = tuple(COHORTS)  # in_care, care_leaver, send, young_carer
NO_AGE = "age_unknown"
NO_FLAG = "none_ticked"
NO_AREA = 0  # the row of cards whose area was not given
# Other ways councils write the cohorts (lower case, spaces collapsed).
ALIASES = {"send/ehcp": "send", "send or ehcp": "send", "ehcp": "send", "send": "send",
           "children looked after": "in_care", "looked after children": "in_care",
           "cla": "in_care", "care leaver": "care_leaver", "young carer": "young_carer"}


class BaselineError(FieldError):
    """The uploaded file cannot be read at all (names the form field)."""


@dataclass(frozen=True)
class RowError:
    row: int
    message: str


@dataclass
class LoadResult:
    loaded: int = 0
    errors: list[RowError] = field(default_factory=list)
    note: str | None = None


def _guard_admin(actor) -> None:
    if not can_administer(actor):
        raise NotAllowed()


def _key(text) -> str:
    return re.sub(r"\s+", " ", str(text if text is not None else "")).strip().lower()


def _cohort_lookup() -> dict[str, str]:
    found = {}
    for key, label in BASELINE_COHORTS.items():
        found[_key(key)] = key
        found[_key(label)] = key
    for band, label in AGE_BANDS.items():
        found[_key(band)] = f"age_{band}"
        found[_key(f"age {band}")] = f"age_{band}"
        found[_key(label)] = f"age_{band}"
    for key, label in COHORTS.items():
        found[_key(label)] = key
        found[_key(label) + "s"] = key
    found.update(ALIASES)
    return found


def template_csv() -> bytes:
    """Area, Cohort, Population: a row for every district or borough and cohort, the
    population left for the council to fill in."""
    rows = [[name, label, ""] for _key_id, name in local_areas()
            for label in BASELINE_COHORTS.values()]
    return to_csv(list(HEADERS), rows)


def _population(value) -> int | None | str:
    """The population in a cell, or a message saying what is wrong with it."""
    if value is None or _key(value) == "":
        return _("Enter the population, or delete the row")
    if isinstance(value, bool):
        return _("The population must be a whole number, like 4,250")
    if isinstance(value, float):
        if not value.is_integer():
            return _("The population must be a whole number, like 4,250")
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).replace(",", "").replace(" ", "").strip()
        if not re.fullmatch(r"[+-]?\d+", text):
            return _("The population must be a whole number, like 4,250")
        number = int(text)
    if number < 0:
        return _("The population cannot be negative")
    if number > MAX_POPULATION:
        return _("The population must be %(most)s or fewer", most=format(MAX_POPULATION, ","))
    return number


def check_rows(table) -> tuple[list[tuple[int, str, int]], list[RowError]]:
    """(area id, cohort, population) for each good row, and each bad row's error."""
    columns = {_key(h): i for i, h in enumerate(table.headers)}
    missing = [h for h in HEADERS if _key(h) not in columns]
    if missing:
        raise BaselineError(_("The file must have the columns Area, Cohort and Population "
                              "(missing: %(missing)s). Download the template",
                              missing=", ".join(missing)), "file")
    areas = {_key(name): area_id for area_id, name in local_areas()}
    cohorts = _cohort_lookup()
    good, errors, seen = [], [], {}

    def cell(cells, name):
        index = columns[_key(name)]
        return cells[index] if index < len(cells) else None

    for number, cells in table.rows:
        problems = []
        area_text, cohort_text = cell(cells, "Area"), cell(cells, "Cohort")
        area_id = areas.get(_key(area_text))
        if not _key(area_text):
            problems.append(_("Enter the area"))
        elif area_id is None:
            problems.append(_("\u201c%(area)s\u201d is not a district or borough on this "
                              "platform", area=str(area_text).strip()[:60]))
        cohort = cohorts.get(_key(cohort_text))
        if not _key(cohort_text):
            problems.append(_("Enter the cohort"))
        elif cohort is None:
            problems.append(_("\u201c%(cohort)s\u201d is not a cohort (see the template for "
                              "the cohorts)", cohort=str(cohort_text).strip()[:60]))
        population = _population(cell(cells, "Population"))
        if isinstance(population, str):
            problems.append(population)
        if not problems:
            if (area_id, cohort) in seen:
                problems.append(_("This area and cohort are already on row %(row)s",
                                   row=seen[(area_id, cohort)]))
            else:
                seen[(area_id, cohort)] = number
                good.append((area_id, cohort, population))
        errors += [RowError(number, p) for p in problems]
    return good, errors


def load(actor, data: bytes, filename: str, source: str | None = None) -> LoadResult:
    """Check the file and, when every row is good, replace the baselines with it; commits."""
    _guard_admin(actor)
    if len(data) > MAX_BYTES:
        raise BaselineError(_("The file must be %(most)s MB or smaller",
                              most=MAX_BYTES // 1024 // 1024), "file")
    if not data.strip():
        raise BaselineError(_("The selected file is empty"), "file")
    try:
        table = read_table(data, filename, MAX_ROWS)
    except UnreadableFile as error:
        # The reader was written for feedback imports: say "rows of figures" here.
        message = str(error).replace("no feedback rows", "no rows of figures") \
            .replace("rows of feedback", "rows of figures")
        raise BaselineError(message, "file") from None
    good, errors = check_rows(table)
    if errors:
        return LoadResult(0, errors, table.encoding_note)
    if not good:
        raise BaselineError(_("The file has no rows of figures under its headings"), "file")
    db.session.execute(delete(PopulationBaseline))
    db.session.add_all(PopulationBaseline(area_id=a, cohort=c, population=p, source=source,
                                          loaded_by_id=actor.id) for a, c, p in good)
    db.session.flush()
    audit.record("population_baseline.loaded", actor, object_type="population_baseline",
                 rows=len(good), filename=(filename or "")[:120])
    db.session.commit()
    return LoadResult(len(good), [], table.encoding_note)


@dataclass(frozen=True)
class LoadedRow:
    area: str
    cohort: str
    population: int


def loaded(actor) -> list[LoadedRow]:
    _guard_admin(actor)
    rows = db.session.execute(
        select(Area.name, PopulationBaseline.cohort, PopulationBaseline.population)
        .join(Area, Area.id == PopulationBaseline.area_id).order_by(Area.name)).all()
    order = list(BASELINE_COHORTS)
    rows.sort(key=lambda r: (r[0].lower(), order.index(r[1]) if r[1] in order else 99))
    return [LoadedRow(a, BASELINE_COHORTS.get(c, c), p) for a, c, p in rows]


# --- who we are not hearing from --------------------------------------------------------

COLUMNS = {**{k: BASELINE_COHORTS[k] for k in AGE_KEYS}, NO_AGE: N_("Age not given"),
           **{k: BASELINE_COHORTS[k] for k in FLAG_KEYS}}


# Under this population a rate per 1,000 reads wrong ("316.5 per 1,000" of 79 children in
# care beside "1.9 per 1,000" of 27,000 young people): the figure is given as "25 of 79 (32%)".
SMALL_POPULATION = 1_000


def share_words(voices: int, population: int) -> str:
    """"25 of 79 (32%)": voices out of a population under ``SMALL_POPULATION``."""
    return _("%(voices)s of %(population)s (%(percent)s%%)", voices=f"{voices:,}",
             population=f"{population:,}", percent=round(100 * voices / population))


@dataclass(frozen=True)
class Cell:
    voices: int
    shown: bool
    text: str  # "12", "fewer than 10", "not shown"
    population: int | None
    rate: float | None  # voices per 1,000, when shown and a population is known

    @property
    def rate_text(self) -> str:
        if self.rate is None:
            return "" if self.shown else "\u2013"
        return f"{self.rate:,.1f}"

    @property
    def share_text(self) -> str | None:
        """"25 of 79 (32%)" in place of the rate when the population is under 1,000."""
        if self.rate is None or not self.population or self.population >= SMALL_POPULATION:
            return None
        return share_words(self.voices, self.population)


@dataclass(frozen=True)
class Row:
    key: int  # area id, or NO_AREA
    name: str
    total: Cell
    cells: dict  # column key -> Cell


@dataclass(frozen=True)
class Ranked:
    name: str
    rate: float
    text: str  # the voices, as shown
    share: str | None = None  # "25 of 79 (32%)" for a population under 1,000


@dataclass
class Heard:
    period: str
    service: str | None
    rows: list[Row]
    totals: Row
    columns: dict
    has_baselines: bool
    under_heard_cohorts: list[Ranked]
    under_heard_areas: list[Ranked]
    under_heard_cells: list[Ranked]
    none_ticked: str = ""  # how many ticked none of the four cohorts, as shown


@dataclass(frozen=True)
class HeardQuery:
    period: str = "12m"
    service_id: int | None = None


def read_query(args) -> tuple[HeardQuery, list[tuple[str, str]]]:
    """The page's query from the query string, and (field, message) for what was not used."""
    problems = []
    period = (args.get("period") or "12m").strip()
    if period not in PERIODS:
        problems.append(("period", _("Select a period from the list")))
        period = "12m"
    service_id = None
    raw = (args.get("service") or "").strip()
    if raw:
        ids = {i for i, _name in active_services()}
        service_id = int(raw) if raw.isdigit() and len(raw) < 10 else None
        if service_id not in ids:
            problems.append(("service", _("Select a service from the list")))
            service_id = None
    return HeardQuery(period, service_id), problems


def choices() -> dict:
    return {"periods": list(PERIODS.items()), "services": active_services()}


def _counts(f: Filters) -> dict:
    """{(area key, column key): voices} and {area key: voices} for published cards."""
    stmt = (select(ActionCard.area_id, ActionCard.age_band, ActionCard.in_care,
                   ActionCard.care_leaver, ActionCard.send, ActionCard.young_carer, func.count())
            .where(*card_conditions(f))
            .group_by(ActionCard.area_id, ActionCard.age_band, ActionCard.in_care,
                      ActionCard.care_leaver, ActionCard.send, ActionCard.young_carer))
    local = {i for i, _name in local_areas()}
    cells, totals, several = {}, {}, 0
    for area_id, band, *flags, n in db.session.execute(stmt):
        area = area_id if area_id in local else NO_AREA
        totals[area] = totals.get(area, 0) + n
        age = f"age_{band}" if band in AGE_BANDS else NO_AGE
        ticked = [k for k, v in zip(FLAG_KEYS, flags) if v]
        several += n if len(ticked) > 1 else 0
        for column in [age] + (ticked or [NO_FLAG]):
            cells[(area, column)] = cells.get((area, column), 0) + n
    return {"cells": cells, "totals": totals, "several": several}


def heard(actor, query: HeardQuery, today: date) -> Heard:
    """Voices per area and cohort against the baselines, protected (module rules)."""
    if not can_view_insight(actor):
        raise NotAllowed()
    start, end = period_dates(query.period, today)
    f = Filters(start=start, end=end, period=query.period, as_of=today,
                service_ids=(query.service_id,) if query.service_id else ())
    counted = _counts(f)
    areas = local_areas() + [(NO_AREA, _("Area not given"))]
    population = {(a, c): p for a, c, p in db.session.execute(
        select(PopulationBaseline.area_id, PopulationBaseline.cohort,
               PopulationBaseline.population))}

    values = {("grand",): sum(counted["totals"].values())}
    for area, _name in areas:
        values[("total", area)] = counted["totals"].get(area, 0)
        for column in COLUMNS:
            values[("cell", area, column)] = counted["cells"].get((area, column), 0)
    for column in COLUMNS:
        values[("column", column)] = sum(values[("cell", a, column)] for a, _name in areas)
    # Ticked none of the four, for all areas only (a sentence, not a column). Its difference
    # from all voices, those who ticked one or more, is never shown: where one cohort is the
    # only one ticked it is that cohort's count, so it is protected as a cell of its own.
    values[("none_ticked",)] = sum(counted["cells"].get((a, NO_FLAG), 0) for a, _name in areas)
    values[("some_ticked",)] = values[("grand",)] - values[("none_ticked",)]
    age_columns = [*AGE_KEYS, NO_AGE]
    sums = [(("total", a), [("cell", a, c) for c in age_columns]) for a, _name in areas]
    sums += [(("column", c), [("cell", a, c) for a, _name in areas]) for c in COLUMNS]
    sums += [(("grand",), [("total", a) for a, _name in areas]),
             (("grand",), [("column", c) for c in age_columns]),
             (("grand",), [("none_ticked",), ("some_ticked",)])]
    if not counted["several"]:
        # Nobody ticked two or more: those who ticked one or more are the four columns' sum
        # (a reader who guesses so must not find a small cohort that way either).
        sums.append((("some_ticked",), [("column", c) for c in FLAG_KEYS]))
    unseen = [("some_ticked",)] if values[("some_ticked",)] < disclosure.THRESHOLD else []
    protected = disclosure.protect(values, sums, keep=[("grand",)], unseen=unseen)

    def make(key, pop) -> Cell:
        n, shown = values[key], protected.shows(key)
        rate = round(n * 1000 / pop, 1) if shown and pop else None
        return Cell(n, shown, protected.text(key, n), pop, rate)

    def area_population(area):
        pops = [population.get((area, c)) for c in AGE_KEYS]
        return sum(p for p in pops if p) if any(pops) else None

    rows = []
    for area, name in areas:
        cells = {c: make(("cell", area, c), population.get((area, c))) for c in COLUMNS}
        rows.append(Row(area, name, make(("total", area), area_population(area)), cells))
    county = {c: sum(p for (a, k), p in population.items() if k == c) or None for c in COLUMNS}
    county_total = sum(county[c] or 0 for c in AGE_KEYS) or None
    totals = Row(-1, _("All areas"), make(("grand",), county_total),
                 {c: make(("column", c), county.get(c)) for c in COLUMNS})

    def lowest(items, n=3):
        ranked = sorted((r for r in items if r.rate is not None), key=lambda r: (r.rate, r.name))
        return ranked[:n]

    cohort_ranked = [Ranked(_(COLUMNS[c]), cell.rate, cell.text, cell.share_text)
                     for c, cell in totals.cells.items()
                     if c in BASELINE_COHORTS and cell.rate is not None]
    area_ranked = [Ranked(r.name, r.total.rate, r.total.text, r.total.share_text) for r in rows
                   if r.key != NO_AREA and r.total.rate is not None]
    cell_ranked = [Ranked(_("%(cohort)s in %(area)s", cohort=_(COLUMNS[c]), area=r.name),
                          cell.rate, cell.text, cell.share_text) for r in rows
                   if r.key != NO_AREA for c, cell in r.cells.items()
                   if c in BASELINE_COHORTS and cell.rate is not None]
    service = dict(active_services()).get(query.service_id) if query.service_id else None
    columns = {key: _(label) for key, label in COLUMNS.items()}
    return Heard(period_label(f), service, rows, totals, columns, bool(population),
                 lowest(cohort_ranked), lowest(area_ranked), lowest(cell_ranked, 5),
                 protected.text(("none_ticked",), values[("none_ticked",)]))
