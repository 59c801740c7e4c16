"""Fixtures for the analysis tests: small fixed corpora; no web app is built here."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("ANALYSIS_DATA_DIR", REPO.parent / "shared" / "data"))


WAITING = [
    "Waited eighteen months for a CAMHS appointment, the waiting list is far too long",
    "The CAMHS waiting list is too long, we waited a year for an assessment",
    "Still on the waiting list for CAMHS after months of waiting",
    "Long waiting list for the CAMHS assessment and no updates while waiting",
    "We are waiting for a CAMHS appointment, the wait is far too long",
    "CAMHS waiting times are far too long for my daughter",
    "Months on the CAMHS waiting list with no appointment",
    "The wait for CAMHS was too long and we felt forgotten on the waiting list",
]
TRANSPORT = [
    "School transport was late every morning and the bus driver changed",
    "The school bus did not turn up so he missed school",
    "School transport taxi was late again and the driver was rude",
    "Please sort out the school transport, the bus is always late",
    "My son gets anxious because school transport keeps changing the bus driver",
    "The taxi for school transport came late and he missed his lessons",
    "School bus late again, transport team did not answer the phone",
    "The transport to school was late every day this term",
]
LISTENING = [
    "The staff really listened to me and understood what I needed",
    "My social worker listened and helped me feel heard",
    "Staff listened to my son and were kind and patient",
    "The youth worker listened to me and made me feel safe",
    "Kind staff who listened to what we had to say",
    "The worker listened to me and I felt understood",
    "Staff were patient and listened to my daughter",
    "They listened to us and were kind to my children",
]
BREAKS = [
    "Short breaks give us a rest and the children love the activities",
    "The short breaks club is brilliant and the activities are fun",
    "Short breaks at the weekend are a lifeline for our family",
    "We need more short breaks in the holidays for disabled children",
    "Short breaks activities were fun and the staff at the club were great",
    "The short breaks scheme gave my son fun activities with friends",
    "More short breaks please, the holiday activities are brilliant",
    "Short breaks funding was cut and we lost our weekend activities",
]
CORPUS = WAITING + TRANSPORT + LISTENING + BREAKS
GOLD = ["waiting"] * 8 + ["transport"] * 8 + ["listening"] * 8 + ["breaks"] * 8


@pytest.fixture
def corpus():
    return list(CORPUS), list(GOLD)


@pytest.fixture
def data_dir():
    if not (DATA_DIR / "nhs-feedback-themes.csv").is_file():
        pytest.skip("shared data folder not present")
    return DATA_DIR
