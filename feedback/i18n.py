"""Languages of the public pages: English, Welsh (cy) and easy read.

The one home of the language choice. ``select_locale`` is Flask-Babel's locale selector:
a ``lang`` query parameter (then remembered in the ``lang`` cookie by ``remember_choice``),
else the cookie, else English. Staff pages stay English: their words are marked but not
translated yet (docs/i18n.md), so only the public endpoints below follow the choice.

Easy read is a language of its own. Babel accepts only CLDR locales, so its catalogue is
kept under ``en_001`` ("English (world)"), an English locale this UK platform uses for
nothing else; the page itself says ``lang="en"`` and the choice is called ``easy``.
"""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlencode

from babel.dates import get_month_names
from flask import Flask, g, has_request_context, request, url_for
from flask_babel import Babel, LazyString, get_locale, gettext
from markupsafe import Markup, escape
from werkzeug.routing import BuildError

COOKIE = "lang"
COOKIE_SECONDS = 365 * 24 * 3600

# choice -> (Babel locale, html lang, name shown in that language)
LANGUAGES = {
    "en": ("en", "en", "English"),
    "cy": ("cy", "cy", "Cymraeg"),
    "easy": ("en_001", "en", "Easy read"),
}

# Endpoints whose templates are marked for translation (PUBLIC_TEMPLATES in
# tests/unit/test_i18n.py lists their templates). Error pages follow the choice wherever they are shown.
PUBLIC_BLUEPRINTS = {"cards"}
PUBLIC_ENDPOINTS = {"main.index", "main.help_now", "main.accessibility", "main.privacy",
                    "family.feedback_start", "family.feedback_sent", "insight.you_said_we_did"}

babel = Babel()


class _LazyText(LazyString):
    """A lazy translation that the page escapes like any other text (Flask-Babel's own
    ``LazyString`` passes itself off as safe HTML)."""

    def __html__(self):
        return escape(str(self))


def lazy_gettext(string: str, **variables) -> LazyString:
    """``_l`` in forms: translated when shown, in the language of that request."""
    return _LazyText(gettext, string, **variables)


def N_(text: str) -> str:
    """Marks a label kept elsewhere (a model's or menu's table) for extraction; the
    ``t`` filter translates it where a public page shows it."""
    return text


# Labels public pages show from tables outside the templates: the public menu, card kinds,
# service categories, statuses and tracking steps. tests/unit/test_i18n.py checks every
# value of those tables is here, so a new label cannot go untranslated.
LABELS = (
    N_("Action cards"), N_("Give feedback"), N_("Check your card or feedback"),
    N_("You said, we did"),
    N_("Stop"), N_("Start"), N_("Change"),
    N_("Living in care or leaving care"), N_("Help with disabilities and special needs"),
    N_("Little children and families"), N_("Help when home is not safe"),
    N_("Help for families"), N_("Health and feelings"),
    N_("Received"), N_("Being looked at"), N_("Action planned"), N_("Done"),
    N_("Not possible"),
    N_("Received, waiting to be checked"), N_("Approved, waiting for an answer"),
    N_("Checked, not published"), N_("Approved by a moderator"),
    N_("Checked by a moderator: not published"),
    N_("What you wrote"), N_("What went well"), N_("What could be better"),
    N_("Alpha"), N_("Beta"), N_("Live"),
    N_("8 to 10"), N_("11 to 13"), N_("14 to 15"), N_("16 to 17"), N_("18 to 21"),
    N_("22 to 25"), N_("0 to 4"), N_("5 to 10"), N_("11 to 15"), N_("16 to 18"), N_("19 to 25"),
    N_("Parent or carer"), N_("Young person"), N_("Professional"),
    N_("Very good"), N_("Good"), N_("Neither good nor poor"), N_("Poor"), N_("Very poor"),
    N_("There is a problem with your request"), N_("You do not have permission to see this page"),
    N_("Page not found"), N_("That file or text is too large"), N_("Too many tries"),
    N_("Sorry, there is a problem with the service"), N_("Sorry, the service is unavailable"),
)


def translated_choices(choices: dict):
    """A form field's ``choices`` whose labels are lazy strings: WTForms reads the callable
    when a form is made, so each request gets the labels as plain strings in its language
    (a dict of lazy strings would be taken for option groups)."""
    return lambda: {key: str(label) for key, label in choices.items()}


# Welsh soft mutation (treiglad meddal): the first sound of a word changes after "i" ("to"),
# so a range of months reads "Hydref i Ragfyr", "Gorffennaf i Fedi". Longest first, so "Ll",
# "Rh" and "Dd" are seen before "L", "R" and "D"; "Ch", "Ph", "Th", "Dd", vowels and "H" keep
# their sound. No maintained Python library does this; the rule is short and the tests check it
# on each month's name as Babel (CLDR) writes it.
_SOFT_MUTATION = (("Ch", "Ch"), ("Ph", "Ph"), ("Th", "Th"), ("Dd", "Dd"), ("Ll", "L"),
                  ("Rh", "R"), ("P", "B"), ("T", "D"), ("C", "G"), ("B", "F"), ("D", "Dd"),
                  ("G", ""), ("M", "F"))


def soft_mutation(word: str) -> str:
    """``word`` as Welsh writes it after "i" ("to"): "Rhagfyr" -> "Ragfyr", "Medi" -> "Fedi",
    "Gorffennaf" -> "Orffennaf"; "Ionawr", "Chwefror", "Hydref" as they are. Keeps a capital;
    an initialism ("CAMHS", "ADHD") is not mutated."""
    first = re.match(r"[^\W\d_]+", word)
    if first and len(first.group()) > 1 and first.group().isupper():
        return word
    for before, after in _SOFT_MUTATION:
        if word[:len(before)].casefold() == before.casefold():
            rest = word[len(before):]
            if not after:
                return rest[:1].upper() + rest[1:] if word[:1].isupper() else rest
            return (after if word[:1].isupper() else after.lower()) + rest
    return word


def month_range(start: date, end: date) -> str:
    """"October to December 2026" in the page's language, month names as Babel (CLDR) writes
    them; in Welsh the second month takes the soft mutation after "i": "Hydref i Ragfyr 2026"."""
    locale = get_locale() if has_request_context() else None
    names = get_month_names("wide", locale=locale or "en")
    end_name = names[end.month]
    if locale is not None and locale.language == "cy":
        end_name = soft_mutation(end_name)
    return gettext("%(start)s to %(end)s %(year)s", start=names[start.month], end=end_name,
                   year=end.year)


def welsh_page() -> bool:
    """Whether this request shows the Welsh pages (``?lang=cy`` on a public page)."""
    return current_choice() == "cy"


def pick_name(english: str, welsh: str | None) -> str:
    """A name with an optional Welsh form (the service's, the platform's): the Welsh on a
    Welsh page when there is one, else the English. Plain text: for titles and options."""
    return welsh.strip() if welsh and welsh.strip() and welsh_page() else english


def name_lang(english: str, welsh: str | None) -> str | None:
    """``"en"`` when ``pick_name`` gives English on a Welsh page (the text must say it is
    English, so a screen reader speaks it in English), else ``None``."""
    return "en" if welsh_page() and not (welsh and welsh.strip()) else None


def name_html(english: str, welsh: str | None) -> Markup:
    """``pick_name`` as HTML for the page's text: English on a Welsh page is wrapped in
    ``<span lang="en">``."""
    if name_lang(english, welsh):
        return Markup('<span lang="en">%s</span>') % english
    return escape(pick_name(english, welsh))


def translate(value):
    """The ``t`` filter: a label from a table, in the page's language."""
    return gettext(str(value)) if value else value


def translate_nav(items: list[dict]) -> list[dict]:
    return [{**item, "text": gettext(item["text"])} for item in items]


def _wanted() -> str | None:
    asked = request.args.get(COOKIE)
    if asked in LANGUAGES:
        return asked
    saved = request.cookies.get(COOKIE)
    return saved if saved in LANGUAGES else None


def is_public_page() -> bool:
    endpoint = request.endpoint or ""
    return (request.blueprint in PUBLIC_BLUEPRINTS or endpoint in PUBLIC_ENDPOINTS
            or request.url_rule is None)  # 404s and other errors before routing


def current_choice() -> str:
    """'en', 'cy' or 'easy' for this request (always 'en' outside one)."""
    if not has_request_context():
        return "en"
    if "language_choice" not in g:
        wanted = _wanted()
        g.language_choice = wanted if wanted and is_public_page() else "en"
    return g.language_choice


def select_locale() -> str:
    return LANGUAGES[current_choice()][0]


def locale_key() -> str:
    """The language part of every cache key (a page or widget rendered in one language is
    never reused for another)."""
    return str(get_locale() or "en") if has_request_context() else "en"


def configure_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "../translations")
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(t=translate, translate_nav=translate_nav)
    app.jinja_env.globals.update(month_range=month_range, name_html=name_html,
                                 name_lang=name_lang, pick_name=pick_name)

    @app.after_request
    def remember_choice(response):
        asked = request.args.get(COOKIE)
        if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
            secure = bool(app.config.get("SESSION_COOKIE_SECURE") or request.is_secure)
            response.set_cookie(COOKIE, asked, max_age=COOKIE_SECONDS, secure=secure,
                                httponly=True, samesite="Lax")
        return response

    @app.context_processor
    def language_for_templates():
        choice = current_choice()
        return {"language": choice, "html_lang": LANGUAGES[choice][1],
                "easy_read": choice == "easy",
                "language_links": language_links(choice) if is_public_page() else ()}


def language_links(choice: str) -> tuple:
    """(code, name, address) of this page in each other language, keeping its query."""
    links = []
    for code, (_, _, name) in LANGUAGES.items():
        if code == choice:
            continue
        args = {**request.args.to_dict(), COOKIE: code}
        try:
            href = url_for(request.endpoint, **(request.view_args or {}), **args)
        except (BuildError, TypeError, ValueError):
            href = "?" + urlencode(args)
        links.append((code, name, href))
    return tuple(links)
