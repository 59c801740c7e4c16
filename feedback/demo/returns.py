"""Demo Performance Monitoring Form returns, and a second provider account.

The first two providers (``partnership.PROVIDERS[0]`` and ``[1]``) each have an account
(``provider@`` and ``provider_2@demo.invalid``). Their contracts' returns show every
state a commissioner meets: the first provider's return for the quarter before last is
late (a draft never submitted, so overdue), the second's for the last quarter was
returned for correction with a reason and its earlier one accepted; other providers'
returns for the quarter before last are submitted or accepted. The figures match the
held reviews' KPI returns where a review exists, so the pack and the return agree.
The words are written per service area, each used once.
"""
from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from ..contracts.periods import last_complete
from ..contracts.rag import rate
from ..extensions import db
from ..models import ContractReview, PerformanceReturn, ReturnValue, User
from ..models.base import utcnow
from . import partnership as P

SECOND_PROVIDER_EMAIL = "provider_2@demo.invalid"

HEARD = {
    "health_wellbeing": [
        "Young people at our Tuesday drop-in told us the wait for a first appointment feels "
        "longer than it is because nobody rings them while they wait. Three parents said "
        "the same at the Vale forum meeting.",
        "Our exit questionnaire (112 returned) shows most young people felt listened to, but "
        "a group of 16 and 17 year olds said they were talked to as if they were much "
        "younger, and several did not know what happens when they turn 18.",
        "Feedback cards in the waiting room asked for appointments after school and for "
        "somewhere quieter to wait. Two young people said reception staff were kind when "
        "they arrived upset.",
        "Our youth advisers ran a session in two secondary schools. Pupils said they would "
        "rather text a worker than phone, and that posters about the service are only in "
        "the medical room, where nobody goes unless they are ill.",
        "Parents of children waiting for the eating disorders team told us they did not "
        "know who to call if things got worse while they waited. One mother said the out "
        "of hours number went to a voicemail.",
        "In the counselling service's end of sessions survey, young people valued choosing "
        "where to meet. Several said six sessions ended just as they began to trust their "
        "counsellor.",
        "Young people at the sexual health clinic said the Saturday opening is what makes "
        "it possible for them to come, and asked that it not be cut. Two said the website "
        "still shows the old address.",
    ],
    "additional_needs": [
        "Parent carers at the forum coffee morning said letters about assessment dates "
        "arrive too late to arrange time off work. Families whose children use our holiday "
        "club were positive about staff but unhappy about late cancellations.",
        "Children who use communication aids helped us test a picture version of our "
        "feedback form. They told us they liked choosing the activities and wanted more "
        "time outdoors.",
        "Families on the transport routes told us drivers change too often, which unsettles "
        "children who rely on routine. Two parents praised a driver who learnt some Makaton "
        "to greet their son.",
        "Our annual survey of families waiting for a neurodevelopmental assessment had 64 "
        "replies. The clearest message was that families want to know where they are in "
        "the queue, even if the wait cannot be shorter.",
        "Young people at the Saturday club said the new sensory room is their favourite "
        "place, but that it is often booked by other groups when they arrive.",
        "Parents told our SENDIASS advisers that annual review paperwork arrives the day "
        "before the meeting, leaving no time to read it or ask their child's view.",
        "At the speech and language drop-ins, parents of younger children asked for "
        "sessions in children's centres rather than the hospital, where parking is "
        "difficult and costly.",
        "Children staying for overnight breaks told us, through their key workers, that they "
        "want to bring their own pillows and keep the same bedroom each visit.",
        "Families who left the service this year said the end came suddenly; several did "
        "not know they could ask to come back without a new referral.",
        "Disabled young people on our participation group told us the online booking form "
        "does not work with a screen reader.",
    ],
    "corporate_parenting": [
        "Care leavers on our youth panel said pathway plan meetings are held at times that "
        "clash with college, and that they want to see the plan before the meeting, not "
        "after.",
        "Young people in supported housing told us the key worker rota changes too often "
        "and they have to tell their story again each time.",
        "Foster carers at the support group said the out of hours line is hard to reach at "
        "weekends. Children in their care told their reviewing officers they want more say "
        "in family time arrangements.",
        "Children in care who took part in our health assessment survey said they dislike "
        "being weighed in front of others and would like to see the same nurse each year.",
        "Independent visitors told us young people value outings most when they choose "
        "them. Three young people asked to be matched with someone who shares their "
        "interests.",
        "Care leavers said the setting-up-home allowance does not stretch to a cooker and "
        "a bed, and asked for help to choose second-hand goods safely.",
        "Young people at the Children in Care Council asked why their social workers change "
        "so often, and said a short handover letter would help.",
        "Young people moving on from supported housing told us the first month alone was "
        "the hardest, and asked for a call from their old key worker in that month.",
    ],
    "early_years": [
        "Parents at the Northgate stay and play said they did not know the health visiting "
        "service could visit in the evening. Fathers said letters are always addressed to "
        "the mother.",
        "Childminders at the network meeting asked for more short training sessions in the "
        "evening, and parents said they want to hear about their child's progress in plain "
        "words.",
        "Parents of young disabled children using the home learning service said visits "
        "helped most when the worker showed them activities to repeat between visits.",
    ],
    "domestic_abuse": [
        "Children in the recovery group drew what helped them feel safe: having the same "
        "worker each week came up most often. Mothers asked for sessions during school "
        "hours.",
        "Young people in the refuge told us through their worker that the Wi-Fi is too slow "
        "to do homework, and that they miss their friends from their old school.",
        "Mothers on the outreach programme said the first phone call is the hardest, and "
        "that a text first to agree a safe time to ring would help.",
    ],
    "family_resilience": [
        "Young carers told us the summer activity days were the only break some of them "
        "had, and asked for more of them. Parents said the referral form is too long.",
        "Young people at the detached youth work sessions said they want the van to come "
        "to the estate on Friday nights, when there is nothing else to do.",
        "Parents who finished the parenting course said the group helped as much as the "
        "content. Several asked for a reunion session three months later.",
        "Young people working with our exploitation team told us they trust workers who "
        "keep appointments and do not share what they say without telling them first.",
    ],
}

CHANGED = {
    "health_wellbeing": [
        "Everyone on the waiting list now gets a call from a named worker every six weeks, "
        "and we added two evening clinics at the Riverside site from October.",
        "We wrote a leaflet about moving on to adult services with our youth panel and now "
        "start the conversation at 17, not 17 and a half.",
        "The quiet waiting room at Eastfield is open, and reception staff had a refresher "
        "session on welcoming young people who arrive distressed.",
        "Young people can now text their worker on a service phone, and the youth advisers "
        "chose new posters for school corridors and toilets.",
        "Families on the eating disorders waiting list now get a named contact and a crisis "
        "card; the out of hours line was fixed to reach the on-call nurse.",
        "Counsellors can now offer up to four more sessions when the young person and "
        "counsellor agree it would help.",
        "Saturday clinics are confirmed for next year and the website shows the new address "
        "and a map.",
    ],
    "additional_needs": [
        "Assessment letters now go out at least four weeks ahead, with a text reminder a "
        "week before. Holiday club cancellations are confirmed by 5pm the day before.",
        "The picture feedback form is now used at every session, and we doubled the "
        "outdoor time in the summer programme.",
        "Each route now has a main driver and one named cover driver, and drivers were "
        "offered Makaton taster sessions.",
        "Families waiting for assessment get a letter every three months saying how many "
        "children are ahead of them and what support they can use meanwhile.",
        "The sensory room is kept free for the Saturday club from 10am to 1pm.",
        "We agreed with schools that annual review papers go to families two weeks before "
        "the meeting, with a one-page summary.",
        "Speech and language drop-ins started at two children's centres in September.",
        "Children can bring items from home for overnight stays, and we keep the same room "
        "for each child where we can.",
        "Every family now gets an ending letter that says how to come back without a new "
        "referral within 12 months.",
        "The booking form was rebuilt and tested with two screen reader users from the "
        "participation group.",
    ],
    "corporate_parenting": [
        "Pathway plan meetings are offered after 4pm or at weekends, and young people get "
        "their draft plan three days before.",
        "Each young person now has a named key worker and one back-up, and rota changes are "
        "agreed with them first.",
        "A second on-call worker covers weekends, and reviewing officers now ask children "
        "about family time before every review.",
        "Health assessments are done in a private room, and the same nurse is booked for "
        "each child where possible.",
        "Young people now choose from three possible independent visitors after an "
        "introductory meeting.",
        "We set up a furniture scheme with a local charity so care leavers can choose "
        "checked second-hand goods.",
        "Social workers who move on now write a short letter introducing the next worker, "
        "reviewed by a manager.",
        "Key workers now call each young person twice in their first month after moving on.",
    ],
    "early_years": [
        "We advertise evening visits in the new birth pack, and letters are now addressed to "
        "both parents where we know both.",
        "Three evening training sessions were added for childminders, and progress reports "
        "were rewritten in plain English with parents.",
        "Home learning workers now leave a printed activity card after each visit.",
    ],
    "domestic_abuse": [
        "Group sessions keep the same worker for the whole programme, and a daytime group "
        "started in Southmoor in term time.",
        "The refuge broadband was upgraded, and we now help children keep in touch safely "
        "with friends from their old school.",
        "Outreach workers now text first to agree a safe time before the first call.",
    ],
    "family_resilience": [
        "Two more activity days were added in the October half term, and the referral form "
        "was cut from eight pages to three.",
        "The outreach van now visits the Brookside estate every Friday from 7pm to 10pm.",
        "Every parenting group now has a reunion session three months after it ends.",
        "Workers confirm appointments by text the day before and explain at the first "
        "meeting when they would have to share information.",
    ],
}

# Why a KPI missed its target, by the start of its name (the demo's KPIs, ``P.KPIS``).
OFF_TARGET = {
    "Seen within": "Referrals rose by a fifth after the schools campaign while two clinician "
                   "posts were vacant. Both are now filled and the backlog is falling.",
    "Average wait": "The wait grew while the Eastfield clinic moved building. We ran "
                    "Saturday clinics in the last month to catch up.",
    "Young people who say": "Fewer questionnaires came back from the schools service; we "
                            "have moved to a two-question card at the end of each session.",
    "Families satisfied": "Late cancellations of holiday club sessions, mainly from staff "
                          "sickness in August, brought satisfaction down.",
    "Assessments completed": "Two specialist assessors were on long-term leave; a locum "
                             "started in the last month of the quarter.",
    "Complaints": "Most complaints were about cancelled sessions; each family had a call from "
                  "the service manager.",
    "Care leavers in suitable": "Two young people were placed in emergency accommodation "
                                "while their flats were repaired after a flood.",
    "Pathway plans": "Meetings were rearranged at young people's request to fit college "
                     "timetables; the plans were completed within three weeks of the date.",
    "Placement moves": "Two moves were planned steps to long-term foster families, agreed "
                       "with the young people.",
    "Families reached": "The outreach worker post in the north of the county was vacant for "
                        "two months.",
    "New birth visits": "Staff sickness in the west team delayed some visits; every family "
                        "was phoned within 14 days.",
    "Safety plans": "Referrals arrived without contact details more often this quarter; we "
                    "are working with the police to improve them.",
    "Children completing": "Several families moved out of the area part way through the "
                           "programme.",
    "Families whose needs": "Some cases closed because families moved away before the work "
                            "was finished.",
    "Young people engaged": "Attendance dropped over the summer holidays, as in past years.",
    "Cases re-referred": "Re-referrals were mostly families with a new baby, not the same "
                         "concern again.",
}

CORRECTION = ("The average wait is given in days, not weeks, and the complaints figure "
              "does not match the complaints log we hold for the quarter. Please correct "
              "both and submit again.")


def _narrative(kpi) -> str:
    for start, text in OFF_TARGET.items():
        if kpi.name.startswith(start):
            return text
    return "The figure was below target this period; the reasons were discussed with the team."


class _Words:
    """Heard and changed texts by area, each handed out once while they last."""

    def __init__(self, rng: random.Random):
        self.left = {area: rng.sample(texts, len(texts)) for area, texts in HEARD.items()}
        self.changed = {area: rng.sample(texts, len(texts)) for area, texts in CHANGED.items()}

    def take(self, area: str) -> tuple[str | None, str | None]:
        heard, changed = self.left.get(area) or [], self.changed.get(area) or []
        return (heard.pop() if heard else None, changed.pop() if changed else None)


def _fill(found: PerformanceReturn, contract, review: ContractReview | None, rng, words):
    recorded = {r.kpi_id: r.value for r in (review.kpi_returns if review else [])}
    for kpi in contract.kpis:
        value = recorded.get(kpi.id)
        if value is None:
            wobble = Decimal(rng.uniform(0.85, 1.08)).quantize(Decimal("0.01"))
            value = (kpi.target * wobble).quantize(Decimal("0.1"))
            if kpi.unit == "count":
                value = value.quantize(Decimal("1"))
            if kpi.unit == "%":
                value = min(value, Decimal("100"))
        green = rate(value, kpi.target, kpi.direction, kpi.amber_tolerance) == "green"
        found.values.append(ReturnValue(kpi_id=kpi.id, value=value,
                                        narrative=None if green else _narrative(kpi)))
    found.heard, found.changed = words.take(contract.services[0].thematic_area)
    found.safeguarding_referrals = rng.randint(0, 6)
    found.complaints = rng.randint(0, 4)


def seed_returns(orgs, contracts, users, today) -> str:
    """Add the second provider account and the returns; returns a line for the log."""
    rng = random.Random(2026)
    words = _Words(rng)
    first = users["provider"]
    second = User(email=SECOND_PROVIDER_EMAIL, name="Demo provider (Downs)",
                  password_hash=first.password_hash, organisation=orgs[P.PROVIDERS[1]])
    second.set_roles(["provider"])
    db.session.add(second)
    users["provider_2"] = second
    manager = users["commissioner"]
    made, late = 0, 0
    for contract in contracts:
        kind = "year" if contract.review_frequency == "annual" else "quarter"
        last = last_complete(kind, today)
        before = last.previous()
        owner = contract.provider.name
        reviews = {r.period_start: r for r in contract.reviews}
        if owner == P.PROVIDERS[0]:
            plan = [(before, "draft", first), (last, "submitted", first)]
        elif owner == P.PROVIDERS[1]:
            plan = [(before, "accepted", second), (last, "returned", second)]
        elif kind == "year":
            plan = [(last, rng.choice(["accepted", "submitted"]), None)]
        else:
            plan = [(before, "accepted", None),
                    (last, rng.choice(["submitted", "submitted", "accepted", None]), None)]
        for period, status, author in plan:
            if period.end < contract.start_date or status is None:
                late += status is None
                continue
            found = PerformanceReturn(contract=contract, period_kind=period.kind,
                                      period_start=period.start, period_end=period.end,
                                      status=status)
            _fill(found, contract, reviews.get(period.start), rng, words)
            if status == "draft":  # late: started, never submitted
                late += 1
                found.heard = found.changed = None
                found.values[-1].value = None
                found.values[-1].narrative = None
            else:
                sent = period.end + timedelta(days=rng.randint(8, 26))
                found.submitted_at = min(utcnow(), _noon(sent))
                found.submitted_by = author
                if status in ("accepted", "returned"):
                    found.decided_at = min(utcnow(), _noon(sent + timedelta(days=5)))
                    found.decided_by = manager
                if status == "returned":
                    found.correction_reason = CORRECTION
            db.session.add(found)
            made += 1
    return (f"Returns: {made}, and {late} late (not submitted); a second provider account "
            f"({SECOND_PROVIDER_EMAIL})")


def _noon(day):
    from .. import clock
    return clock.start_of_uk_day(day) + timedelta(hours=12)
