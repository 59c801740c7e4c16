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
  held review's pack freezes it).
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


def run_all(db, client, now) -> dict[str, list[str]]:
    """Every check, frozen packs first (opening a pack would freeze it)."""
    return {
        "held reviews' packs are frozen": frozen_packs(db),
        "labels follow the engine's rules": labels(db),
        "no theme or sub-theme page repeats a quote": theme_pages(db, client),
        "no review pack page or download repeats a quote": review_packs(db, client),
        "nothing dated after now": dates(db, now),
        "published texts have nothing left to redact": redaction(db),
    }
