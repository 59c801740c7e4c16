"""The demo's action cards and feedback entries, made from the corpus.

Each item takes a text written for its own service, and no text is used more
than twice (``corpus.deal``). Every text goes through the same screening and
redaction as a live submission (``safeguarding.screen`` and ``redaction.redact``
as ``cards.services.submit_card`` calls them; ``family.screening.Screener`` as
the feedback form and imports do), so personal details are redacted before
anything is approved and flagged texts wait for the safeguarding lead with what
triggered them.

What people did next is made up to look like a working partnership: a lead
has decided on older flagged items (words meant as a concern are referred and
kept private; a feedback text the writers did not mean as a concern is released
to moderation; a flagged card is always kept private, as the corpus does not say
which cards were meant), moderators have approved most older items, and
commissioners have answered those an answer in the corpus fits.
"""
from __future__ import annotations

import random

import hashlib
from datetime import datetime, timedelta

from ..models import ActionCard, FeedbackEntry, ImportBatch, StatusChange
from ..models.submissions import CHILD_AGE_BANDS
from ..safeguarding_record import trigger_of
from . import corpus
from . import partnership as P
from .history import Answerer, age_days, apply_history, later, sent_at, status_path

# The corpus's age bands, as the card form's bands (one of the two it spans).
CARD_BANDS = {"8-11": ("8-10", "11-13"), "12-15": ("11-13", "14-15"),
              "16-18": ("16-17", "18-21"), "19-25": ("18-21", "22-25")}
UNDECIDED_DAYS = 21  # flagged items younger than this still wait for the lead
RELEASE_NOTE = "Read by the safeguarding lead: no concern for the child. Released to moderation."
PRIVATE_NOTE = "Read by the safeguarding lead: no action needed; kept private to be safe."
REFER_NOTE = "Discussed with the duty team; actions recorded in the case system."
REJECTED = "Gives a person's name or contact details; not published."


def _receipt_hash(rng) -> str:
    return hashlib.sha256(f"demo-{rng.random()}".encode()).hexdigest()


def _first(rng, concerning, has_phrases) -> list:
    """The concerning texts in the order a small demo should take them: those the
    phrase lists explain first (a lead sees why), each group shuffled."""
    strong = [t for t in concerning if has_phrases(t)]
    weak = [t for t in concerning if not has_phrases(t)]
    rng.shuffle(strong)
    rng.shuffle(weak)
    return strong + weak


def _flag(item, screenings, categories) -> None:
    found = trigger_of(*screenings)
    item.safeguarding_flagged = True
    item.safeguarding_categories = categories or None
    item.safeguarding_trigger, item.safeguarding_score = found.trigger, found.score


def _moderate(item, created, limit, rng, users, answerer, text, reviewed=None,
              redacted_changed=False) -> None:
    """Moderation, then the answer history: pending when recent, else approved
    (or, for a text that named someone, sometimes rejected)."""
    age = age_days(created, limit)
    start = reviewed or created
    if age < 10 and rng.random() < 0.6:
        item.moderation_state = "pending"
        item.history.append(StatusChange(to_status="received", changed_at=created))
        return
    moderated = later(rng, start, limit, [rng.uniform(0.05, 3)])[0]
    item.moderated_at, item.moderated_by = moderated, users["moderator"]
    if redacted_changed and rng.random() < 0.3:
        item.moderation_state, item.moderation_reason = "rejected", REJECTED
        item.history.append(StatusChange(to_status="received", changed_at=created))
        return
    item.moderation_state = "approved"
    answer = answerer.best(item.service.name, text)
    apply_history(item, status_path(rng, age, answer), created, moderated, limit,
                  users["commissioner"], answer, rng)


def _lead(item, created, limit, rng, users, concern: bool,
          may_release: bool = True) -> datetime | None:
    """A flagged item: the lead's decision if it is old enough. Returns when a
    false alarm was released to moderation (None while it stays with the lead,
    or when ``may_release`` is false and it is kept private)."""
    age = age_days(created, limit)
    if concern and age < UNDECIDED_DAYS or not concern and age < 3:
        item.moderation_state = "pending"
        item.history.append(StatusChange(to_status="received", changed_at=created))
        return None
    reviewed = later(rng, created, limit, [rng.uniform(0.02, 2)])[0]
    item.safeguarding_reviewed_at = reviewed
    item.safeguarding_reviewed_by = users["safeguarding_lead"]
    if concern:
        item.safeguarding_outcome = rng.choice(["referred", "referred", "handled", "other"])
        item.safeguarding_note, item.safeguarding_release = REFER_NOTE, "private"
        item.moderation_state = "pending"
        item.history.append(StatusChange(to_status="received", changed_at=created))
        return None
    if not may_release:
        item.safeguarding_outcome, item.safeguarding_note = "no_concern", PRIVATE_NOTE
        item.safeguarding_release, item.moderation_state = "private", "pending"
        item.history.append(StatusChange(to_status="received", changed_at=created))
        return None
    item.safeguarding_outcome, item.safeguarding_note = "no_concern", RELEASE_NOTE
    item.safeguarding_release, item.safeguarding_flagged = "released", False
    return reviewed


def _keep_waiting(concerning: list, n: int = 2) -> None:
    """The newest ``n`` concerning items still wait for the lead's decision, so the
    queue always shows some however old the demo's items are."""
    for item in sorted(concerning, key=lambda i: i.created_at, reverse=True)[:n]:
        item.safeguarding_outcome = item.safeguarding_note = item.safeguarding_release = None
        item.safeguarding_reviewed_at = item.safeguarding_reviewed_by = None


def _me_too(draw: int, agree: random.Random) -> int:
    """Most cards find nobody else, a few find many: a long tail, so the most agreed-with
    cards differ from each other. ``draw`` (the demo's one draw per card, kept so the rest of
    the demo is as it was) decides only whether anyone agreed."""
    return 0 if draw == 0 else 1 + min(59, int(agree.expovariate(1 / 3.0)))


def make_cards(services, users, rng, limit, n, answerer: Answerer) -> list[ActionCard]:
    """``n`` cards (fewer when the corpus is smaller than ``n / 2`` texts)."""
    from ..redaction import redact
    from ..safeguarding import screen
    texts = corpus.card_texts()
    screened = {t.text: screen(t.text) for t in texts}
    agree = random.Random(7)  # "me too" counts apart, so the rest of the demo stays as it was

    def concern(t) -> bool:
        # Cards the lead refers: those the phrase lists explain with a confident
        # model score, or the model is nearly sure of. Other flagged cards are
        # kept private too (never released): the corpus does not say which
        # cards were meant as a concern.
        s = screened[t.text]
        sure = s.score is None or s.score >= 0.5
        return bool(s.flagged and ((s.matches and sure) or (s.score or 0) >= 0.999))

    first = _first(rng, [t for t in texts if concern(t)], lambda t: True)
    cards, concerning = [], []
    for t in corpus.deal(texts, n, rng, first=first):
        service = services[t.service]
        created = sent_at(rng, limit)
        screening = screened[t.text]
        redacted = redact(t.text)
        bands = CARD_BANDS.get(t.age_band or "")
        card = ActionCard(kind=t.kind, text=t.text, text_redacted=redacted, service=service,
                          area=rng.choice(service.areas), created_at=created,
                          age_band=rng.choice(bands) if bands else None,
                          in_care="in_care" in t.cohorts, care_leaver="care_leaver" in t.cohorts,
                          send="send" in t.cohorts or (not t.cohorts and rng.random() < 0.15),
                          young_carer="young_carer" in t.cohorts,
                          receipt_hash=_receipt_hash(rng),
                          me_too_count=_me_too(rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 13]), agree))
        released = None
        if screening.flagged or screening.categories:
            _flag(card, [screening], list(screening.categories))
            card.me_too_count = 0
            released = _lead(card, created, limit, rng, users, concern(t), may_release=False)
            if concern(t):
                concerning.append(card)
            if released is None:
                cards.append(card)
                continue
        _moderate(card, created, limit, rng, users, answerer, t.text, released,
                  redacted != t.text)
        cards.append(card)
    _keep_waiting(concerning)
    return cards


def _forum_batches(orgs, users, rng, limit) -> list[ImportBatch]:
    batches = []
    for forum, rep, label, days in ((P.FORUMS[0], "forum_rep", "Spring coffee mornings", 150),
                                    (P.FORUMS[0], "forum_rep", "Autumn SEND survey", 45),
                                    (P.FORUMS[1], "forum_rep_2", "Short breaks survey", 90)):
        batches.append(ImportBatch(
            forum=orgs[forum], uploaded_by=users[rep],
            filename=f"{label.lower().replace(' ', '-')}.xlsx",
            file_hash=hashlib.sha256(label.encode()).hexdigest(),
            created_at=limit - timedelta(days=days, minutes=rng.randint(0, 600)),
            rows_total=0, rows_imported=0, rows_duplicate=0, rows_invalid=0))
    return batches


def _child_band(service, rng) -> str | None:
    fits = [b for b in CHILD_AGE_BANDS if int(b.split("-")[0]) <= service.max_age
            and int(b.split("-")[1]) >= service.min_age]
    return rng.choice(fits) if fits and rng.random() < 0.85 else None


def _forum_kind(text: str) -> str:
    lowered = text.lower()
    if "coffee" in lowered:
        return "coffee_morning"
    return "meeting" if "meeting" in lowered or "session" in lowered else "event"


def make_feedback(services, orgs, users, rng, limit, n, answerer: Answerer):
    """``n`` feedback entries (fewer when the corpus is smaller than ``n / 2``
    rows) and the forum import batches some of them came in."""
    from ..family.screening import Screener
    screener = Screener()
    rows = corpus.feedback_texts()
    screened = {r.key: (screener.screen(r.went_well), screener.screen(r.could_be_better))
                for r in rows}
    has_phrases = lambda r: any(s and s.matches for s in screened[r.key])  # noqa: E731
    first = _first(rng, [r for r in rows if r.concern], has_phrases)
    batches = _forum_batches(orgs, users, rng, limit)
    imported_concerns = 0
    entries, concerning = [], []
    for i, r in enumerate(corpus.deal(rows, n, rng, first=first)):
        service = services[r.service]
        found = screener.entry(r.went_well, r.could_be_better)
        entry = FeedbackEntry(
            service=service, area=rng.choice(service.areas), rating=r.rating,
            went_well=r.went_well, could_be_better=r.could_be_better,
            went_well_redacted=found.went_well_redacted,
            could_be_better_redacted=found.could_be_better_redacted,
            respondent_type="parent_carer", quote_consent=rng.random() < 0.7,
            child_age_band=_child_band(service, rng),
            disability_send="yes" if service.thematic_area == "additional_needs" else None,
            receipt_hash=_receipt_hash(rng))
        # Three parents' concerning words arrive in a forum's spreadsheet, so the
        # lead's queue shows a forum, file and row; other rows are one in five.
        to_import = r.respondent == "parent_carer" and (
            (r.concern and has_phrases(r) and imported_concerns < 3)
            or (not r.concern and rng.random() < 0.2))
        if r.respondent == "forum_rep":
            created = sent_at(rng, limit)
            forum = orgs[P.FORUMS[1] if "Vale" in r.went_well + r.could_be_better
                         else P.FORUMS[0] if rng.random() < 0.6 else P.FORUMS[1]]
            entry.source, entry.forum = "forum", forum
            entry.submitted_by = users["forum_rep" if forum.name == P.FORUMS[0] else "forum_rep_2"]
            entry.source_kind = _forum_kind(r.went_well + " " + r.could_be_better)
            entry.source_name = f"{forum.name} {entry.source_kind.replace('_', ' ')}"
            entry.source_date = (created - timedelta(days=rng.randint(1, 14))).date()
            entry.families_represented, entry.consent_collected = r.families, True
            entry.receipt_hash = None
        elif to_import:
            imported_concerns += r.concern
            batch = rng.choice(batches)
            created = batch.created_at + timedelta(seconds=batch.rows_total + 1)
            batch.rows_total += 1
            batch.rows_imported += 1
            entry.source, entry.forum, entry.import_batch = "forum_import", batch.forum, batch
            entry.import_row_number = batch.rows_total + 1
            entry.source_kind = "survey" if "survey" in batch.filename else "event"
            entry.source_name = batch.filename
            entry.source_date = (batch.created_at - timedelta(days=rng.randint(3, 30))).date()
            entry.consent_collected, entry.receipt_hash = True, None
            entry.row_hash = hashlib.sha256(f"{batch.filename}-{i}".encode()).hexdigest()
        else:
            created = sent_at(rng, limit)
        entry.created_at = created
        # Only what could be better asks for an answer; praise alone gets none.
        text = r.could_be_better
        released = None
        if found.flagged:
            _flag(entry, [s for s in screened[r.key]], list(found.categories))
            released = _lead(entry, created, limit, rng, users, r.concern)
            if r.concern:
                concerning.append(entry)
            if released is None:
                entries.append(entry)
                continue
        changed = (found.went_well_redacted, found.could_be_better_redacted) != r.key
        _moderate(entry, created, limit, rng, users, answerer, text, released, changed)
        entries.append(entry)
    _keep_waiting(concerning)
    return entries, batches
