"""Population baselines: how many children and young people of each cohort live in each
district or borough, as a council's JSNA or the DfE's statistics publish them."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .submissions import AGE_BANDS, COHORTS

# Every cohort a baseline can give, keyed as the CSV names them: the action card's age
# bands, then the four groups young people may say they belong to.
BASELINE_COHORTS = {**{f"age_{k}": f"Aged {v}" for k, v in AGE_BANDS.items()},
                    "send": "SEND (including EHC plans)", "in_care": "Children in care",
                    "care_leaver": "Care leavers", "young_carer": "Young carers"}
assert set(COHORTS) <= set(BASELINE_COHORTS)


class PopulationBaseline(db.Model):
    """The population of one cohort in one area."""

    __tablename__ = "population_baseline"
    __table_args__ = (UniqueConstraint("area_id", "cohort"),
                      CheckConstraint("population >= 0", name="population"))

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"), index=True)
    cohort: Mapped[str] = mapped_column(String(20))
    population: Mapped[int] = mapped_column()
    source: Mapped[str | None] = mapped_column(String(200))
    loaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    loaded_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    area = relationship("Area")
