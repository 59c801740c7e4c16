"""The demo commissioner's reading of the themes: every theme of the run marked as reviewed,
and the ones whose automatic label titles only a part of the theme renamed, through the same
curation services a commissioner uses (audited, by the commissioner's account).

The names are keyed by the automatic label the default demo's run gives; a label the engine
no longer gives renames nothing (the theme keeps its automatic label), so a change to the
engine never puts a name on the wrong theme. docs/demo.md lists what is renamed and why.
"""
from __future__ import annotations

from ..extensions import db
from ..insight.curation import rename_theme, set_reviewed
from ..models import Theme

# automatic label -> the name a commissioner gave it after reading its texts and sub-themes
NAMES = {
    "ADHD": "Health checks, assessments and diagnosis",
    "Wait": "Waiting times",
    "Stop the sessions": "Things young people want stopped",
    "Son's needs": "Help that worked for my child",
    "Days": "When things are on",
    "Toys in the playroom": "Rooms and places we use",
    "No bus": "Rooms, buildings and getting there",
    "Stop talking to my mum": "Mums, dads and who gets listened to",
    "Son's school": "School, college and nursery",
    "Worker changed 3 times": "Workers, and changes of worker",
    "Worker helped my son": "Workers, and changes of worker",
    "Stop sending letters": "Letters, calls and booking online",
    "People on the phone": "Phones, letters and booking online",
    "Big sister": "Support for our daughters",
    "Trip": "Trips, visits and home visits",
    "Nursery for my brother": "Nurseries, nurses and early years",
}


def curate_themes(users) -> tuple[int, int]:
    """Mark every live theme reviewed and rename those in ``NAMES``; (reviewed, renamed)."""
    commissioner = users["commissioner"]
    themes = db.session.scalars(db.select(Theme).where(Theme.merged_into_id.is_(None),
                                                       Theme.hidden.is_(False))
                                .order_by(Theme.id)).all()
    renamed = 0
    for theme in themes:
        name = NAMES.get(theme.label)
        if name and not theme.curated_name:
            rename_theme(theme.id, name, commissioner)
            renamed += 1
        set_reviewed(theme.id, True, commissioner)
    return len(themes), renamed
