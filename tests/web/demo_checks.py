"""What a new commissioner would check on the demo (issue 15's "done when"), as functions.

Each check takes the app's database session and, where it reads pages, a test client signed
in as a commissioner, and returns a list of problems (empty: the check holds). The slow test
(tests/web/test_demo_walk.py) runs them on a small seed; ``benchmarks/demo_check.py`` runs
them on a full demo database (``make run``'s).

- every theme and sub-theme label follows the engine's label rules (``label_faults`` of
  tests/analysis, the one statement of those rules in the tests);
- no theme or sub-theme page (default filters) and no review pack page or download shows
  the same quote twice (``insight.quotes.quote_key``: case, spacing, punctuation and
  redaction placeholders aside);
- no answer, status change, response, moderation or lead's decision is dated after now;
- every published demo text is left unchanged by ``redaction.redact``;
- every held review's pack is frozen (checked before any pack is opened, since opening a
  held review's pack freezes it), as at its meeting: frozen on the meeting's date, built as
  at that date, its actions as they stood before the providers' later updates, and its Word
  and Excel files say "Meeting held: <date>";
- each contract tells one story: its KPIs are those written for its first service, a
  missed KPI's narrative is the one written with it, a return's "what we heard" and "what
  we changed" are one pair about one of the contract's services, counts are whole numbers,
  a complaints KPI and the return's complaints agree (and the pack's value with the
  return's), and evidence links are the action's own provider's;
- no "Change" card is only praise or thanks (nothing asked for, nothing wrong);
- an action completed by the provider shows one time: its completion update's.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from html import unescape

from tests.analysis.test_two_levels import label_faults

_WORD = re.compile(r"[a-z0-9']+")
# A theme or sub-theme page's quotes, and a pack page's.
_PAGE_QUOTE = re.compile(
    r'<div class="govuk-inset-text app-quote"><p class="govuk-body">&ldquo;(.*?)&rdquo;</p>', re.S)
_PACK_QUOTE = re.compile(r'<blockquote class="govuk-body">\u201c(.*?)\u201d</blockquote>', re.S)


def _all(db, model):
    return db.session.scalars(db.select(model)).all()


def labels(db) -> list[str]:
    """Theme and sub-theme labels that break the engine's label rules."""
    from feedback.theme_store import published_items
    from feedback.models import Subtheme, Theme
    words = {w for item in published_items() for w in _WORD.findall(item.text.lower())}
    problems = []
    themes = [t for t in _all(db, Theme) if t.merged_into_id is None]
    subs = [s for s in _all(db, Subtheme) if s.merged_into_id is None]
    for kind, rows in (("theme", themes), ("sub-theme", subs)):
        for row in rows:
            faults = label_faults(row.label, words)
            if faults:
                problems.append(f"{kind} {row.id} {row.label!r}: {', '.join(faults)}")
    if not themes:
        problems.append("no themes")
    return problems


def repeats(texts) -> list[str]:
    """Texts shown more than once on one page (normalised as quotes are)."""
    from feedback.insight.quotes import quote_key
    counts = Counter(quote_key(t) for t in texts)
    return [t for t in dict.fromkeys(texts) if counts[quote_key(t)] > 1]


def page_quotes(html: str) -> list[str]:
    return [unescape(q).strip() for q in _PAGE_QUOTE.findall(html)]


def pack_quotes(html: str) -> list[str]:
    return [unescape(q).strip() for q in _PACK_QUOTE.findall(html)]


def theme_pages(db, client) -> list[str]:
    """Theme and sub-theme pages, as a commissioner opens them, that repeat a quote."""
    from feedback.models import Subtheme, Theme
    problems, quoted = [], 0
    for theme in [t for t in _all(db, Theme) if t.merged_into_id is None]:
        urls = [f"/insight/themes/{theme.id}"] + [
            f"/insight/themes/{theme.id}/subthemes/{s.id}" for s in _all(db, Subtheme)
            if s.theme_id == theme.id and s.merged_into_id is None]
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                problems.append(f"{url}: status {response.status_code}")
                continue
            quotes = page_quotes(response.get_data(as_text=True))
            quoted += bool(quotes)
            problems += [f"{url} repeats {text!r}" for text in repeats(quotes)]
    if not quoted:
        problems.append("no theme page shows a quote")
    return problems


def _docx_paragraphs(data: bytes) -> list[str]:
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    return [unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<w:p[ >].*?</w:p>", xml,
                                                                    re.S)]


def _xlsx_cells(data: bytes) -> list[str]:
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
            for v in row if isinstance(v, str)]


def _strip_quote_marks(text: str) -> str:
    return text.strip().strip("\u201c\u201d\"").strip()


def review_packs(db, client) -> list[str]:
    """Review pack pages, printable pages and downloads that repeat a quote."""
    from feedback.insight.quotes import quote_key
    from feedback.models import ContractReview
    problems, quoted = [], 0
    for review in _all(db, ContractReview):
        base = f"/contracts/reviews/{review.id}/pack"
        shown = []
        for url in (base, base + "/print"):
            response = client.get(url)
            if response.status_code != 200:
                problems.append(f"{url}: status {response.status_code}")
                continue
            shown = pack_quotes(response.get_data(as_text=True))
            problems += [f"{url} repeats {text!r}" for text in repeats(shown)]
        quoted += bool(shown)
        keys = {quote_key(q) for q in shown}
        for ext, units in (("docx", _docx_paragraphs), ("xlsx", _xlsx_cells)):
            response = client.get(f"{base}.{ext}")
            if response.status_code != 200:
                problems.append(f"{base}.{ext}: status {response.status_code}")
                continue
            texts = [_strip_quote_marks(t) for t in units(response.data)]
            found = [t for t in texts if quote_key(t) in keys]
            problems += [f"{base}.{ext} repeats {text!r}" for text in repeats(found)]
            missing = keys - {quote_key(t) for t in found}
            if missing:
                problems.append(f"{base}.{ext} lacks {len(missing)} of the page's quotes")
    if not quoted:
        problems.append("no review pack shows a quote")
    return problems


def dates(db, now) -> list[str]:
    """Anything dated after ``now``: items' moments, status changes, answers, reviews."""
    from feedback import clock
    from feedback.models import (ActionCard, ContractReview, FeedbackEntry, FrozenPack, MeToo,
                                 Response, StatusChange)
    problems = []
    moments = ("created_at", "moderated_at", "safeguarding_reviewed_at",
               "safeguarding_referred_at", "status_changed_at")
    for model in (ActionCard, FeedbackEntry):
        for item in _all(db, model):
            late = [m for m in moments if getattr(item, m) and getattr(item, m) > now]
            if late:
                problems.append(f"{model.__name__} {item.id}: {', '.join(late)} after now")
    for model, column in ((StatusChange, "changed_at"), (Response, "created_at"),
                          (MeToo, "created_at"), (FrozenPack, "frozen_at")):
        late = [row for row in _all(db, model) if getattr(row, column) > now]
        if late:
            problems.append(f"{len(late)} {model.__name__} rows dated after now")
    today = clock.uk_date_of(now)
    for review in _all(db, ContractReview):
        if review.is_held and review.meeting_date and review.meeting_date > today:
            problems.append(f"review {review.id} held on {review.meeting_date}, after today")
    return problems


def redaction(db) -> list[str]:
    """Published texts of young people and families that the redaction function would
    still change. (Commissioners' answers are staff's words and are not redacted.)"""
    from feedback.models import ActionCard, FeedbackEntry
    from feedback.redaction import redact
    shown = [(f"card {c.id}", c.text_redacted) for c in _all(db, ActionCard) if c.is_published]
    shown += [(f"feedback {e.id}", t) for e in _all(db, FeedbackEntry) if e.is_published
              for t in (e.went_well_redacted, e.could_be_better_redacted)]
    problems = [f"{where}: {text!r} -> {redact(text)!r}" for where, text in shown
                if text and redact(text) != text]
    if not shown:
        problems.append("nothing is published")
    return problems


def frozen_packs(db) -> list[str]:
    """Held reviews whose pack is not frozen, or whose frozen pack cannot be read."""
    from feedback.contracts import frozen
    from feedback.models import ContractReview
    problems = []
    held = [r for r in _all(db, ContractReview) if r.is_held]
    for review in held:
        if review.frozen_pack is None:
            problems.append(f"review {review.id} is held but its pack is not frozen")
            continue
        if review.frozen_pack.digest is None:
            problems.append(f"review {review.id}'s frozen pack has no digest")
            continue
        try:
            frozen.load(review)
        except frozen.FrozenPackDamaged as error:
            problems.append(f"review {review.id}: {error.reason}")
    if not held:
        problems.append("no review is held")
    return problems


def packs_at_meetings(db, client=None) -> list[str]:
    """Held reviews' packs not frozen as at their meeting, or (read through ``client``,
    when given) whose Word or Excel file does not give the meeting's date."""
    from feedback import clock
    from feedback.contracts import frozen
    from feedback.models import ContractReview
    problems = []
    for review in [r for r in _all(db, ContractReview) if r.is_held]:
        if review.frozen_pack is None or review.meeting_date is None:
            continue
        met = review.meeting_date
        on = clock.uk_date_of(review.frozen_pack.frozen_at)
        if on != met:
            problems.append(f"review {review.id}: pack frozen on {on}, meeting on {met}")
        try:
            pack, _about = frozen.load(review)
        except frozen.FrozenPackDamaged:
            continue  # frozen_packs says so
        if pack.generated_on != met:
            problems.append(f"review {review.id}: pack prepared {pack.generated_on}, "
                            f"meeting on {met}")
        shown = {(a.description, a.owner): a for a in pack.actions}
        for action in review.actions:
            row = shown.get((action.description, action.owner))
            status, due = as_agreed(action)
            if row is not None and (row.status, row.due_date) != (status, due):
                problems.append(f"review {review.id}: the pack shows action {action.id} as "
                                f"{row.status} due {row.due_date}, not as agreed "
                                f"({status} due {due})")
        if client is None:
            continue
        held = f"{met:%-d %B %Y}"
        base = f"/contracts/reviews/{review.id}/pack"
        words = client.get(base + ".docx")
        if words.status_code == 200 and f"Meeting held: {held}." not in _docx_paragraphs(
                words.data):
            problems.append(f"{base}.docx does not say \"Meeting held: {held}.\"")
        sheet = client.get(base + ".xlsx")
        if sheet.status_code == 200 and not _xlsx_row(sheet.data, "Meeting held", met):
            problems.append(f"{base}.xlsx has no \"Meeting held\" row for {held}")
    return problems


def as_agreed(action):
    """An action's status and due date at its meeting: before the first of the provider's
    updates (its starting status) and any revised due date (the first due date)."""
    updates = sorted(action.updates, key=lambda u: u.created_at)
    if not updates:
        return action.status, action.due_date
    first_due = [u.previous_due_date for u in updates if u.previous_due_date is not None]
    return updates[0].from_status, first_due[0] if first_due else action.due_date


def _xlsx_row(data: bytes, label: str, value) -> bool:
    from datetime import datetime

    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(data), read_only=True)
    for row in book.worksheets[0].iter_rows(values_only=True):
        if row and row[0] == label:
            found = row[1].date() if isinstance(row[1], datetime) else row[1]
            return found == value
    return False


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def contract_stories(db) -> list[str]:
    """Contracts whose KPIs, narratives, words, counts or evidence tell different stories."""
    from feedback.demo import partnership as P
    from feedback.demo.returns import WORDS
    from feedback.models import ActionUpdate, Contract, PerformanceReturn
    problems = []
    for contract in _all(db, Contract):
        first = contract.services[0]
        written = {name: why for name, *_rest, why in P.kpis_for(first.name,
                                                                  first.thematic_area)}
        names = [k.name for k in contract.kpis]
        if sorted(names) != sorted(written):
            problems.append(f"contract {contract.reference} ({first.name}): KPIs {names} are "
                            "not the ones written for its service")
        pairs = {pair for s in contract.services for pair in WORDS.get(s.name, ())}
        held = {r.period_start: r for r in contract.reviews}
        for found in [r for r in _all(db, PerformanceReturn) if r.contract_id == contract.id]:
            where = f"return {found.id} ({contract.reference})"
            if (found.heard or found.changed) and (found.heard, found.changed) not in pairs:
                problems.append(f"{where}: what was heard and what changed are not one pair "
                                "about the contract's services")
            kpis = {k.id: k for k in contract.kpis}
            for value in found.values:
                kpi = kpis[value.kpi_id]
                if value.narrative and value.narrative != written.get(kpi.name):
                    problems.append(f"{where}: {kpi.name!r} has another KPI's narrative")
                if kpi.unit == "count" and value.value is not None and value.value % 1:
                    problems.append(f"{where}: {kpi.name!r} is {value.value}, not a whole "
                                    "number")
                if (kpi.unit == "count" and kpi.name.startswith("Complaints")
                        and value.value is not None and found.complaints != value.value):
                    problems.append(f"{where}: {kpi.name!r} is {value.value} but the "
                                    f"complaints are {found.complaints}")
                review = held.get(found.period_start)
                shown = {r.kpi_id: r.value for r in (review.kpi_returns if review else [])}
                if value.kpi_id in shown and value.value is not None \
                        and shown[value.kpi_id] != value.value:
                    problems.append(f"{where}: {kpi.name!r} is {value.value}, the review's "
                                    f"{shown[value.kpi_id]}")
        for review in contract.reviews:
            for row in review.kpi_returns:
                if row.kpi.unit == "count" and row.value is not None and row.value % 1:
                    problems.append(f"review {review.id}: {row.kpi.name!r} is {row.value}, "
                                    "not a whole number")
    provider_slugs = {_slug(c.provider.name) for c in _all(db, Contract)}
    for update in _all(db, ActionUpdate):
        if not update.evidence_url:
            continue
        own = _slug(update.action.review.contract.provider.name)
        url = _slug(update.evidence_url)
        others = [s for s in provider_slugs - {own} if s in url]
        if own not in url or others:
            problems.append(f"action {update.action_id}: evidence {update.evidence_url} is "
                            "not in its provider's own folder")
    return problems


# Words of thanks or praise, and words that ask for something or say what is wrong: a
# "Change" card with the first and none of the second asks for no change.
_PRAISE = re.compile(r"\b(nice|kind|patient|best|love|loved|great|good|brilliant|amazing|"
                     r"helped|helpful|lovely|fab|awesome|favourite|thank|thanks|happy|fun|"
                     r"cool|legend|calm)\b", re.I)
_ASKS = re.compile(r"\b(please|pls|plz|want|wants|wish|should|could|can|can'?t|cant|need|"
                   r"needs|more|less|fewer|stop|start|keep|let|allow|ask|don'?t|dont|do not|"
                   r"not|no|never|nothing|would|instead|too|why|only|without|wait|waiting|"
                   r"late|nobody|again|better|but|tho|though|until|shut|cold|hard|chaos|half|"
                   r"didn'?t|isn'?t|wasn'?t|missed|cringe|ironic|rang out|bring|stressed|"
                   r"went back)\b", re.I)


def praise_only(text: str) -> bool:
    """The text thanks or praises and neither asks for anything nor says what is wrong."""
    return bool(_PRAISE.search(text)) and not _ASKS.search(text)


def card_kinds(db) -> list[str]:
    """"Change" cards whose text is only praise: not a request to stop, start or change."""
    from feedback.models import ActionCard
    return [f"card {c.id} (Change): {c.text!r} asks for nothing" for c in _all(db, ActionCard)
            if c.kind == "change" and praise_only(c.text)]


def action_times(db) -> list[str]:
    """Actions marked completed by the provider at another minute (the pages show minutes)
    than the update that marked them."""
    from feedback.models import ReviewAction
    problems = []
    for action in _all(db, ReviewAction):
        if action.completion_claimed_at is None:
            continue
        claims = [u.created_at for u in action.updates if u.kind == "completion_claimed"]
        if not claims:
            problems.append(f"action {action.id} is marked completed with no update saying so")
        elif abs((action.completion_claimed_at - max(claims)).total_seconds()) >= 60:
            problems.append(f"action {action.id}: completed at {action.completion_claimed_at}, "
                            f"its update at {max(claims)}")
    return problems


def run_all(db, client, now) -> dict[str, list[str]]:
    """Every check, frozen packs first (opening a pack would freeze it)."""
    return {
        "held reviews' packs are frozen": frozen_packs(db),
        "held reviews' packs are frozen as at their meetings": packs_at_meetings(db, client),
        "each contract's KPIs, narratives, words and evidence agree": contract_stories(db),
        "no praise is filed as a Change card": card_kinds(db),
        "a completed action shows one completion time": action_times(db),
        "labels follow the engine's rules": labels(db),
        "no theme or sub-theme page repeats a quote": theme_pages(db, client),
        "no review pack page or download repeats a quote": review_packs(db, client),
        "nothing dated after now": dates(db, now),
        "published texts have nothing left to redact": redaction(db),
    }
