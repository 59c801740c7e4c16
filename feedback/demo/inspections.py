"""Demo Young Inspectors' reports: three visits by youth groups, in their own words, each
with the provider's response. Most "should change" items are already moderated (so the
themes, the insight and the packs count them); the newest visit still has one waiting.

``seed_inspections(services, users, today) -> str`` adds the rows (flushes only) and
returns a line for the seed's progress output.
"""
from __future__ import annotations

from datetime import date, timedelta

from .. import clock
from ..family.screening import Screener
from ..extensions import db
from ..inspections.services import new_item
from ..inspections.standards import add_default_standards, standards
from ..models import Inspection, InspectionItem, InspectionScore

# service, days before today, group, inspectors, scores (Welcome, Information, Being listened
# to, Environment, Accessibility; None: not looked at), what was good, what should change,
# items left waiting for moderation, days after the visit the provider answered, response.
VISITS = (
    ("Sexual Health Service for Young People", 38, "Shire Youth Council Young Inspectors", 7,
     (3, 2, 4, 2, 3),
     "The nurse we spoke to was honest and didn't make it awkward. She explained that what you "
     "say stays private unless someone is in danger, and she actually said what that means. "
     "Two of us rang the booking line pretending to need an appointment and both got one "
     "within the week.",
     ("The waiting area is right by the main entrance so anyone walking past can see who is "
      "sitting there.",
      "Half the leaflets were out of date and one still had the old clinic times on it.",
      "There should be a way to book online or by text, lots of young people won't phone.",
      "The sign outside only says Clinic B. We went past it twice before we found the door."),
     0, 16,
     "Thank you to the Youth Council for such a useful visit. We have moved the waiting area "
     "to the quieter room at the back and thrown out every old leaflet. Online booking "
     "goes live in the spring; until then you can text the booking number and we will ring "
     "you back. The new sign is ordered."),
    ("Children and Young People's Mental Health Service (CAMHS)", 96,
     "Children in Care Council inspectors", 5, (2, 1, 3, 3, None),
     "The room for the first appointment was calm, had fidget toys and wasn't like a hospital. "
     "The worker who showed us round admitted the waits are too long instead of pretending "
     "they're fine, which we respected.",
     ("Nobody tells you how long the wait is or where you are on the list, you just wait and "
      "hear nothing.",
      "Letters go to your carer's house and use your full legal name, even if that's not the "
      "name you use.",
      "Give us one person to contact while we wait, not a general number that goes to "
      "voicemail.",
      "The website is written for parents, not for us."),
     0, 21,
     "We are sorry that waiting feels like being forgotten. From next month everyone on the "
     "waiting list gets a text every four weeks saying roughly how long is left, and a named "
     "duty worker they can call. We have changed our letters to use the name a young person "
     "gives us, and the Children in Care Council has agreed to help us rewrite the website."),
    ("Youth Service", 23, "Epsom and Ewell Young Inspectors", 8, (4, 3, 3, 2, 2),
     "The youth workers knew everyone's names (well, not ours, we were undercover) and the "
     "Friday session felt really relaxed. Free food made a massive difference, people stayed "
     "longer because of it.",
     ("The disabled toilet was being used as a store cupboard full of chairs.",
      "The centre closes at 8 on a Friday which is exactly when people want to be out.",
      "There's no late bus back to Langley Vale after the session, so the younger ones need a "
      "lift home.",
      "Put the timetable on Instagram, nobody looks at the council website.",
      "Ask us what activities we want instead of doing cooking every single week."),
     1, 9,
     "Thank you, this was fair and a bit embarrassing about the toilet, which was cleared the "
     "same day. We are trialling a 9.30pm finish on Fridays from half term and talking to the "
     "bus company about a later service. The timetable is now on our Instagram, and the first "
     "session after half term will be a young people's planning night."),
)


def seed_inspections(services: dict, users: dict, today: date) -> str:
    """Add the three demo reports (and the default standards when there are none)."""
    add_default_standards()
    by_name = {s.name: s for s in standards(include_retired=False)}
    order = ["Welcome", "Information", "Being listened to", "Environment", "Accessibility"]
    worker, moderator, provider = (users["participation_worker"], users["moderator"],
                                   users["provider"])
    screener = Screener()
    made = 0
    for (service_name, days_ago, group, inspectors, scores, good, changes, waiting,
         answered_after, response) in VISITS:
        service = services.get(service_name)
        if service is None:
            continue
        visit = today - timedelta(days=days_ago)
        inspection = Inspection(service=service, service_id=service.id, visit_date=visit,
                                group_name=group, inspectors=inspectors, what_was_good=good,
                                what_was_good_redacted=screener.redact(good),
                                recorded_by=worker,
                                created_at=clock.start_of_uk_day(visit + timedelta(days=1))
                                + timedelta(hours=10))
        for name, score in zip(order, scores):
            if score is not None and name in by_name:
                inspection.scores.append(InspectionScore(standard=by_name[name], score=score))
        for n, text in enumerate(changes):
            entry = new_item(inspection, text, None, screener)
            entry.submitted_by = worker
            if n < len(changes) - waiting and not entry.safeguarding_flagged:
                entry.moderation_state = "approved"
                entry.moderated_by = moderator
                entry.moderated_at = entry.created_at + timedelta(days=2)
            inspection.items.append(InspectionItem(entry=entry, position=n))
        answered = clock.start_of_uk_day(visit + timedelta(days=answered_after)) \
            + timedelta(hours=15)
        if answered < clock.now():
            inspection.response = response
            inspection.response_by = provider if service.provider_id == provider.organisation_id \
                else None
            inspection.response_at = answered
        db.session.add(inspection)
        made += 1
    db.session.flush()
    return f"Young Inspectors' reports: {made}, with the providers' responses"
