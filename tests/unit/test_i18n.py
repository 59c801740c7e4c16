"""The translation seam without a request: every public template marked, the catalogues
complete and marked for review, labels from tables translatable, Welsh text routed to a person."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment

from feedback.language_screen import WELSH_REASON, looks_welsh, unscreened_reason
from tests.i18n_helpers import (LOCALES, PUBLIC_SOURCES, PUBLIC_TEMPLATES, ROOT, catalogue,
                                compile_catalogues, public_ids, template)

TEMPLATES = ROOT / "templates"

# Every template's words are marked for translation (docs/i18n.md).
ALL_TEMPLATES = sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))

# Keys of GOV.UK macro parameters whose value is shown or spoken.
SHOWN_KEYS = ("text", "html", "titleText", "visuallyHiddenText", "textareaDescriptionText",
              "navigationLabel", "menuButtonText", "landmarkLabel", "aria-label", "one", "other")
LETTERS = re.compile(r"[A-Za-z]")


class _Unmarked(HTMLParser):
    SPOKEN = ("alt", "title", "aria-label", "placeholder")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found.extend(f'{name}="{value}"' for name, value in attrs
                          if name in self.SPOKEN and value and LETTERS.search(value))

    def handle_data(self, data):
        if LETTERS.search(data):
            self.found.append(data.strip())


_LEXER = Environment(extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)


def unmarked_text(source: str) -> list[str]:
    """Words a template shows that are not inside ``_()``, ``{% trans %}`` or a variable:
    text between tags, spoken attributes, and GOV.UK macro parameters given a bare string."""
    found, html, in_trans, block = [], [], False, []
    tokens = [(kind, value) for _, kind, value in _LEXER.lex(source)
              if kind not in ("whitespace", "comment_begin", "comment", "comment_end")]
    for i, (kind, value) in enumerate(tokens):
        if kind == "block_begin":
            block = []
        elif kind == "name" and not block:
            block = [value]
            if value == "trans":
                in_trans = True
            elif value == "endtrans":
                in_trans = False
        elif kind == "data" and not in_trans:
            html.append(value)
        elif kind == "string" and i >= 2 and tokens[i - 1] == ("operator", ":") \
                and tokens[i - 2][0] == "string" and tokens[i - 2][1][1:-1] in SHOWN_KEYS \
                and LETTERS.search(value):
            found.append(f"{tokens[i - 2][1]}: {value}")
    parser = _Unmarked()
    parser.feed("".join(html))
    return found + parser.found


@pytest.fixture(scope="module", autouse=True)
def compiled():
    compile_catalogues()


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_every_template_has_no_unmarked_text(name):
    assert unmarked_text((TEMPLATES / name).read_text(encoding="utf-8")) == []


def test_the_templates_are_found():
    assert len(ALL_TEMPLATES) > 100 and set(PUBLIC_TEMPLATES) <= set(ALL_TEMPLATES)


def test_the_unmarked_text_check_can_fail():
    assert unmarked_text('<p class="govuk-body">Hello</p>') == ["Hello"]
    assert unmarked_text('<img src="x" alt="A dog">') == ['alt="A dog"']
    assert unmarked_text("{{ govukButton({'text': 'Start'}) }}") == ["'text': 'Start'"]
    assert unmarked_text("{{ x({'hint': {'text': 'Pick one'}}) }}<p>Hi</p>") == [
        "'text': 'Pick one'", "Hi"]
    assert unmarked_text("<p>{{ _('Hello') }} {% trans %}Hi <b>you</b>{% endtrans %}</p>") == []


def test_every_public_template_is_listed():
    """A new public card or family page must join the list (or be a staff page)."""
    listed = set(PUBLIC_TEMPLATES)
    for path in (TEMPLATES / "cards").glob("*.html"):
        assert f"cards/{path.name}" in listed, path.name
    assert {f"templates/{name}" for name in PUBLIC_TEMPLATES} <= PUBLIC_SOURCES


@pytest.mark.parametrize("locale", LOCALES.values())
def test_catalogues_translate_every_string_and_mark_it_for_review(locale):
    pot, po = template(), catalogue(locale)
    wanted = {m.id for m in pot if m.id}
    have = {m.id: m for m in po if m.id}
    assert wanted - set(have) == set(), "run make i18n-update, then translate the new entries"
    assert public_ids() and public_ids() <= wanted
    for msgid, message in have.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if msgid not in public_ids() and not any(strings):
            continue  # a staff page's words: marked, shown in English for now
        assert all(strings), f"untranslated: {msgid!r}"
        assert "fuzzy" not in message.flags, f"fuzzy entries are not compiled: {msgid!r}"
        assert any(c.startswith("needs review by") for c in message.auto_comments) or any(
            c.lower().startswith("reviewed") for c in message.user_comments), msgid
        source = " ".join(msgid) if isinstance(msgid, tuple) else msgid
        for string in strings:
            assert set(re.findall(r"%\(\w+\)s", string)) <= set(
                re.findall(r"%\(\w+\)s", source)), f"unknown placeholder in {string!r}"
            # a lone % would break the formatting the page does (newstyle gettext)
            assert "%" not in re.sub(r"%%|%\(\w+\)s", "", string), string


def test_welsh_catalogue_names_its_plural_rule_and_says_it_is_unreviewed():
    po = catalogue("cy")
    assert po.num_plurals == 6
    note = po.get("This translation has not been checked by a fluent Welsh speaker yet.")
    assert "heb ei adolygu" in note.string


def test_labels_from_tables_are_all_translatable():
    from feedback.i18n import LABELS
    from feedback.models.cards import CARD_KINDS
    from feedback.models.family import RATINGS, RESPONDENT_TYPES
    from feedback.models.services import THEMATIC_AREAS_PLAIN
    from feedback.models.submissions import (AGE_BANDS, CHILD_AGE_BANDS, STATUSES,
                                            WAITING_LABELS)
    from feedback.permissions import PUBLIC_NAVIGATION
    from feedback.security import ERROR_TITLES
    shown = [*CARD_KINDS.values(), *THEMATIC_AREAS_PLAIN.values(), *STATUSES.values(),
             *WAITING_LABELS.values(),
             *AGE_BANDS.values(), *CHILD_AGE_BANDS.values(), *RESPONDENT_TYPES.values(),
             *RATINGS.values(), *ERROR_TITLES.values(),
             *(label for label, _ in PUBLIC_NAVIGATION)]
    assert [label for label in shown if label not in LABELS] == []


def test_every_service_category_and_card_kind_has_a_picture():
    from feedback.models.cards import CARD_KINDS
    from feedback.models.services import THEMATIC_AREAS_PLAIN
    for key in [*CARD_KINDS, *THEMATIC_AREAS_PLAIN]:
        svg = (ROOT / "static" / "icons" / f"{key}.svg").read_text()
        assert svg.startswith("<svg") and 'aria-hidden="true"' in svg


@pytest.mark.parametrize("text", [
    "Dw i ddim yn hoffi'r clwb ieuenctid achos mae'r athrawon yn gas efo fi",
    "Mae angen mwy o help yn yr ysgol gyda fy ngwaith cartref",
    "Dydy'r gweithiwr cymdeithasol byth yn ateb y ffôn pan dw i'n ffonio",
])
def test_welsh_text_is_recognised(text):
    assert looks_welsh(text)
    assert unscreened_reason("", text) == WELSH_REASON


@pytest.mark.parametrize("text", [
    "I want the youth club to open at the weekend because there is nothing to do",
    "Stop making me wait a year for CAMHS, I am at a school in the town",
    "a i o am at dim help",
    "",
    None,
])
def test_english_and_short_text_are_left_to_the_screen(text):
    assert not looks_welsh(text)
    assert unscreened_reason(text) is None


def test_a_welsh_page_holds_even_english_words():
    assert unscreened_reason("The club is great", page_language="cy") == WELSH_REASON
    assert unscreened_reason("The club is great", page_language="easy") is None
