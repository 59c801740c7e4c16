"""The two public journeys, as a person's browser makes them (no JavaScript).

Each journey uses its own ``requests.Session`` (its own cookie, so its own
draft and CSRF token), follows every redirect and reads the CSRF token from
the page it was given, as a browser would. A journey is *confirmed* only
when the confirmation page arrives; that is the count compared with the rows
saved.
"""
from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field

import requests

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"')
SERVICE_RADIO = re.compile(r'name="service" type="radio" value="(\d+)"')
SERVICE_OPTION = re.compile(r'<option value="(\d+)"')
TIMEOUT = 60  # generous: a slow answer still counts, so saved rows match confirmations

WORDS = ("youth club", "bus pass", "social worker", "school nurse", "CAMHS", "waiting list",
         "respite", "short breaks", "the app", "my key worker", "letters", "phone calls")


@dataclass
class Outcome:
    kind: str
    confirmed: bool = False
    error: str | None = None
    latencies: list[tuple[str, float]] = field(default_factory=list)


class _Timed:
    def __init__(self, outcome: Outcome, http: requests.Session, base: str):
        self.outcome, self.http, self.base = outcome, http, base

    def __call__(self, method: str, path: str, label: str, **kwargs) -> requests.Response:
        start = time.perf_counter()
        response = self.http.request(method, self.base + path, timeout=TIMEOUT, **kwargs)
        elapsed = time.perf_counter() - start
        self.outcome.latencies.append((label, elapsed))
        if response.status_code >= 400:
            raise JourneyError(f"{label}: HTTP {response.status_code}")
        return response


class JourneyError(Exception):
    pass


def _csrf(page: requests.Response) -> str:
    match = CSRF.search(page.text)
    if not match:
        raise JourneyError(f"no CSRF token on {page.url}")
    return match.group(1)


def _sentence(rng: random.Random) -> str:
    return (f"Please {rng.choice(('stop', 'start', 'keep'))} the {rng.choice(WORDS)} "
            f"{rng.choice(('changing', 'being late', 'on Saturdays', 'without telling us'))}. "
            f"Ref {rng.randrange(10**9)}")


def card_journey(base: str, rng: random.Random) -> Outcome:
    """Service, kind, text, about, contact, check, confirmation: 13 requests."""
    outcome = Outcome("card")
    with requests.Session() as http:
        go = _Timed(outcome, http, base)
        try:
            page = go("GET", "/cards/new", "card:service")
            services = SERVICE_RADIO.findall(page.text)
            if not services:
                raise JourneyError("no services to choose from")
            page = go("POST", "/cards/new", "card:service+kind", data={
                "csrf_token": _csrf(page), "service": rng.choice(services)})
            page = go("POST", "/cards/new/kind", "card:kind+text", data={
                "csrf_token": _csrf(page), "kind": rng.choice(("stop", "start", "change"))})
            page = go("POST", "/cards/new/text", "card:text+about", data={
                "csrf_token": _csrf(page), "text": _sentence(rng)})
            page = go("POST", "/cards/new/about", "card:about+contact", data={
                "csrf_token": _csrf(page), "age_band": rng.choice(("none", "11-13", "16-17"))})
            page = go("POST", "/cards/new/contact", "card:contact+check", data={
                "csrf_token": _csrf(page), "method": "none"})
            token = TOKEN.search(page.text)
            if not token:
                raise JourneyError("no one-time token on the check page")
            page = go("POST", "/cards/new/check", "card:send+confirmation", data={
                "csrf_token": _csrf(page), "token": token.group(1)})
            outcome.confirmed = page.url.endswith("/cards/new/done") and page.status_code == 200
            if not outcome.confirmed:
                raise JourneyError(f"card ended at {page.url}")
        except (requests.RequestException, JourneyError) as exc:
            outcome.error = f"{exc.__class__.__name__}: {exc}"[:200]
    return outcome


def feedback_journey(base: str, rng: random.Random) -> Outcome:
    """The one-page family feedback form and its confirmation: 3 requests."""
    outcome = Outcome("feedback")
    with requests.Session() as http:
        go = _Timed(outcome, http, base)
        try:
            page = go("GET", "/feedback/new", "feedback:form")
            services = SERVICE_OPTION.findall(page.text)
            token = TOKEN.search(page.text)
            if not services or not token:
                raise JourneyError("feedback form without services or token")
            page = go("POST", "/feedback/new", "feedback:send+confirmation", data={
                "csrf_token": _csrf(page), "token": token.group(1),
                "service": rng.choice(services), "respondent_type": "parent_carer",
                "rating": str(rng.randint(1, 5)), "went_well": _sentence(rng),
                "could_be_better": _sentence(rng)})
            outcome.confirmed = page.url.endswith("/feedback/sent") and page.status_code == 200
            if not outcome.confirmed:
                raise JourneyError(f"feedback ended at {page.url}")
        except (requests.RequestException, JourneyError) as exc:
            outcome.error = f"{exc.__class__.__name__}: {exc}"[:200]
    return outcome


def baseline_submission(base: str, rng: random.Random) -> Outcome:
    """One POST to the minimal app (``baseline_app.py``)."""
    outcome = Outcome("baseline")
    with requests.Session() as http:
        go = _Timed(outcome, http, base)
        try:
            page = go("POST", "/submit", "baseline:insert", data={"text": _sentence(rng)})
            outcome.confirmed = page.status_code == 201
        except (requests.RequestException, JourneyError) as exc:
            outcome.error = f"{exc.__class__.__name__}: {exc}"[:200]
    return outcome
