"""Demo Performance Monitoring Form returns, and a second provider account.

The first two providers (``partnership.PROVIDERS[0]`` and ``[1]``) each have an account
(``provider@`` and ``provider_2@demo.invalid``). Their contracts' returns show every
state a commissioner meets: the first provider's return for the quarter before last is
late (a draft never submitted, so overdue), the second's for the last quarter was
returned for correction with a reason and its earlier one accepted; other providers'
returns for the quarter before last are submitted or accepted. The figures match the
held reviews' KPI returns where a review exists, so the pack and the return agree.
The words are written per service, each heard-and-changed pair together and used once;
KPI narratives come with the contract's KPIs (``partnership.kpis_for``), and where a
contract has a complaints KPI the return's complaints count is the same whole number.
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

WORDS = {
    "Children and Young People's Mental Health Service (CAMHS)": [
        ("Young people at our Tuesday drop-in told us the wait for a first appointment feels "
         "longer than it is because nobody rings them while they wait. Three parents said "
         "the same at the Vale forum meeting.",
         "Everyone on the waiting list now gets a call from a named worker every six weeks, "
         "and we added two evening clinics at the Riverside site from October."),
        ("Our exit questionnaire (112 returned) shows most young people felt listened to, but "
         "a group of 16 and 17 year olds said they were talked to as if they were much "
         "younger, and several did not know what happens when they turn 18.",
         "We wrote a leaflet about moving on to adult services with our youth panel and now "
         "start the conversation at 17, not 17 and a half."),
        ("Feedback cards in the waiting room asked for appointments after school and for "
         "somewhere quieter to wait. Two young people said reception staff were kind when "
         "they arrived upset.",
         "The quiet waiting room at Eastfield is open, and reception staff had a refresher "
         "session on welcoming young people who arrive distressed."),
    ],
    "Mental Health Support Teams in Schools": [
        ("Pupils in two secondary schools said the wellbeing group clashed with lunch, so "
         "going to it meant missing food and time with friends.",
         "The wellbeing groups moved to the last lesson of the day, agreed with each school."),
    ],
    "School Nursing Service": [
        ("Our youth advisers ran a session in two secondary schools. Pupils said they would "
         "rather text a school nurse than phone, and that posters about the service are only "
         "in the medical room, where nobody goes unless they are ill.",
         "Pupils can now text the school nursing team on a service phone, and the youth "
         "advisers chose new posters for school corridors and toilets."),
    ],
    "Eating Disorders Service": [
        ("Parents of children waiting for the eating disorders team told us they did not "
         "know who to call if things got worse while they waited. One mother said the out "
         "of hours number went to a voicemail.",
         "Families on the eating disorders waiting list now get a named contact and a crisis "
         "card; the out of hours line was fixed to reach the on-call nurse."),
    ],
    "Youth Counselling Service": [
        ("In the counselling service's end of sessions survey, young people valued choosing "
         "where to meet. Several said six sessions ended just as they began to trust their "
         "counsellor.",
         "Counsellors can now offer up to four more sessions when the young person and "
         "counsellor agree it would help."),
        ("Young people on the waiting list told us they did not know whether they were still "
         "on it, and two said they had given up waiting.",
         "Everyone waiting now gets a text every four weeks saying they are still on the "
         "list, with a number to ring if things get worse."),
    ],
    "Sexual Health Service for Young People": [
        ("Young people at the sexual health clinic said the Saturday opening is what makes "
         "it possible for them to come, and asked that it not be cut. Two said the website "
         "still shows the old address.",
         "Saturday clinics are confirmed for next year and the website shows the new address "
         "and a map."),
    ],
    "Short Breaks Programme": [
        ("Children who use communication aids helped us test a picture version of our "
         "feedback form. They told us they liked choosing the activities and wanted more "
         "time outdoors.",
         "The picture feedback form is now used at every session, and we doubled the "
         "outdoor time in the summer programme."),
        ("Young people at the Saturday club said the new sensory room is their favourite "
         "place, but that it is often booked by other groups when they arrive.",
         "The sensory room is kept free for the Saturday club from 10am to 1pm."),
        ("Children staying for overnight breaks told us, through their key workers, that they "
         "want to bring their own pillows and keep the same bedroom each visit.",
         "Children can bring items from home for overnight stays, and we keep the same room "
         "for each child where we can."),
    ],
    "Speech and Language Therapy": [
        ("At the speech and language drop-ins, parents of younger children asked for "
         "sessions in children's centres rather than the hospital, where parking is "
         "difficult and costly.",
         "Speech and language drop-ins started at two children's centres in September."),
        ("Parents said they did not know what to practise at home between therapy sessions, "
         "and teachers asked to see the targets too.",
         "Each child now leaves every session with a one-page practice sheet, and a copy goes "
         "to their school with the family's agreement."),
    ],
    "Occupational Therapy for Children": [
        ("Families who left the service this year said the end came suddenly; several did "
         "not know they could ask to come back without a new referral.",
         "Every family now gets an ending letter that says how to come back without a new "
         "referral within 12 months."),
    ],
    "SEND Transport": [
        ("Families on the transport routes told us drivers change too often, which unsettles "
         "children who rely on routine. Two parents praised a driver who learnt some Makaton "
         "to greet their son.",
         "Each route now has a main driver and one named cover driver, and drivers were "
         "offered Makaton taster sessions."),
        ("Parents at the forum said they wait at the door not knowing whether the minibus is "
         "coming when it runs late, and that nobody rings them.",
         "Families now get a text from the transport office when a pick-up will be more than "
         "ten minutes late."),
    ],
    "Autism and ADHD Assessment Pathway": [
        ("Our annual survey of families waiting for a neurodevelopmental assessment had 64 "
         "replies. The clearest message was that families want to know where they are in "
         "the queue, even if the wait cannot be shorter.",
         "Families waiting for assessment get a letter every three months saying how many "
         "children are ahead of them and what support they can use meanwhile."),
        ("Parent carers at the forum coffee morning said letters about assessment dates "
         "arrive too late to arrange time off work.",
         "Assessment letters now go out at least four weeks ahead, with a text reminder a "
         "week before."),
    ],
    "SEND Information, Advice and Support Service": [
        ("Parents told our SENDIASS advisers that annual review paperwork arrives the day "
         "before the meeting, leaving no time to read it or ask their child's view.",
         "We agreed with schools that annual review papers go to families two weeks before "
         "the meeting, with a one-page summary."),
        ("Families said it can take days to reach an adviser by phone, and that they do not "
         "know whether their message was received.",
         "A call-back service started: every message gets a text to say it was received and "
         "a call from an adviser within two working days."),
    ],
    "Inclusive Play Schemes": [
        ("Families whose children use our holiday club were positive about staff but unhappy "
         "about late cancellations, often on the morning itself.",
         "Holiday club cancellations are now confirmed by 5pm the day before, by text and by "
         "phone."),
        ("Disabled young people on our participation group told us the online booking form "
         "does not work with a screen reader.",
         "The booking form was rebuilt and tested with two screen reader users from the "
         "participation group."),
    ],
    "Supported Accommodation for Care Leavers": [
        ("Young people in supported housing told us the key worker rota changes too often "
         "and they have to tell their story again each time.",
         "Each young person now has a named key worker and one back-up, and rota changes are "
         "agreed with them first."),
        ("Young people moving on from supported housing told us the first month alone was "
         "the hardest, and asked for a call from their old key worker in that month.",
         "Key workers now call each young person twice in their first month after moving on."),
    ],
    "Fostering Service": [
        ("Foster carers at the support group said the out of hours line is hard to reach at "
         "weekends. Children in their care told their reviewing officers they want more say "
         "in family time arrangements.",
         "A second on-call worker covers weekends, and reviewing officers now ask children "
         "about family time before every review."),
        ("Young people at the Children in Care Council asked why their social workers change "
         "so often, and said a short handover letter would help.",
         "Social workers who move on now write a short letter introducing the next worker, "
         "reviewed by a manager."),
    ],
    "Leaving Care Personal Advisers": [
        ("Care leavers on our youth panel said pathway plan meetings are held at times that "
         "clash with college, and that they want to see the plan before the meeting, not "
         "after.",
         "Pathway plan meetings are offered after 4pm or at weekends, and young people get "
         "their draft plan three days before."),
        ("Care leavers said the setting-up-home allowance does not stretch to a cooker and "
         "a bed, and asked for help to choose second-hand goods safely.",
         "We set up a furniture scheme with a local charity so care leavers can choose "
         "checked second-hand goods."),
    ],
    "Independent Visitors Scheme": [
        ("Independent visitors told us young people value outings most when they choose "
         "them. Three young people asked to be matched with someone who shares their "
         "interests.",
         "Young people now choose from three possible independent visitors after an "
         "introductory meeting."),
    ],
    "Children in Care Health Team": [
        ("Children in care who took part in our health assessment survey said they dislike "
         "being weighed in front of others and would like to see the same nurse each year.",
         "Health assessments are done in a private room, and the same nurse is booked for "
         "each child where possible."),
    ],
    "Family Centres": [
        ("Parents at the Northgate stay and play said the sessions are always in the "
         "morning, when working parents cannot come.",
         "A Saturday morning stay and play started at Northgate and a Thursday evening one at "
         "Southmoor."),
    ],
    "Health Visiting Service": [
        ("Parents at the Northgate stay and play said they did not know the health visiting "
         "service could visit in the evening. Fathers said letters are always addressed to "
         "the mother.",
         "We advertise evening visits in the new birth pack, and letters are now addressed to "
         "both parents where we know both."),
    ],
    "Early Years Inclusion Service": [
        ("Childminders at the network meeting asked for more short training sessions in the "
         "evening, and parents said they want to hear about their child's progress in plain "
         "words.",
         "Three evening training sessions were added for childminders, and progress reports "
         "were rewritten in plain English with parents."),
    ],
    "Portage Home Visiting": [
        ("Parents of young disabled children using the home learning service said visits "
         "helped most when the worker showed them activities to repeat between visits.",
         "Home learning workers now leave a printed activity card after each visit."),
    ],
    "Domestic Abuse Outreach for Families": [
        ("Mothers on the outreach programme said the first phone call is the hardest, and "
         "that a text first to agree a safe time to ring would help.",
         "Outreach workers now text first to agree a safe time before the first call."),
        ("Older children told their outreach workers they wanted a safety plan of their own, "
         "not only their mother's.",
         "Every child over 8 now makes their own safety plan with their worker, in their own "
         "words."),
    ],
    "Children's Domestic Abuse Recovery Groups": [
        ("Children in the recovery group drew what helped them feel safe: having the same "
         "worker each week came up most often. Mothers asked for sessions during school "
         "hours.",
         "Group sessions keep the same worker for the whole programme, and a daytime group "
         "started in Southmoor in term time."),
    ],
    "Refuge Children's Workers": [
        ("Young people in the refuge told us through their worker that the Wi-Fi is too slow "
         "to do homework, and that they miss their friends from their old school.",
         "The refuge broadband was upgraded, and we now help children keep in touch safely "
         "with friends from their old school."),
    ],
    "Early Help Family Support": [
        ("Parents told us they had to repeat their story to every new worker, and asked for "
         "one worker who knows the whole family.",
         "Each family now keeps one lead worker from the first visit to the end of the work."),
    ],
    "Youth Service": [
        ("Young people at the detached youth work sessions said they want the van to come "
         "to the estate on Friday nights, when there is nothing else to do.",
         "The outreach van now visits the Brookside estate every Friday from 7pm to 10pm."),
    ],
    "Young Carers Service": [
        ("Young carers told us the summer activity days were the only break some of them "
         "had, and asked for more of them. Parents said the referral form is too long.",
         "Two more activity days were added in the October half term, and the referral form "
         "was cut from eight pages to three."),
        ("Young carers said their schools did not know they were carers, so they were told "
         "off for late homework.",
         "With their agreement, we now write to each young carer's school, and six schools "
         "have named a young carers lead."),
    ],
    "Parenting Programmes": [
        ("Parents who finished the parenting course said the group helped as much as the "
         "content. Several asked for a reunion session three months later.",
         "Every parenting group now has a reunion session three months after it ends."),
    ],
    "Targeted Youth Support": [
        ("Young people working with our exploitation team told us they trust workers who "
         "keep appointments and do not share what they say without telling them first.",
         "Workers confirm appointments by text the day before and explain at the first "
         "meeting when they would have to share information."),
    ],
}

CORRECTION = ("The average wait is given in days, not weeks, and the complaints figure "
              "does not match the complaints log we hold for the quarter. Please correct "
              "both and submit again.")


def _narrative(contract, kpi) -> str:
    """Why ``kpi`` missed its target: the words written with the contract's KPIs."""
    first = contract.services[0]
    for name, _target, _unit, _direction, why in P.kpis_for(first.name, first.thematic_area):
        if name == kpi.name:
            return why
    return "The figure was below target this period; the reasons were discussed with the team."


class _Words:
    """Heard-and-changed pairs by service, each handed out once while they last."""

    def __init__(self, rng: random.Random):
        self.left = {service: rng.sample(pairs, len(pairs)) for service, pairs in WORDS.items()}

    def take(self, contract) -> tuple[str | None, str | None]:
        """A pair about one of ``contract``'s services (the first that has one left)."""
        for service in contract.services:
            pairs = self.left.get(service.name)
            if pairs:
                return pairs.pop()
        return None, None


def _is_complaints(kpi) -> bool:
    return kpi.unit == "count" and kpi.name.startswith("Complaints")


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
                                        narrative=None if green else _narrative(contract, kpi)))
    found.safeguarding_referrals = rng.randint(0, 6)
    found.complaints = rng.randint(0, 4)
    # A complaints KPI and the complaints count are the same figure.
    for kpi, row in zip(contract.kpis, found.values):
        if _is_complaints(kpi):
            found.complaints = None if row.value is None else int(row.value)
    if found.status != "draft":
        found.heard, found.changed = words.take(contract)


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
                if _is_complaints(contract.kpis[-1]):
                    found.complaints = None
            else:
                sent = period.end + timedelta(days=rng.randint(8, 26))
                held = reviews.get(period.start)
                if held is not None and held.meeting_date is not None:
                    # Submitted and decided before the meeting whose pack quotes it.
                    sent = min(sent, held.meeting_date - timedelta(days=7))
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
