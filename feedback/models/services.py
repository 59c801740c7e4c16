"""Areas and the services that young people and families use."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import name_html, pick_name, soft_mutation
from .base import UTCDateTime, utcnow

THEMATIC_AREAS = {
    "corporate_parenting": "Corporate parenting",
    "additional_needs": "Additional needs and disabilities",
    "early_years": "Early years",
    "domestic_abuse": "Domestic abuse",
    "family_resilience": "Family resilience",
    "health_wellbeing": "Health and wellbeing",
}

# Plain-English names of the thematic areas, for young people browsing services.
THEMATIC_AREAS_PLAIN = {
    "corporate_parenting": "Living in care or leaving care",
    "additional_needs": "Help with disabilities and special needs",
    "early_years": "Little children and families",
    "domestic_abuse": "Help when home is not safe",
    "family_resilience": "Help for families",
    "health_wellbeing": "Health and feelings",
}

# The longest other name a service can have (in characters).
MAX_OTHER_NAME = 60
# The longest plain name (and Welsh plain name) a service can have: the columns' length.
MAX_PLAIN_NAME = 200

AREA_KINDS = {"district": "District", "borough": "Borough", "quadrant": "Quadrant",
              "ics_place": "ICS place", "county": "County"}

service_area = Table(
    "service_area", db.metadata,
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("area.id", ondelete="CASCADE"), primary_key=True),
)


class Area(db.Model):
    """A district or borough, or a grouping of them (quadrant, ICS place)."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)

    parent = relationship("Area", remote_side=[id], back_populates="children")
    children = relationship("Area", back_populates="parent")

    def __repr__(self) -> str:
        return f"<Area {self.name!r}>"


class Service(db.Model):
    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    plain_name: Mapped[str] = mapped_column(String(MAX_PLAIN_NAME))
    # The plain name in Welsh, shown on Welsh pages when set (docs/i18n.md).
    plain_name_cy: Mapped[str | None] = mapped_column(String(MAX_PLAIN_NAME))
    description: Mapped[str] = mapped_column(Text, default="")
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    thematic_area: Mapped[str] = mapped_column(String(40), index=True)
    min_age: Mapped[int | None] = mapped_column()
    max_age: Mapped[int | None] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    provider = relationship("Organisation")
    areas = relationship("Area", secondary=service_area, lazy="selectin")
    other_names = relationship("ServiceName", order_by="ServiceName.name",
                               cascade="all, delete-orphan", passive_deletes=True)

    @property
    def thematic_area_label(self) -> str:
        return THEMATIC_AREAS.get(self.thematic_area, self.thematic_area)

    @property
    def category_plain(self) -> str:
        return THEMATIC_AREAS_PLAIN.get(self.thematic_area, self.thematic_area)

    @property
    def public_name(self) -> str:
        """The plain name in the page's language (Welsh on a Welsh page when set): text."""
        return pick_name(self.plain_name, self.plain_name_cy)

    @property
    def public_name_html(self):
        """``public_name`` for the page's text: English on a Welsh page marked ``lang="en"``."""
        return name_html(self.plain_name, self.plain_name_cy)

    @property
    def public_name_after_soft(self) -> str:
        """``public_name`` where the Welsh puts it after a word that takes the soft mutation
        ("Cardiau am Gwnsela i bobl ifanc": "am", "i"); the English is as it is."""
        return pick_name(self.plain_name, self._welsh_soft)

    @property
    def public_name_after_soft_html(self):
        return name_html(self.plain_name, self._welsh_soft)

    @property
    def _welsh_soft(self) -> str | None:
        return soft_mutation(self.plain_name_cy) if self.plain_name_cy else None

    def __repr__(self) -> str:
        return f"<Service {self.name!r}>"


class ServiceName(db.Model):
    """Another name a service is known by: what young people and families call it
    ("taxi", "counsellor", "CAMHS"). Search and imports find the service by it."""

    __tablename__ = "service_name"
    __table_args__ = (UniqueConstraint("service_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(MAX_OTHER_NAME))

    def __repr__(self) -> str:
        return f"<ServiceName {self.name!r}>"
