"""Checking what a provider gave for a return: ``ReturnInput`` (the text given, from the
form or the XLSX upload), read by the rules of ``values`` into ``Checked``, or refused
with ``ReturnError`` listing every problem at once. A draft may leave things empty; a
submission may not. No database."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from ..errors import FieldError
from ..models import Contract
from ..models.returns import MAX_ACCOUNT, MAX_NARRATIVE
from .values import BadValue, TooLong, clean_text, off_target, parse_count, parse_value


class ReturnError(FieldError):
    """A return that cannot be saved or moved on as asked. ``problems`` lists every
    (field, message) found, so the form shows them all at once."""

    def __init__(self, message: str, field: str | None = None,
                 problems: list[tuple[str | None, str]] | None = None):
        super().__init__(message, field)
        self.problems = problems or [(field, message)]


@dataclass
class ReturnInput:
    """What the provider gave, as text: ``values`` maps a KPI id to (value, narrative)."""

    values: dict[int, tuple[object, object]] = field(default_factory=dict)
    heard: object = None
    changed: object = None
    safeguarding_referrals: object = None
    complaints: object = None


@dataclass(frozen=True)
class Checked:
    values: dict[int, tuple[Decimal | None, str | None]]
    heard: str | None
    changed: str | None
    safeguarding_referrals: int | None
    complaints: int | None


def check(contract: Contract, data: ReturnInput, submitting: bool) -> Checked:
    """``data`` read by the rules of ``values``; raises ``ReturnError`` with every problem.
    A draft may leave things empty; a submission needs every KPI's value, a narrative for
    each KPI off target, what was heard and changed, and both counts."""
    problems: list[tuple[str | None, str]] = []
    values = {}
    for kpi in contract.kpis:
        raw_value, raw_narrative = data.values.get(kpi.id, (None, None))
        value = narrative = None
        try:
            value = parse_value(raw_value, kpi.unit)
        except BadValue as error:
            problems.append((f"value_{kpi.id}", f"{kpi.name}: {error}"))
        try:
            narrative = clean_text(raw_narrative, MAX_NARRATIVE)
        except TooLong as error:
            problems.append((f"narrative_{kpi.id}", _(
                "The narrative for %(kpi)s must be %(count)s characters or fewer",
                kpi=kpi.name, count=f"{error.limit:,}")))
        except BadValue:
            problems.append((f"narrative_{kpi.id}", _(
                "The narrative for %(kpi)s holds a character that cannot be shown (a control "
                "character). Type it again rather than pasting it", kpi=kpi.name)))
        if submitting and value is None and not any(f == f"value_{kpi.id}" for f, _m in problems):
            problems.append((f"value_{kpi.id}", _("Enter the value for %(kpi)s", kpi=kpi.name)))
        if submitting and off_target(kpi, value) and narrative is None:
            problems.append((f"narrative_{kpi.id}", _(
                "Explain why %(kpi)s is off target, and what you are doing about it",
                kpi=kpi.name)))
        values[kpi.id] = (value, narrative)
    texts = {}
    for name in ("heard", "changed"):
        try:
            texts[name] = clean_text(getattr(data, name), MAX_ACCOUNT)
        except BadValue as error:
            texts[name] = None
            problems.append((name, _account_problem(name, error)))
        else:
            if submitting and texts[name] is None:
                problems.append((name, _("Enter what you heard from children and families "
                                         "this period") if name == "heard"
                                 else _("Enter what you changed this period")))
    counts = {}
    for name in ("safeguarding_referrals", "complaints"):
        try:
            counts[name] = parse_count(getattr(data, name))
        except BadValue as error:
            counts[name] = None
            problems.append((name, _("Number of safeguarding referrals: %(problem)s",
                                     problem=error) if name == "safeguarding_referrals"
                             else _("Number of complaints: %(problem)s", problem=error)))
        else:
            if submitting and counts[name] is None:
                problems.append((name, _(
                    "Enter the number of safeguarding referrals (0 if there were none)")
                    if name == "safeguarding_referrals"
                    else _("Enter the number of complaints (0 if there were none)")))
    if problems:
        raise ReturnError(problems[0][1], problems[0][0], problems)
    return Checked(values, texts["heard"], texts["changed"], counts["safeguarding_referrals"],
                   counts["complaints"])


def _account_problem(name: str, error: BadValue) -> str:
    """What is wrong with what was heard (``heard``) or changed (``changed``), in a sentence
    naming it."""
    if isinstance(error, TooLong):
        count = f"{error.limit:,}"
        return (_("What you heard from children and families must be %(count)s characters "
                  "or fewer", count=count) if name == "heard"
                else _("What you changed must be %(count)s characters or fewer", count=count))
    return (_("What you heard from children and families holds a character that cannot be "
              "shown (a control character). Type it again rather than pasting it")
            if name == "heard"
            else _("What you changed holds a character that cannot be shown (a control "
                   "character). Type it again rather than pasting it"))

