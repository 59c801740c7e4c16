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

# automatic label -> the name a commissioner gave it after reading its texts and sub-themes.
# Each names what most of the theme's texts are about; a theme that mixes several subjects
# says so. Read off the default demo (seed 2026, 17 themes) on 7 December 2026.
NAMES = {
    "Son's needs": "Children's needs and the help they got: a mix",
    "Care plan": "Health, assessments and care plans: a mix",
    "Easy read": "Explaining things clearly, and other requests: a mix",
    "Course for parents": "Parenting courses, and help for older children",
    "Son's school": "School, college and nursery",
    "Summer holidays": "When things are on: evenings, weekends and holidays",
    "Worker helped my son": "Workers, and changes of worker",
    "Stop the pathway plan review": "Things young people want stopped",
    "Stop the sessions": "Sessions: when, where and how many",
    "Toys in the playroom": "Rooms: quiet, sensory and noisy",
    "No bus": "Getting there: buses, taxis and travel",
    "Stop sending letters": "Phones, texts, letters and online",
    "Young carers": "Young carers and foster carers",
    "Stop talking to my mum": "Things said about mum: a mix",
    "Little brother": "Brothers, sisters and family sessions",
    # The same demo with the screen retrained later (fewer cards held back) labels some themes
    # otherwise: names for those too, read from their texts.
    "Days": "How often and when: holidays, evenings and weekends",
    "Big sister": "Help for children and foster children: a mix",
    "Walk and talk sessions": "Ways to get help: online, by text, by video or in person",
    "Feelings": "Feelings, and being told what is happening: a mix",
    "Worksheets": "Assessments, health checks and diagnosis: a mix",
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
