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

# KPI templates per thematic area: (name, target, unit, direction)
KPIS = {
    "health_wellbeing": [("Seen within 18 weeks of referral", 92, "%", "higher"),
                         ("Average wait for first appointment", 6, "weeks", "lower"),
                         ("Young people who say they were listened to", 85, "%", "higher")],
    "additional_needs": [("Families satisfied with the service", 80, "%", "higher"),
                         ("Assessments completed within 12 weeks", 90, "%", "higher"),
                         ("Complaints per quarter", 5, "count", "lower")],
    "corporate_parenting": [("Care leavers in suitable accommodation", 95, "%", "higher"),
                            ("Pathway plans reviewed on time", 90, "%", "higher"),
                            ("Placement moves in the period", 3, "count", "lower")],
    "early_years": [("Families reached in the most deprived areas", 70, "%", "higher"),
                    ("New birth visits within 14 days", 95, "%", "higher")],
    "domestic_abuse": [("Safety plans in place within 5 days", 90, "%", "higher"),
                       ("Children completing a recovery programme", 75, "%", "higher")],
    "family_resilience": [("Families whose needs were met at closure", 75, "%", "higher"),
                          ("Young people engaged for 3 months or more", 60, "%", "higher"),
                          ("Cases re-referred within 12 months", 15, "%", "lower")],
}

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
