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


def fragments(message: str) -> list[str]:
    """The fixed words of a message: placeholders and markup taken out, entities decoded."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", message.replace("%%", "%")))
    return [re.sub(r"\s+", " ", part).strip()
            for part in re.split(r"%\([a-z_]+\)s|%\{count\}", plain) if part.strip()]
