"""A small template grammar that writes believable, varied demo text.

Each topic has openings and reasons; sentences are assembled at random with a
seeded ``random.Random`` so the demo is the same on every machine. No text
here is real; names and numbers are invented to exercise redaction.
"""
from __future__ import annotations

import random

# topic -> (card kinds it suits, phrases for the "what", phrases for the "why")
CARD_TOPICS = {
    "waiting": (("change", "stop"),
                ["waiting so long for my first appointment", "the waiting list being months long",
                 "waiting ages to hear back after I was referred", "having to wait a year to be seen"],
                ["I felt like nobody cared while I waited", "things got worse while I was waiting",
                 "my mum had to keep ringing to chase it", "I didn't know if I was even on the list"]),
    "listening": (("start", "change"),
                  ["workers actually listening to what I say", "asking me before making decisions about me",
                   "letting me speak without my parents in the room", "using the words I use not big words"],
                  ["it is my life and my plan", "I stop talking when people talk over me",
                   "adults decide things and I only find out after", "I understand more than they think"]),
    "changing_workers": (("stop",),
                         ["changing my worker every few months", "sending a new social worker every time",
                          "moving my key worker without telling me", "having agency staff who don't know me"],
                         ["I have to tell my story again and again", "I can't trust someone I just met",
                          "it makes me feel like a case not a person", "I had five workers in two years"]),
    "online": (("start",),
               ["a way to message my worker instead of phoning", "an app to book and change appointments",
                "online sessions for when I can't get there", "texts to remind me about appointments"],
               ["I get anxious on the phone", "the bus takes over an hour",
                "I forget the dates sometimes", "it would fit around college"]),
    "transport": (("change", "stop"),
                  ["the school taxi turning up late", "changing my bus driver without warning",
                   "the long routes that pick everyone up first", "cancelling transport at short notice"],
                  ["I miss the start of lessons", "change makes me really anxious",
                   "I am on the bus for nearly two hours a day", "my dad loses work when he has to drive me"]),
    "activities": (("start", "change"),
                   ["more clubs in the holidays", "activities for older teenagers not just little kids",
                    "youth club on Friday nights", "trips that wheelchair users can go on too"],
                   ["there is nothing to do round here", "I get bored and lonely in the holidays",
                    "my friends all go and I can't", "it stops people getting into trouble"]),
    "money_housing": (("change", "start"),
                      ["help with budgeting when I move into my own flat", "the rules about my leaving care grant",
                       "how long repairs take in supported housing", "help to find somewhere near my college"],
                      ["I ran out of money for food", "nobody explained what I could claim",
                       "the heating was broken for weeks", "I had to travel miles every day"]),
    "school": (("change", "start"),
               ["how my EHCP is written", "support in lessons when I get overwhelmed",
                "a quiet room I can go to at lunch", "teachers knowing about my autism"],
               ["I keep getting sent out", "the noise is too much for me",
                "my plan says one thing and school does another", "I want to stay in class"]),
    "health_checks": (("stop", "change"),
                      ["doing my health check at school where people see", "asking the same questions every year",
                       "booking appointments in school time", "the long forms at the clinic"],
                      ["it is embarrassing", "nothing changes after", "I miss lessons I need",
                       "I don't understand what they are for"]),
    "praise": (("start", "change"),
               ["keeping the drop-in sessions because they really help", "doing more of the group sessions",
                "telling other young people about this service", "letting my worker stay with me longer"],
               ["my worker is amazing and really gets me", "it is the only place I feel listened to",
                "it helped me so much", "I made friends there"]),
}

AREA_TOPICS = {
    "health_wellbeing": ["waiting", "listening", "online", "changing_workers", "praise"],
    "additional_needs": ["waiting", "transport", "activities", "school", "listening", "praise"],
    "corporate_parenting": ["changing_workers", "money_housing", "health_checks", "listening", "praise"],
    "early_years": ["activities", "waiting", "online", "praise"],
    "domestic_abuse": ["listening", "online", "changing_workers", "praise"],
    "family_resilience": ["activities", "listening", "changing_workers", "online", "praise"],
}

FEEDBACK_WELL = [
    "The staff were kind and patient with my son.", "Our key worker always rings back the same day.",
    "The short break gave us a weekend to rest as a family.", "They explained the plan clearly and in writing.",
    "My daughter loves the Saturday club and has made friends.", "The therapist gave us exercises we can do at home.",
    "Reception staff were friendly and the room was calm.", "They listened to what we said about sensory needs.",
    "The assessment was thorough and the report was useful.", "We felt included in decisions for the first time.",
    "Nothing went well this time.", "Communication has improved since the new manager started.",
]
FEEDBACK_BETTER = [
    "We waited 14 months for an assessment and heard nothing in between.",
    "Nobody told us the appointment had been cancelled until we arrived.",
    "The transport changes every term and my child finds it very distressing.",
    "Too many different workers; we have to repeat everything each time.",
    "The forms are long and confusing and there is no help filling them in.",
    "Holiday provision is full within hours of booking opening.",
    "Staff did not understand my child's autism and made things worse.",
    "Please answer emails; the phone line is always engaged.",
    "The EHCP review was late again and the plan is out of date.",
    "Parking at the clinic is impossible with a wheelchair.",
    "Nothing, it is a brilliant service.", "More sessions please, six is not enough.",
    "Information about what is available locally is hard to find.",
    "Respite was cut with no explanation and we are exhausted.",
]
PERSONAL_DETAILS = [
    " My name is Jordan Smith and you can text me on 07700 900123.",
    " Email me at sam.taylor@example.com if you want.", " I go to Oakfield Academy.",
    " We live at 12 Mill Lane, GU1 4AB.", "",
]
CONCERNING = [
    "sometimes i dont want to be alive anymore and nobody at the service notices",
    "my stepdad hits me when he has been drinking and i dont want to go home",
    "theres older boys making me carry stuff for them and they said theyd hurt my sister",
    "my carer locks me in my room and doesnt give me dinner",
    "i have been cutting myself again since they stopped my sessions",
    "a worker at the home grabbed me and it really hurt, im scared to say",
    "i ran away from my placement last week and slept at the station",
    "im not alright, i feel like ending it",
]


def card_text(rng: random.Random, thematic_area: str) -> tuple[str, str]:
    """Return (kind, text) for a card about a service in ``thematic_area``."""
    topic = rng.choice(AREA_TOPICS.get(thematic_area, list(CARD_TOPICS)))
    kinds, whats, whys = CARD_TOPICS[topic]
    kind = rng.choice(kinds)
    what, why = rng.choice(whats), rng.choice(whys)
    lead = {"stop": "Please stop", "start": "Please start", "change": "Please change"}[kind]
    style = rng.random()
    if style < 0.4:
        text = f"{lead} {what}. {why[0].upper()}{why[1:]}."
    elif style < 0.7:
        text = f"{what[0].upper()}{what[1:]} because {why}"
    elif style < 0.85:
        text = f"{lead.lower()} {what} cos {why}!!"
    else:
        text = f"I want you to {kind} {what}. {why[0].upper()}{why[1:]}. Thank you for asking us."
    if rng.random() < 0.06:
        text += rng.choice(PERSONAL_DETAILS)
    return kind, text


def feedback_text(rng: random.Random, rating: int) -> tuple[str, str]:
    """Return (what went well, what could be better) consistent with ``rating``."""
    well = rng.choice(FEEDBACK_WELL if rating >= 3 else FEEDBACK_WELL[-3:] + FEEDBACK_WELL[:4])
    better = rng.choice(FEEDBACK_BETTER[-4:] if rating >= 5 else FEEDBACK_BETTER)
    if rng.random() < 0.05:
        better += rng.choice(PERSONAL_DETAILS)
    return well, better


def concerning_text(rng: random.Random) -> str:
    return rng.choice(CONCERNING)
