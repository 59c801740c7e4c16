"""Disguised and spelled-out contacts, for ``redaction.redact`` (pure).

Emails and web addresses spelled out ("jo dot bloggs at gmail dot com",
"jo(at)gmail(dot)com"; with a plain " at ", only before a mail provider or
after a local part with dots, digits or underscores, so "look at bbc.co.uk"
is a link and "she was at school" is kept), web addresses without "http",
phone numbers with letters for digits ("O77OO 9OO982") or in words ("oh seven
seven double oh ..."), handles after the name of an app ("snap: jojo2010") and
dates after a cue ("DOB 12/03/2011"). Each pass is tried only when a cheap
check finds what it needs; ``redact`` calls ``redact_disguised`` after emails and
links, before its other patterns.
"""
from __future__ import annotations

import re

from .redaction_patterns import CUE_NOT_NAME, LONG_DIGITS, PHONE, PLACEHOLDERS

_SPELLED_DOT = r"(?:\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+|\.)"
_SPELLED_AT = r"(?:\s*[(\[{<]\s*at\s*[)\]}>]\s*|\s+at\s+|\s*@\s*)"
_LABEL = r"[A-Za-z0-9][A-Za-z0-9_-]{0,62}"
_MAIL_ENDS = r"(?:com|co|uk|org|net|io|ie|me|info|biz)"
_WEB_ENDS = r"(?:com|org|net|uk|io|ly|gg|app|xyz|info|biz|tv)"
SPELLED_EMAIL = re.compile(
    rf"(?<![\w.]){_LABEL}(?:{_SPELLED_DOT}{_LABEL})*{_SPELLED_AT}{_LABEL}"
    rf"(?:{_SPELLED_DOT}{_LABEL})*{_SPELLED_DOT}{_MAIL_ENDS}(?![\w-])", re.IGNORECASE)
BARE_LINK = re.compile(
    rf"(?<![\w.@\[]){_LABEL}(?:{_SPELLED_DOT}{_LABEL})*{_SPELLED_DOT}{_WEB_ENDS}(?![\w-])"
    r"(?:/[^\s]*)?", re.IGNORECASE)
_TLD_HINT = re.compile(r"\.(?:" + _WEB_ENDS[3:-1] + r"|co|me|ie)\b", re.IGNORECASE)

# Letters for digits: O or o for 0, I, l or | for 1.
_LOOKALIKE = str.maketrans("OoIl|", "00111")
PHONE_LOOKALIKE = re.compile(r"(?<![\w+])\+?[\dOoIl|](?:[\s().-]*[\dOoIl|]){9,12}(?![\w|])")
_DIGIT_WORDS = {"zero": 1, "oh": 1, "o": 1, "one": 1, "two": 1, "three": 1, "four": 1,
                "five": 1, "six": 1, "seven": 1, "eight": 1, "nine": 1}
_REPEATS = {"double": 1, "triple": 2, "treble": 2}
SPOKEN_NUMBER = re.compile(
    r"\b(?:(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine|double|triple|treble|\d)"
    r"[\s,.-]+){6,}(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine|\d)\b",
    re.IGNORECASE)

PLATFORMS = re.compile(
    r"\b(?:snap(?:chat)?|sc|insta(?:gram)?|ig|tik\s?tok|discord|kik|twitter|fb|facebook|"
    r"whats\s?app|telegram|twitch|roblox|xbox|psn|steam|youtube|threads|bereal|reddit|skype)\b"
    r"((?:\s*(?:id|name|user\s?name|user|handle|tag|account|channel|page|profile|is|me|on|at|"
    r"[:=–-]))*\s*)"
    r"(@?[A-Za-z0-9][A-Za-z0-9_.#-]{1,31})", re.IGNORECASE)
# Cheap checks first: most texts name no app, hold no date cue, few digits.
_PLATFORM_NAMES = ("snap", "insta", "tik", "discord", "twitter", "facebook", "whats", "telegram",
                   "twitch", "roblox", "xbox", "steam", "youtube", "threads", "bereal", "reddit",
                   "skype")
_SHORT_PLATFORMS = ("sc", "ig", "fb", "kik", "psn")
_BIRTH_CUES = ("dob", "d.o.b", "d o b", "birth", "born", "bday", "b-day", "b day")
_BRACKET_AT = re.compile(r"[(\[{<]\s*at\s*[)\]}>]", re.IGNORECASE)
_NO_DIGITS = str.maketrans("", "", "0123456789")
_LOOKALIKE_NEXT_TO_DIGIT = re.compile(r"\d[\s().-]?[OoIl|]|[OoIl|][\s().-]?\d")


def _names_an_app(lower: str) -> bool:
    if any(name in lower for name in _PLATFORM_NAMES):
        return True
    padded = f" {lower} "
    return any(f" {name} " in padded or f"{name}:" in lower for name in _SHORT_PLATFORMS)


_CUE_MARK = re.compile(r"[:=–-]|\bis\b", re.IGNORECASE)
NOT_HANDLE = CUE_NOT_NAME | {
    "broken", "down", "private", "blocked", "banned", "deleted", "hacked", "gone", "new", "old",
    "rubbish", "boring", "great", "good", "bad", "fun", "same", "off", "and", "or", "but",
    "videos", "video", "stories", "story", "messages", "message", "account", "app", "games",
    "game", "chat", "streaks", "streak", "group", "friends", "people", "all", "every", "day",
    "now", "too", "lol", "there", "here", "then", "this", "that", "these", "those", "what",
    "which", "why", "how", "where", "who", "you", "your", "we", "they", "i", "im", "i'm"}

_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE = (rf"(?:\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{1,2}} \d{{1,2}} \d{{2,4}}"
         rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTHS}\.?(?:,?\s+\d{{2,4}})?"
         rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{2,4}})?)")
BIRTH_DATE = re.compile(
    r"\b(?:d\s?\.?\s?o\s?\.?\s?b\b\.?|date\s+of\s+birth|born(?:\s+on)?|birth\s?day(?:\s+is)?|"
    r"b[\s-]?day(?:\s+is)?)(?:\s*(?:is|was|[:=–-]))?\s*(?:the\s+)?(" + _DATE + r")(?!\w)",
    re.IGNORECASE)


# With a plain " at " ("look at bbc.co.uk"), an email needs a mail provider after it or
# a local part no sentence has (dots, digits, underscores).
MAIL_PROVIDERS = {"gmail", "googlemail", "hotmail", "outlook", "live", "yahoo", "icloud",
                  "aol", "btinternet", "sky", "proton", "protonmail", "msn", "mail", "ymail"}
_WORD_AT = re.compile(r"\s+at\s+", re.IGNORECASE)
_MARKED_AT = re.compile(r"@|[(\[{<]\s*at\s*[)\]}>]", re.IGNORECASE)


def _spelled_email(match: re.Match) -> str:
    found = match.group(0)
    if _MARKED_AT.search(found):
        return PLACEHOLDERS["email"]
    local, domain = _WORD_AT.split(found, maxsplit=1)
    provider = re.split(r"\s|\.", domain, maxsplit=1)[0].lower()
    if provider in MAIL_PROVIDERS or re.search(r"[\d_.]|\sdot\s", local, re.IGNORECASE):
        return PLACEHOLDERS["email"]
    return found


def _redact_spelled_contacts(text: str) -> str:
    lower = text.lower()
    if "dot" not in lower and not _TLD_HINT.search(text) and not _BRACKET_AT.search(text):
        return text
    text = SPELLED_EMAIL.sub(_spelled_email, text)
    return BARE_LINK.sub(PLACEHOLDERS["link"], text)


def _redact_lookalike_phones(text: str) -> str:
    def replace(match: re.Match) -> str:
        found = match.group(0)
        if sum(c.isdigit() for c in found) < 4 or found.isascii() and not set(found) & set("OoIl|"):
            return found
        plain = found.translate(_LOOKALIKE)
        return PLACEHOLDERS["phone"] if PHONE.fullmatch(plain) or LONG_DIGITS.fullmatch(plain) \
            else found
    return PHONE_LOOKALIKE.sub(replace, text)


def _redact_spoken_numbers(text: str) -> str:
    def replace(match: re.Match) -> str:
        digits, words = 0, 0
        for token in re.split(r"[\s,.-]+", match.group(0).lower()):
            if token in _REPEATS:
                digits += _REPEATS[token]
            elif token in _DIGIT_WORDS or token.isdigit():
                digits += len(token) if token.isdigit() else 1
                words += not token.isdigit()
        return PLACEHOLDERS["phone"] if digits >= 10 and words >= 3 else match.group(0)
    return SPOKEN_NUMBER.sub(replace, text)


def _redact_app_handles(text: str) -> str:
    def replace(match: re.Match) -> str:
        cue, handle = match.group(1), match.group(2)
        bare = handle.lstrip("@").rstrip(".-")
        if bare.lower() in NOT_HANDLE or bare.lower() in _DIGIT_WORDS \
                or not any(c.isalpha() for c in bare):
            return match.group(0)
        marked = handle.startswith("@") or _CUE_MARK.search(cue) is not None
        if not (marked or any(c.isdigit() or c in "_#." for c in bare)):
            return match.group(0)
        tail = handle[len(handle.rstrip(".-")):]
        return match.group(0)[:match.start(2) - match.start(0)] + PLACEHOLDERS["name"] + tail
    return PLATFORMS.sub(replace, text)


def _redact_birth_dates(text: str) -> str:
    def replace(match: re.Match) -> str:
        start = match.start(1) - match.start(0)
        return match.group(0)[:start] + PLACEHOLDERS["birth"]
    return BIRTH_DATE.sub(replace, text)


def redact_disguised(text: str, lower: str, digits: bool) -> str:
    """``text`` with the disguised contacts above replaced; ``lower`` is
    ``text.lower()`` and ``digits`` whether it holds a digit (both as ``redact`` saw it)."""
    text = _redact_spelled_contacts(text)
    if _names_an_app(lower):
        text = _redact_app_handles(text)
    if digits:
        if any(cue in lower for cue in _BIRTH_CUES):
            text = _redact_birth_dates(text)
        if len(text) - len(text.translate(_NO_DIGITS)) >= 4 \
                and _LOOKALIKE_NEXT_TO_DIGIT.search(text):
            text = _redact_lookalike_phones(text)
    if "seven" in lower or "zero" in lower:
        text = _redact_spoken_numbers(text)
    return text
