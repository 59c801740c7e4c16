"""The demo's youth panels and population baselines.

Two youth panel sessions: the Children in Care Council went through the quarter before
last and disputed some of it; the Youth Council checked the last complete quarter and
agreed with nearly all of it. The running quarter is not yet checked, so its answers wait
(``ratification.state``). Baselines for the 11 districts and boroughs come from ``SCALE``.

The baselines are made up but plausible: at the scale of a shire county's published
figures (ONS mid-year population estimates by single year of age, the DfE's special
educational needs (SEN2) and children looked after (SSDA903) statistics, young carers
known to the council), spread over districts of 80,000 to 150,000 people. They are not any
real council's figures.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from ..contracts.periods import last_complete
from ..extensions import db
from ..models import Area, PanelSession, PanelVerdict, PopulationBaseline
from ..ratification.services import answer_wording, period_entries, period_themes

# District or borough -> its size against a district of 100,000 people, and a tilt:
# above 1 for places with more young adults (a university, a garrison town).
SCALE = {
    "Elmbridge Vale": (1.36, 0.86), "Runnymoor": (0.88, 1.22), "Spelthorne Heath": (0.99, 0.97),
    "Surrey Heath Borough": (0.89, 0.93), "Woking Common": (1.01, 1.02),
    "Tandridge Weald": (0.87, 0.88), "Reigate and Banstead Downs": (1.49, 0.98),
    "Mole Valley": (0.87, 0.84), "Guildford Downs": (1.49, 1.45),
    "Waverley Hills": (1.27, 0.95), "Epsom and Ewell": (0.81, 1.04),
}
# A district of 100,000 people: (cohort, population), before the district's size and tilt.
PER_100K = (("age_8-10", 3750, False), ("age_11-13", 3820, False), ("age_14-15", 2480, False),
            ("age_16-17", 2390, False), ("age_18-21", 4150, True), ("age_22-25", 4570, True),
            ("send", 2960, False), ("in_care", 86, False), ("care_leaver", 71, True),
            ("young_carer", 240, False))
SOURCE = "Made-up demo figures at the scale of a shire county's JSNA and DfE statistics"

# How the panels put some themes (matched on a word of the theme's name) and what they said.
THEME_WORDING = (
    ("wait", "Waiting ages with nobody telling you anything"),
    ("bus", "Getting there is the hard bit, especially after school"),
    ("transport", "Getting there is the hard bit, especially after school"),
    ("worker", "Too many different workers, so you keep starting again"),
    ("staff", "Some staff get it, some really don't"),
    ("money", "Things cost too much for us to join in"),
    ("school", "School doesn't always pass things on"),
    ("listen", "Being listened to, not just asked"),
)
DISPUTES = {
    "done": ("The group said nothing has changed for them since this was marked as done.",
             "Two of the young people said nobody has told them about this change.",
             "They said it has happened in one place, not across the county as the answer "
             "says.",
             "They want to see it working for a few months before it is called done."),
    "not_possible": ("They do not accept the reason: they think the money could be found if "
                     "it mattered enough.",
                     "They said nobody asked young people before deciding it could not be "
                     "done."),
}
ANSWER_CHANGES = (
    "It has happened, but most of us only found out at the panel.",
    "They did it, but only after we asked more than once.",
    "Better than before, but it still depends on which worker you get.",
)


def seed_panel(users, rng: random.Random, today: date) -> str:
    """Baselines, and a disputed and a ratified quarter; returns the progress line."""
    areas = db.session.execute(db.select(Area).where(
        Area.kind.in_(("district", "borough")))).scalars().all()
    loaded = 0
    for area in areas:
        size, tilt = SCALE.get(area.name, (1.0, 1.0))
        for cohort, base, young_adult in PER_100K:
            noise = 1 + rng.uniform(-0.06, 0.06)
            value = round(base * size * (tilt if young_adult else 1) * noise)
            db.session.add(PopulationBaseline(area_id=area.id, cohort=cohort, population=value,
                                              source=SOURCE, loaded_by_id=users["admin"].id))
            loaded += 1
    ratified = last_complete("quarter", today)
    disputed = ratified.previous()
    worker = users["participation_worker"]
    sessions = [
        _session(disputed, "Children in Care Council", 9, 16, worker, rng, today, disputes=2),
        _session(ratified, "Shire Youth Council", 14, 19, worker, rng, today, disputes=0),
    ]
    db.session.commit()
    marked = sum(len(s.verdicts) for s in sessions if s is not None)
    return (f"Youth panels: {disputed.label} checked and partly disputed, {ratified.label} "
            f"checked ({marked} themes and answers marked); baselines: {loaded} for "
            f"{len(areas)} districts and boroughs")


def _session(period, group, young_people, days_after, worker, rng, today, disputes):
    held = min(period.end + timedelta(days=days_after), today)
    if held < period.start:
        return None
    session = PanelSession(period_kind=period.kind, period_start=period.start,
                           period_end=period.end, held_on=held, group_name=group,
                           young_people=young_people, recorded_by_id=worker.id)
    db.session.add(session)
    db.session.flush()
    used = set()
    for theme_id, name in period_themes(period):
        wording = next((w for key, w in THEME_WORDING if key in name.lower()), None)
        if wording and len(used) < 2 and wording not in used:
            used.add(wording)
            _verdict(session, "theme", theme_id, name, "changed", worker, wording=wording)
        else:
            _verdict(session, "theme", theme_id, name, "agreed", worker)
    answers = period_entries(period)
    chosen = rng.sample(answers, k=min(len(answers), 12))
    reasons = {status: rng.sample(texts, k=len(texts)) for status, texts in DISPUTES.items()}
    for n, entry in enumerate(chosen):
        original = answer_wording(entry)
        if n < disputes and reasons[entry.status]:
            _verdict(session, "answer", entry.card_id, original, "disputed", worker,
                     reason=reasons[entry.status].pop())
        elif n == disputes:
            _verdict(session, "answer", entry.card_id, original, "changed", worker,
                     wording=rng.choice(ANSWER_CHANGES))
        else:
            _verdict(session, "answer", entry.card_id, original, "agreed", worker)
    db.session.flush()
    return session


def _verdict(session, subject, subject_id, original, verdict, worker, wording=None, reason=None):
    session.verdicts.append(PanelVerdict(subject=subject, subject_id=subject_id,
                                         original=original, verdict=verdict, wording=wording,
                                         reason=reason, recorded_by_id=worker.id))
