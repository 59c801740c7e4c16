"""Shared by the language tests: compiled catalogues, the catalogues' entries, page text."""
from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
LOCALES = {"cy": "cy", "easy": "en_001"}  # the choice -> its catalogue (feedback/i18n.py)


def compile_catalogues() -> None:
    """Build each .mo from its .po when missing or older (what `make install` does)."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalogue = read_po(handle, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalogue)


@lru_cache(maxsize=None)
def catalogue(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def template():
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        return read_po(handle)


# The public journeys: every word they show is translated into each language. Everything else
# (staff pages, emails, exports) is marked for translation but shown in English for now.
PUBLIC_TEMPLATES = (
    "base.html",
    "main/index.html", "main/help.html", "main/accessibility.html", "main/privacy.html",
    "cards/_help_now.html", "cards/_help_adults.html", "cards/_kind_pictures.html",
    "cards/_service_search.html",
    "cards/about.html", "cards/check.html", "cards/confirmation.html", "cards/contact.html",
    "cards/delete_confirm.html", "cards/deleted.html", "cards/kind.html", "cards/service.html",
    "cards/service_cards.html", "cards/service_cards_problem.html", "cards/service_list.html",
    "cards/service_page.html", "cards/start.html", "cards/text.html", "cards/track.html",
    "cards/tracked.html",
    "family/feedback_new.html", "family/feedback_sent.html", "family/too_many.html",
    "errors/error.html", "errors/503.html",
    "_macros/pagination.html", "provider/_replies.html",
    "insight/you_said_we_did.html",
)
PUBLIC_MODULES = (
    "feedback/i18n.py", "feedback/cards/forms.py", "feedback/cards/routes.py",
    "feedback/cards/service_routes.py", "feedback/family/forms.py", "feedback/family/routes.py",
    "feedback/insight/public.py", "feedback/ratification/state.py",
    "feedback/widgets.py", "feedback/models/replies.py",
)
PUBLIC_SOURCES = frozenset((*(f"templates/{name}" for name in PUBLIC_TEMPLATES), *PUBLIC_MODULES))


@lru_cache(maxsize=None)
def public_ids() -> frozenset:
    """The catalogue entries a public page can show: those extracted from a public source."""
    return frozenset(message.id for message in template() if message.id and any(
        path in PUBLIC_SOURCES for path, _ in message.locations))


class _Text(HTMLParser):
    """Visible text and the attributes people hear (alt, title, aria-label, placeholder)."""

    SPOKEN = ("alt", "title", "aria-label", "placeholder")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.parts.extend(value for name, value in attrs if name in self.SPOKEN and value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def text_pieces(markup: str) -> set[str]:
    """Each piece of text a page shows or speaks (a text node, an alt or aria-label), with
    letters in it, spaces tidied."""
    parser = _Text()
    parser.feed(markup)
    return {re.sub(r"\s+", " ", part).strip() for part in parser.parts
            if re.search(r"[A-Za-z]{3}", part)}


def fragments(message: str) -> list[str]:
    """The fixed words of a message: placeholders and markup taken out, entities decoded."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", message.replace("%%", "%")))
    return [re.sub(r"\s+", " ", part).strip()
            for part in re.split(r"%\([a-z_]+\)s|%\{count\}", plain) if part.strip()]


# --- the public pages a language walk must visit ----------------------------------------

def public_get_endpoints(app) -> set[str]:
    """Every endpoint that answers GET and follows the language choice (``PUBLIC_BLUEPRINTS``
    and ``PUBLIC_ENDPOINTS`` in feedback/i18n.py): the pages a language walk must visit."""
    from feedback.i18n import PUBLIC_BLUEPRINTS, PUBLIC_ENDPOINTS
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods
            and (rule.endpoint in PUBLIC_ENDPOINTS
                 or rule.endpoint.rpartition(".")[0] in PUBLIC_BLUEPRINTS)}


def endpoint_of(app, url: str) -> str:
    """The endpoint that answers ``url`` by GET, else by POST ("404" when none does)."""
    from werkzeug.exceptions import MethodNotAllowed, NotFound
    path = re.sub(r"^https?://[^/]+", "", url).split("#")[0].partition("?")[0]
    adapter = app.url_map.bind("localhost")
    try:
        return adapter.match(path, method="GET")[0]
    except MethodNotAllowed:
        return adapter.match(path, method="POST")[0]
    except NotFound:
        return "404"


def answered_card_with_reply(db, service, code: str):
    """A published card about ``service`` with the receipt code ``code``, answered "not
    possible" with a reason and an answer, and a provider's published reply: the track page
    with everything it can show. Returns the card (committed)."""
    from feedback import receipts
    from feedback.cards.status import change_status
    from feedback.models import Organisation, ProviderReply
    from tests.factories import make_card, make_user
    card = make_card(db, service=service, text="Stop the trip fees", kind="stop",
                     receipt_hash=receipts.receipt_hash(code))
    provider = Organisation(name=f"Provider of {service.name}", kind="provider")
    db.session.add(provider)
    db.session.flush()
    db.session.add(ProviderReply(card_id=card.id, provider_id=provider.id,
                                 body="We are looking at cheaper trips",
                                 body_redacted="We are looking at cheaper trips",
                                 moderation_state="approved", moderated_at=card.created_at,
                                 safeguarding_flagged=False))
    change_status(card, "not_possible", make_user(db, "commissioner"),
                  reason="The council sets the fees",
                  response="We asked the council to keep the fees low for young people in care.")
    return card


# Enough answered cards about one service for a second page of its "me too" cards (20 a page)
# and of "you said, we did" (25 a page): the pagination in each language.
MANY_CARDS = tuple(f"More trips please, idea {n}" for n in range(26))


def many_answered_cards(db, service) -> None:
    from tests.factories import build_card
    kinds = ("stop", "start", "change")
    db.session.add_all(build_card(text, service=service, kind=kinds[n % 3], status="done",
                                  me_too_count=n)
                       for n, text in enumerate(MANY_CARDS))
    db.session.flush()
