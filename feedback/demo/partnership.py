"""The demo partnership: a county council, two NHS boards, districts in four
quadrants, providers, services, a parent carer forum and contracts.

Plain data only; ``seed.py`` turns it into rows.
"""
from __future__ import annotations

COUNCIL = "Shire County Council"
NHS_BOARDS = ("Shire and Vale NHS Integrated Care Board", "Northern Downs NHS Integrated Care Board")
FORUMS = ("Shire Family Voice", "Vale Parent Carer Forum")
YOUTH_GROUPS = ("Shire Youth Council", "Children in Care Council")

# Quadrant -> districts and boroughs (11 in all).
AREAS = {
    "North East": ["Elmbridge Vale", "Runnymoor"],
    "North West": ["Spelthorne Heath", "Surrey Heath Borough", "Woking Common"],
    "South East": ["Tandridge Weald", "Reigate and Banstead Downs", "Mole Valley"],
    "South West": ["Guildford Downs", "Waverley Hills", "Epsom and Ewell"],
}
ICS_PLACES = {"Shire and Vale NHS Integrated Care Board": ["North East", "North West", "South East"],
              "Northern Downs NHS Integrated Care Board": ["South West"]}

PROVIDERS = (
    "Shire Children and Family Health Trust", "Downs Mental Health Partnership NHS Trust",
    "BrightPath Youth Services", "Little Acorns Family Centres CIC", "Harbour Supported Living",
    "Together Short Breaks", "Speak Up Therapy Partnership", "SafeHaven Domestic Abuse Services",
    "Shire Fostering Network", "Shire Passenger Transport", "Kindle Early Years Trust",
    "Open Door Young Carers", "Compass Care Leavers Service", "Rainbow Play and Leisure",
    "Shire County Council In-house Services",
)

# (name, plain name for young people, thematic area, provider index, min age, max age, description)
SERVICES = (
    ("Children and Young People's Mental Health Service (CAMHS)", "CAMHS: help with feelings and mental health", "health_wellbeing", 1, 5, 18, "Specialist mental health assessment and treatment."),
    ("Mental Health Support Teams in Schools", "Mental health help at school", "health_wellbeing", 1, 5, 18, "Early help with anxiety and low mood in schools."),
    ("Eating Disorders Service", "Help with eating problems", "health_wellbeing", 1, 8, 18, "Community eating disorders service."),
    ("School Nursing Service", "School nurses", "health_wellbeing", 0, 5, 19, "Health advice, drop-ins and immunisations."),
    ("Youth Counselling Service", "Counselling for young people", "health_wellbeing", 2, 11, 25, "Free short-term counselling."),
    ("Sexual Health Service for Young People", "Sexual health clinic for young people", "health_wellbeing", 0, 13, 25, "Confidential sexual health clinics."),
    ("Short Breaks Programme", "Short breaks and activities", "additional_needs", 5, 5, 18, "Activities and overnight breaks for disabled children."),
    ("Speech and Language Therapy", "Speech and language therapy", "additional_needs", 6, 0, 18, "Help with communication and swallowing."),
    ("Occupational Therapy for Children", "Occupational therapy", "additional_needs", 0, 0, 18, "Help with everyday skills and equipment."),
    ("SEND Transport", "School transport", "additional_needs", 9, 4, 25, "Home to school transport for children with SEND."),
    ("Autism and ADHD Assessment Pathway", "Autism and ADHD assessments", "additional_needs", 0, 4, 18, "Neurodevelopmental assessment."),
    ("SEND Information, Advice and Support Service", "SEND advice service", "additional_needs", 14, 0, 25, "Impartial advice on SEND and EHC plans."),
    ("Inclusive Play Schemes", "Holiday play schemes", "additional_needs", 13, 5, 18, "Holiday clubs with extra support."),
    ("Supported Accommodation for Care Leavers", "Supported housing for care leavers", "corporate_parenting", 4, 16, 25, "Supported housing with key workers."),
    ("Fostering Service", "Foster care", "corporate_parenting", 8, 0, 18, "Recruitment and support of foster carers."),
    ("Leaving Care Personal Advisers", "Personal advisers for care leavers", "corporate_parenting", 12, 16, 25, "Pathway planning and support."),
    ("Independent Visitors Scheme", "Independent visitors", "corporate_parenting", 14, 8, 18, "Volunteer visitors for children in care."),
    ("Children in Care Health Team", "Health checks for children in care", "corporate_parenting", 0, 0, 18, "Statutory health assessments."),
    ("Family Centres", "Family centres", "early_years", 3, 0, 11, "Stay and play, parenting support, early help."),
    ("Health Visiting Service", "Health visitors", "early_years", 0, 0, 5, "Health visiting for families with young children."),
    ("Early Years Inclusion Service", "Extra help at nursery", "early_years", 10, 0, 5, "Support for nurseries and childminders."),
    ("Portage Home Visiting", "Portage home visits", "early_years", 10, 0, 5, "Home learning for young disabled children."),
    ("Domestic Abuse Outreach for Families", "Help when someone at home is hurting people", "domestic_abuse", 7, 0, 25, "Outreach and safety planning."),
    ("Children's Domestic Abuse Recovery Groups", "Groups for children after domestic abuse", "domestic_abuse", 7, 5, 18, "Recovery programmes for children."),
    ("Refuge Children's Workers", "Children's workers at refuges", "domestic_abuse", 7, 0, 18, "Support for children living in refuges."),
    ("Early Help Family Support", "Family support workers", "family_resilience", 14, 0, 18, "Whole-family early help."),
    ("Youth Service", "Youth clubs and youth workers", "family_resilience", 2, 11, 19, "Youth centres, detached youth work."),
    ("Young Carers Service", "Young carers support", "family_resilience", 11, 8, 25, "Support, breaks and assessments for young carers."),
    ("Parenting Programmes", "Parenting courses", "family_resilience", 3, 0, 18, "Group and one-to-one parenting support."),
    ("Targeted Youth Support", "Youth workers for young people at risk", "family_resilience", 2, 11, 19, "Support for young people at risk of exploitation."),
)

# KPI templates per thematic area: (name, target, unit, direction, why it missed its
# target: the provider's narrative in a return and the commentary in a review pack).
# A contract takes the KPIs of its first service: ``SERVICE_KPIS`` where that service
# measures something else than its area's usual KPIs (``kpis_for``).
KPIS = {
    "health_wellbeing": [
        ("Seen within 18 weeks of referral", 92, "%", "higher",
         "Referrals rose by a fifth after the schools campaign while two clinician posts were "
         "vacant. Both are now filled and the backlog is falling."),
        ("Average wait for first appointment", 6, "weeks", "lower",
         "The wait grew while the Eastfield clinic moved building. We ran Saturday clinics in "
         "the last month to catch up."),
        ("Young people who say they were listened to", 85, "%", "higher",
         "Fewer questionnaires came back from the schools service; we have moved to a "
         "two-question card at the end of each session.")],
    "additional_needs": [
        ("Families satisfied with the service", 80, "%", "higher",
         "Families told us the wait for a first appointment was the main reason for a lower "
         "score; we now write to them every three months while they wait."),
        ("Assessments completed within 12 weeks", 90, "%", "higher",
         "Two specialist assessors were on long-term leave; a locum started in the last month "
         "of the quarter."),
        ("Complaints per quarter", 5, "count", "lower",
         "Most complaints were about waiting times; each family had a call from the service "
         "manager.")],
    "corporate_parenting": [
        ("Care leavers in suitable accommodation", 95, "%", "higher",
         "Two young people were placed in emergency accommodation while their flats were "
         "repaired after a flood."),
        ("Pathway plans reviewed on time", 90, "%", "higher",
         "Meetings were rearranged at young people's request to fit college timetables; the "
         "plans were completed within three weeks of the date."),
        ("Placement moves in the period", 3, "count", "lower",
         "Two moves were planned steps to long-term foster families, agreed with the young "
         "people.")],
    "early_years": [
        ("Families reached in the most deprived areas", 70, "%", "higher",
         "The outreach worker post in the north of the county was vacant for two months."),
        ("New birth visits within 14 days", 95, "%", "higher",
         "Staff sickness in the west team delayed some visits; every family was phoned within "
         "14 days.")],
    "domestic_abuse": [
        ("Safety plans in place within 5 days", 90, "%", "higher",
         "Referrals arrived without contact details more often this quarter; we are working "
         "with the police to improve them."),
        ("Children completing a recovery programme", 75, "%", "higher",
         "Several families moved out of the area part way through the programme.")],
    "family_resilience": [
        ("Families whose needs were met at closure", 75, "%", "higher",
         "Some cases closed because families moved away before the work was finished."),
        ("Young people engaged for 3 months or more", 60, "%", "higher",
         "Attendance dropped over the summer holidays, as in past years."),
        ("Cases re-referred within 12 months", 15, "%", "lower",
         "Re-referrals were mostly families with a new baby, not the same concern again.")],
}

SERVICE_KPIS = {
    "SEND Transport": [
        ("Journeys arriving at school on time", 95, "%", "higher",
         "Roadworks on the A31 delayed the two Southmoor routes for six weeks; both routes now "
         "leave ten minutes earlier."),
        ("Routes with the same driver all term", 85, "%", "higher",
         "Two drivers left in the summer and their routes were covered by agency drivers until "
         "the new drivers started."),
        ("Complaints about journeys", 4, "count", "lower",
         "Most complaints were about late pick-ups on the Southmoor routes; each family had a "
         "call from the transport manager.")],
    "Short Breaks Programme": [
        ("Families satisfied with the service", 80, "%", "higher",
         "Late cancellations of Saturday club sessions, mainly from staff sickness in August, "
         "brought satisfaction down."),
        ("Planned short break sessions that went ahead", 95, "%", "higher",
         "Staff sickness in August cancelled eleven Saturday sessions; bank staff now cover "
         "gaps at short notice."),
        ("Complaints per quarter", 5, "count", "lower",
         "Most complaints were about cancelled sessions; each family had a call from the "
         "service manager.")],
    "Inclusive Play Schemes": [
        ("Families satisfied with the service", 80, "%", "higher",
         "Families were unhappy that fewer holiday club days were offered this summer than "
         "last."),
        ("Children needing extra support who were offered a place", 90, "%", "higher",
         "Two schemes could not recruit enough one-to-one workers; those children were "
         "offered places at the Eastfield scheme."),
        ("Complaints per quarter", 5, "count", "lower",
         "Most complaints were about the number of days and the price; each family had a "
         "reply within ten working days.")],
    "SEND Information, Advice and Support Service": [
        ("Enquiries answered within 5 working days", 90, "%", "higher",
         "Enquiries rose after the changes to EHC plan reviews while one adviser post was "
         "vacant."),
        ("Families satisfied with the advice", 85, "%", "higher",
         "Families said it took too long to reach an adviser by phone; a call-back service "
         "started in the last month."),
        ("Complaints per quarter", 3, "count", "lower",
         "Complaints were about waiting for a call back; each family had an apology and a "
         "named adviser.")],
    "Fostering Service": [
        ("Children in the same foster home for 2 years or more", 70, "%", "higher",
         "Three long-term placements ended with a planned move to family members."),
        ("Foster carer reviews held on time", 95, "%", "higher",
         "Two supervising social worker posts were vacant; the late reviews are booked for "
         "next month."),
        ("Placement moves in the period", 3, "count", "lower",
         "Two moves were planned steps to long-term foster families, agreed with the young "
         "people.")],
    "Independent Visitors Scheme": [
        ("Children matched with a visitor within 3 months", 80, "%", "higher",
         "Fewer volunteers came forward over the summer; a recruitment campaign starts next "
         "month."),
        ("Matches lasting a year or more", 75, "%", "higher",
         "Four volunteers moved away from the county and their matches ended early."),
        ("Visits that went ahead as planned", 90, "%", "higher",
         "Visits were cancelled when children moved placement at short notice.")],
    "Early Years Inclusion Service": [
        ("Nurseries visited within 4 weeks of a request", 90, "%", "higher",
         "Requests doubled at the start of the autumn term while one inclusion officer post "
         "was vacant."),
        ("Children with an agreed support plan at nursery", 85, "%", "higher",
         "Several plans waited for a meeting with parents that had to be rearranged.")],
    "Youth Service": [
        ("Youth sessions held as planned", 95, "%", "higher",
         "Detached sessions were cancelled on nights when two workers were not available."),
        ("Young people engaged for 3 months or more", 60, "%", "higher",
         "Attendance dropped over the summer holidays, as in past years."),
        ("Young people who say they have a trusted adult at the club", 80, "%", "higher",
         "Two youth centres changed staff this quarter; young people said they did not know "
         "the new workers yet.")],
}


def kpis_for(service_name: str, area: str) -> list[tuple]:
    """The KPIs of a contract whose first service is ``service_name``."""
    return SERVICE_KPIS.get(service_name) or KPIS[area]


# Agreed actions of the demo's held reviews, per thematic area.
REVIEW_ACTIONS = {
    "health_wellbeing": [
        "Provider to publish waiting times on its website and write to families on the list every 6 weeks.",
        "Provider to offer evening appointments at two sites and report attendance at the next review.",
        "Provider and adult services to agree a transition protocol starting at 17 and a half.",
    ],
    "additional_needs": [
        "Provider to tell families about any cancelled session at least 24 hours ahead, and report how often it could not.",
        "Provider to set out the waiting list for each assessment by month of referral at every review.",
        "Provider to run two parent listening events a year with the parent carer forum and bring what they heard.",
    ],
    "corporate_parenting": [
        "Provider to report repairs outstanding for more than 10 working days, with reasons.",
        "Provider to make sure every young person meets their new worker before a handover.",
        "Provider to ask the Children in Care Council to review its letters and leaflets this year.",
    ],
    "early_years": [
        "Provider to restore face-to-face 6-8 week checks and report the share done by phone.",
        "Provider to add weekend sessions in the two areas with the fewest families reached.",
    ],
    "domestic_abuse": [
        "Provider to make sure every child over 5 has their own safety plan, and report the share.",
        "Provider to report the wait from referral to first contact each month.",
    ],
    "family_resilience": [
        "Provider to offer contact by text and report how many families chose it.",
        "Provider to run sessions in the villages named by young people and report attendance.",
        "Provider to agree one shared plan per young person with schools and the police.",
    ],
}

# Agreed actions for services whose area's actions do not fit them: a contract takes these
# where its first service has them, else its area's (``actions_for``).
SERVICE_ACTIONS = {
    "SEND Transport": [
        "Provider to give each route a main driver and a named cover driver, and report the routes that changed driver.",
        "Provider to text families when a pick-up will be more than 10 minutes late, and report how often it happened.",
    ],
    "Short Breaks Programme": [
        "Provider to tell families about any cancelled session at least 24 hours ahead, and report how often it could not.",
        "Provider to keep the sensory room free for the Saturday club and report any clashes.",
    ],
    "Inclusive Play Schemes": [
        "Provider to publish next summer's dates and prices by March, and report how many families booked.",
        "Provider to make the booking form work with a screen reader and test it with disabled young people.",
    ],
    "SEND Information, Advice and Support Service": [
        "Provider to call back every family within 2 working days, and report the share it missed.",
        "Provider to run two workshops a year on annual reviews with the parent carer forum.",
    ],
    "Fostering Service": [
        "Provider to staff the out of hours line at weekends and report calls that were not answered.",
        "Provider to ask every child about family time before each review, and report the share asked.",
    ],
    "Independent Visitors Scheme": [
        "Provider to offer each child a choice of visitor after an introductory meeting.",
        "Provider to report children waiting more than 3 months for a visitor, with reasons.",
    ],
    "Early Years Inclusion Service": [
        "Provider to visit each nursery within 4 weeks of a request, and report the share visited.",
        "Provider to write progress reports in plain English, checked with two parents.",
    ],
    "Leaving Care Personal Advisers": [
        "Provider to offer pathway plan meetings after 4pm or at weekends, and report the share held then.",
        "Provider to make sure every care leaver meets their new adviser before a handover.",
    ],
    "Youth Service": [
        "Provider to run detached sessions on the estates named by young people and report attendance.",
        "Provider to offer contact by text and report how many young people chose it.",
    ],
}


def actions_for(service_name: str, area: str) -> list[str]:
    """The actions a held review of a contract whose first service is ``service_name``
    may agree."""
    return SERVICE_ACTIONS.get(service_name) or REVIEW_ACTIONS[area]
