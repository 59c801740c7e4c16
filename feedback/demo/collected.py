"""Demo data: feedback two providers collected themselves and imported (their exit
questionnaires and end-of-programme surveys), kept as "collected by <provider>".

Each batch is an ``ImportBatch`` with ``collected_by`` set, and each row a
``FeedbackEntry`` with ``source = "provider_import"``, screened and redacted like every
import. Older rows are approved; rows from the last fortnight wait for a moderator.
The words are written as families and young people fill in such forms: short, uneven,
sometimes only one box filled in.
"""
from __future__ import annotations

import hashlib
import random
from datetime import timedelta

from ..models import FeedbackEntry, ImportBatch, StatusChange
from . import partnership as P

# (service, provider index, file name, days ago, who answers, rows of
# (rating, what went well, what could be better))
BATCHES = (
    ("School Nursing Service", 0, "school-nursing-exit-questionnaire-autumn-term.xlsx", 40,
     "young_person", (
         (5, "The nurse at the drop-in didn't make me feel stupid for asking", ""),
         (4, "Got my questions about periods answered properly", "The drop-in is at lunch so "
          "everyone sees you going in"),
         (3, "", "I had to wait two weeks for the next drop-in and by then I'd sorted it myself"),
         (4, "She explained what would happen with the jab before she did it", ""),
         (5, "Really kind when I was upset about my weight", "Would be better if we could "
          "message the nurse instead of going to the office"),
         (2, "It was ok", "The room has a window into the corridor so people can see who's in"),
         (4, "Helped me work out a plan for my asthma at school", "My form tutor still didn't "
          "know about it"),
         (3, "Friendly", "Didn't know school nurses existed until year 10"),
         (5, "Listened to me about sleep and gave me stuff to try that actually worked", ""),
         (4, "Felt private even though it was in school", "Posters about the drop-in are "
          "only in the girls' toilets"),
         (1, "", "Nobody came back to me after I filled in the form about feeling low"),
         (4, "The text reminder was helpful", "Could the drop-in be after school once a week"),
         (5, "I could bring my friend with me", ""),
         (3, "She knew about vaping and didn't lecture", "Only 10 minutes each which isn't "
          "long when you're nervous"),
     )),
    ("Autism and ADHD Assessment Pathway", 0, "post-diagnosis-questionnaire-q3.csv", 75,
     "parent_carer", (
         (4, "The clinician took time to explain the report to my son in words he understood",
          "The wait before the assessment was 19 months and nobody checked in"),
         (2, "", "We left with a diagnosis and a leaflet and nothing else"),
         (5, "The post-diagnosis workshop was brilliant, met other parents in the same boat", ""),
         (3, "School observation was thorough", "Reports took 11 weeks to arrive after the "
          "feedback appointment"),
         (4, "They let us do the first appointment by video which helped with his anxiety",
          "The waiting room was very loud and bright"),
         (1, "", "I had to chase three times to find out where we were on the list"),
         (4, "Clear letter afterwards that I could share with school and the GP", ""),
         (3, "The psychologist was lovely with my daughter", "Questionnaires for school got "
          "lost and we had to start that part again"),
         (5, "Felt believed for the first time after years of being told it was parenting", ""),
         (2, "Assessment itself was fine", "No help with sleep, which is our biggest problem "
          "at home"),
         (4, "They explained ADHD medication options without pushing us", "Would like a "
          "named contact for after the diagnosis"),
         (3, "", "Appointment letters came addressed to my ex-partner's house"),
     )),
    ("Short Breaks Programme", 5, "end-of-holiday-scheme-survey.xlsx", 20, "parent_carer", (
         (5, "He came home tired and happy every day and still talks about the farm trip", ""),
         (4, "Staff learned his signs quickly", "Pick-up at 3pm doesn't work with my shifts"),
         (5, "First time I've had a full day to myself since the summer", ""),
         (3, "Good range of activities", "Only found out two days before which sessions we'd "
          "got"),
         (2, "", "Not enough staff trained in tube feeding so she could only go to two days"),
         (4, "The swimming sessions were the highlight", "More places for older teenagers, "
          "he felt he was with little ones"),
         (5, "They sent photos each afternoon which put my mind at rest", ""),
         (4, "Really patient with the transition at drop-off", "The venue changed at short "
          "notice and he struggled with that"),
         (3, "", "Booking form online kept crashing on my phone"),
         (5, "Brilliant with his sister as well on the siblings day", ""),
         (4, "He made a friend and they've met up since", "Would love a Saturday club in "
          "term time"),
         (2, "Staff were kind", "Hoist in the changing room was broken for the whole week"),
         (4, "Clear about medication and filled in the chart every time", ""),
     )),
)


ROWS = sum(len(rows) for *_, rows in BATCHES)  # entries the demo adds, beyond the corpus's


def add_collected(orgs, services, users, limit, seed: int = 17,
                  screener=None) -> list[FeedbackEntry]:
    """The providers' imported batches and their entries (with their batches, through
    ``import_batch``), to be added to the session. Its own random numbers, so the rest
    of the demo is the same with or without it."""
    from ..family.screening import Screener
    screener = screener or Screener()
    rng = random.Random(seed)
    uploaders = {P.PROVIDERS[0]: users.get("provider")}
    entries: list[FeedbackEntry] = []
    for service_name, provider_i, filename, days, respondent, rows in BATCHES:
        service, provider = services[service_name], orgs[P.PROVIDERS[provider_i]]
        uploaded = limit - timedelta(days=days, minutes=rng.randint(0, 480))
        batch = ImportBatch(collected_by=provider, uploaded_by=uploaders.get(provider.name),
                            filename=filename,
                            file_hash=hashlib.sha256(filename.encode()).hexdigest(),
                            created_at=uploaded, rows_total=len(rows), rows_imported=len(rows),
                            rows_duplicate=0, rows_invalid=0,
                            column_mapping={"service": 0, "rating": 1, "went_well": 2,
                                            "could_be_better": 3})
        for number, (rating, went_well, could_be_better) in enumerate(rows, start=2):
            found = screener.entry(went_well, could_be_better)
            created = uploaded + timedelta(seconds=number)
            entry = FeedbackEntry(
                service=service, source="provider_import", collected_by=provider,
                import_batch=batch, import_row_number=number, respondent_type=respondent,
                rating=rating, went_well=went_well, could_be_better=could_be_better,
                went_well_redacted=found.went_well_redacted,
                could_be_better_redacted=found.could_be_better_redacted,
                safeguarding_flagged=found.flagged,
                safeguarding_categories=list(found.categories) or None,
                consent_collected=True, quote_consent=rng.random() < 0.6,
                source_kind="survey", source_name=filename.rsplit(".", 1)[0].replace("-", " "),
                source_date=(uploaded - timedelta(days=rng.randint(2, 20))).date(),
                row_hash=hashlib.sha256(f"{filename}-{number}".encode()).hexdigest(),
                created_at=created, status="received")
            entry.history.append(StatusChange(to_status="received", changed_at=created))
            if days > 14 and not found.flagged and number <= len(rows):  # the last row waits
                entry.moderation_state = "approved"
                entry.moderated_at = created + timedelta(hours=rng.randint(2, 60))
                entry.moderated_by = users["moderator"]
            else:
                entry.moderation_state = "pending"
            entries.append(entry)
    return entries
