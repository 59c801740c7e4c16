"""Red, amber, green for a KPI return.

Green when the value meets the target in the KPI's direction; amber when it
falls short by no more than ``amber_tolerance`` x target; red otherwise; no
value is "not reported" (``None``). Decimal arithmetic throughout, so the
edges are exact (target 90, tolerance 0.1: 81 is amber, 80.99 is red).
"""
from __future__ import annotations

from decimal import Decimal

from ..i18n import N_

RAG_LABELS = {"green": N_("Green"), "amber": N_("Amber"), "red": N_("Red"),
              None: N_("Not reported")}


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def rating(kpi, kpi_return) -> str | None:
    """The rating of ``kpi_return`` (a ``KpiReturn`` or None) for ``kpi``, worked
    out from its value each time it is shown, so a return saved without a
    stored rating (imported, seeded) is rated all the same."""
    if kpi_return is None or kpi_return.value is None:
        return None
    return rate(kpi_return.value, kpi.target, kpi.direction, kpi.amber_tolerance)


def rate(value, target, direction: str, amber_tolerance) -> str | None:
    if value is None:
        return None
    value, target = _decimal(value), _decimal(target)
    margin = abs(target) * _decimal(amber_tolerance if amber_tolerance is not None else 0)
    if direction == "lower":
        if value <= target:
            return "green"
        return "amber" if value <= target + margin else "red"
    if value >= target:
        return "green"
    return "amber" if value >= target - margin else "red"
