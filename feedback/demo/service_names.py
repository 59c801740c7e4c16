"""Other names for the demo services: what young people and families call them.

Plain data, keyed by the service's name in ``partnership.SERVICES``; loaded by
``admin.service_names.add_default_names`` (the demo seed calls it). Search
and imports find a service by these (``feedback/services_search.py``).
"""
from __future__ import annotations

OTHER_NAMES = {
    "Children and Young People's Mental Health Service (CAMHS)": (
        "CAMHS", "Child and Adolescent Mental Health",
        "CYPMHS", "mental health team", "psychiatrist", "psychologist", "therapist",
        "anxiety", "depression", "self-harm"),
    "Mental Health Support Teams in Schools": (
        "MHST", "mental health support team", "school counsellor", "wellbeing practitioner",
        "anxiety", "worry", "stress"),
    "Eating Disorders Service": (
        "eating disorder", "anorexia", "bulimia", "food", "eating problems"),
    "School Nursing Service": ("school nurse", "nurse", "drop-in", "vaccinations", "jabs"),
    "Youth Counselling Service": (
        "counsellor", "counselling", "therapist", "talking therapy",
        "someone to talk to"),
    "Sexual Health Service for Young People": (
        "sexual health", "contraception", "condoms", "STI testing"),
    "Short Breaks Programme": ("short breaks", "respite", "activities", "days out"),
    "Speech and Language Therapy": ("SALT", "speech therapist", "stammer"),
    "Occupational Therapy for Children": ("OT", "occupational therapist", "equipment",
                                          "sensory"),
    "SEND Transport": ("taxi", "taxi to school", "bus", "school bus", "minibus",
                       "travel to school", "transport", "passenger assistant", "escort"),
    "Autism and ADHD Assessment Pathway": ("autism", "ADHD", "ASD", "diagnosis",
                                           "neurodevelopmental"),
    "SEND Information, Advice and Support Service": (
        "SENDIASS", "IASS", "EHCP", "EHC plan", "education health and care plan",
        "special needs advice"),
    "Inclusive Play Schemes": ("holiday club", "play scheme", "summer club", "holiday play"),
    "Supported Accommodation for Care Leavers": (
        "supported housing", "supported lodgings", "semi-independent", "hostel", "flat",
        "key worker", "housing"),
    "Fostering Service": ("foster", "foster carer", "foster care",
                          "foster placement", "supervising social worker", "social worker"),
    "Leaving Care Personal Advisers": (
        "PA", "personal adviser", "leaving care", "leaving care team",
        "care leaver", "after care", "pathway plan"),
    "Independent Visitors Scheme": ("independent visitor", "IV", "volunteer visitor",
                                    "befriender"),
    "Children in Care Health Team": ("looked after children nurse", "LAC nurse",
                                     "health assessment", "medical", "health check"),
    "Family Centres": ("children's centre", "stay and play", "family hub", "baby group"),
    "Health Visiting Service": ("health visitor", "baby clinic", "HV"),
    "Early Years Inclusion Service": ("nursery", "childminder", "pre-school", "SENCO"),
    "Portage Home Visiting": ("portage", "home visits", "home learning"),
    "Domestic Abuse Outreach for Families": (
        "domestic abuse", "domestic violence", "DV", "outreach worker", "safety plan",
        "IDVA"),
    "Children's Domestic Abuse Recovery Groups": ("recovery group", "domestic abuse group",
                                                  "group work"),
    "Refuge Children's Workers": ("refuge", "women's refuge", "safe house"),
    "Early Help Family Support": (
        "family support worker", "early help", "early help worker", "family worker",
        "social worker", "social work", "social services"),
    "Youth Service": ("youth club", "youth centre", "youth worker",
                      "detached youth work", "drop-in"),
    "Young Carers Service": ("young carer", "caring for someone at home"),
    "Parenting Programmes": ("parenting course", "parenting class", "parent group",
                             "Triple P", "parenting"),
    "Targeted Youth Support": ("youth worker", "exploitation", "county lines",
                               "youth offending", "mentor", "key worker"),
}
