"""Redaction of personal details in what young people and families write.

``redact(text) -> str`` is a pure function: emails, phone numbers, postcodes,
street addresses, school names, people's names, links, social handles and
dates of birth become placeholders ("[email]", "[phone number]",
"[postcode]", "[address]", "[school]", "[name]", "[link]", "[date of
birth]"). Everything else, emoji and line breaks included, is kept exactly.

Disguised contacts are caught too: emails and web addresses spelled out
("jo dot bloggs at gmail dot com", "jo(at)gmail(dot)com"), web addresses
without "http" ("tiktok.com/@jo"), phone numbers with letters for digits
("O77OO 9OO982") or in words ("oh seven seven ..."), handles after the name
of an app ("snap: jojo2010"), and dates after a cue ("DOB 12/03/2011").
The original is kept for moderators and safeguarding leads only; anything
published or quoted uses this version, after a moderator has checked it.

It errs towards redacting: a missed name is worse than a lost word. It cannot
know every name; moderators check and edit before anything is published.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from .redaction_disguised import redact_disguised
from .redaction_patterns import CUE_NOT_NAME, LONG_DIGITS, PHONE, PLACEHOLDERS

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
LINK = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{2,30}\b")
POSTCODE = re.compile(
    r"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)\s*[0-9][ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)
STREET_WORDS = (r"road|rd|street|st|lane|ln|avenue|ave|close|drive|dr|way|crescent|court|place|"
                r"gardens|terrace|grove|hill|row|walk|square|mews|park|view|rise|parade|green")
# Words that do not stand between a house number and its street ("7 months for a place",
# "3 sessions in a row", "5 minutes walk" are not addresses; "14 The Avenue" is).
NOT_IN_ADDRESS = (r"for|a|an|in|of|on|to|at|by|with|from|per|each|every|and|or|than|more|"
                  r"seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?|"
                  r"times?|sessions?|visits?|appointments?|miles?|kids?|children|people")
ADDRESS = re.compile(
    r"\b(?:(?:flat|apartment|unit)\s+\d+[a-z]?,?\s+)?\d{1,4}[a-z]?,?\s+"
    r"(?:(?!(?:" + NOT_IN_ADDRESS + r")\b)[A-Za-z'’-]+\s+){1,3}(?:" + STREET_WORDS + r")\b\.?",
    re.IGNORECASE)
NAMED_STREET = re.compile(
    r"\b(?:[A-Z][a-z'’-]+\s+){1,2}(?:Road|Street|Lane|Avenue|Close|Drive|Crescent|Terrace|"
    r"Grove|Gardens|Mews)\b")
SCHOOL_WORDS = r"(?:primary|secondary|junior|infant|infants|high|grammar|community|church)?\s*" \
               r"(?:school|academy|college|high)"
SCHOOL = re.compile(r"\b((?:st\.?\s+)?(?:[A-Za-z'’-]+\s+){1,3})(" + SCHOOL_WORDS + r")\b",
                    re.IGNORECASE)
NOT_SCHOOL_NAME = {"my", "the", "a", "an", "our", "your", "his", "her", "their", "new", "old",
                   "this", "that", "at", "to", "in", "from", "of", "for", "and", "or", "after",
                   "before", "special", "local", "big", "boarding", "go", "went", "i", "is",
                   "secondary", "primary", "high", "junior", "sixth", "form", "summer", "holiday",
                   "sunday", "bus", "hate", "love", "like", "miss", "near", "about", "with",
                   "nearest", "different", "same", "whole", "every", "leave", "left", "school",
                   "college", "changed", "change", "start", "started", "mainstream", "but", "so",
                   "when", "because", "by", "on", "other", "another", "next", "last"}
TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Nurse)\.?\s+[A-Z][a-zA-Z'’-]+"
                   r"(?:\s+[A-Z][a-zA-Z'’-]+)?")
RELATION_WORDS = (r"worker|carer|teacher|keyworker|key worker|social worker|support worker|"
                  r"youth worker|foster carer|mum|mom|dad|brother|sister|friend|boyfriend|"
                  r"girlfriend|nan|nana|gran|grandad|auntie|aunt|uncle|cousin|stepdad|stepmum|"
                  r"mentor|therapist|counsellor|doctor|nurse|coach|manager|pa|ta|escort|driver|"
                  r"senco|paediatrician|psychologist|psychiatrist|health visitor|midwife|"
                  r"personal adviser|adviser|advisor|caseworker|case worker|family worker")
NAME_CUE = re.compile(
    # the cue in any case ("Our escort", "MY SENCO"); the name as written
    r"\b(?i:(?:my|our|the|his|her|their)\s+(?:" + RELATION_WORDS + r")(?:\s+(?:called|named|is))?"
    r"|(?:my name is|i am called|im called|i'm called|called|named|name's|names)"
    r")\s+([A-Za-z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)")
# Common first names in England and Wales (ONS lists), lower case. Names that
# are also everyday words (Will, Grace, Hope, May, Rose, Mark, Bill, Joy ...)
# are redacted only when capitalised mid-sentence or after a cue.
FIRST_NAMES = set("""
aaliyah aaron abdul abigail adam adil aiden aisha alex alexander alfie ali alice alicia
amber amelia amir amy andrew angela ann anna anne archie aria arthur ava bella ben benjamin
beth bethany billy bobby brandon brooke caleb callum cameron carl caroline charlie charlotte
chloe chris christopher claire connor courtney craig daisy daniel danielle darren dave david
dean declan dylan eleanor elijah elizabeth ella ellie emily emma erin ethan eva evie ezra
faye finley finn florence freddie freya gary gemma george georgia gracie hannah harley harper
harriet harrison harry harvey hayley heather helen henry holly hugo ibrahim imogen isaac
isabel isabella isabelle isla ivy jack jackson jacob jade jake james jamie jasmine jason jay
jayden jennifer jenny jessica jodie joe joel john jordan joseph josh joshua julie kai karen
kate katie kayla kayden kelly kerry kevin kieran kyle laura lauren layla leah lee leo leon
lewis liam lily logan louis louise lucas lucy luke luna lydia maisie mason matilda matthew
maya megan mia michael michelle mohammed muhammad mohammad molly nathan neil nicola noah
nora oliver olivia oscar owen paige paul phoebe poppy rachel rebecca reece rhys riley robert
rory ruby ryan sam samuel sara sarah scarlett scott sean sebastian shannon sharon simon sofia
sophia sophie stacey stephen steve steven stuart susan tanya theo thomas toby tom tommy tyler
victoria william willow yasmin zac zach zara zoe zak kacper oskar jakub priya aman arjun
fatima maryam omar yusuf hamza zainab ayesha amara chidi kwame tariq nadia jasmin
""".split())
AMBIGUOUS_NAMES = {"will", "grace", "hope", "may", "rose", "mark", "bill", "joy", "faith",
                   "summer", "autumn", "april", "june", "dawn", "sky", "rob", "pat", "art",
                   "frank", "guy", "drew", "rich", "ivy", "holly", "amber", "ruby", "poppy",
                   "daisy", "willow", "kai", "leo", "nora", "bella"}
_WORD = re.compile(r"(?<![\w\[])([A-Za-z][a-z'’-]+)(?![\w\]])")


def _at_sentence_start(text: str, at: int) -> bool:
    """True when ``text[:at]`` is empty or ends with . ! ? a line break, a quote or
    a bracket, then any spaces (looking back only as far as the spaces go)."""
    if at == 0:
        return True
    i = at
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i < at and "\n" in text[i:at]:
        return True
    return i > 0 and text[i - 1] in ".!?\n\"“("


def _sub(pattern: re.Pattern, placeholder: str, text: str) -> str:
    return pattern.sub(placeholder, text)


# A school match ends in one of these words and spans at most five runs of spaces
# (st, three name words, a qualifier): SCHOOL is only tried just before them.
_SCHOOL_WORD = re.compile(r"school|academy|college|high", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_SCHOOL_REACH = 7


def _school_matches(text: str) -> list[re.Match]:
    """Exactly the matches ``SCHOOL.sub`` would replace, leftmost first, without
    trying the pattern at every word of a long text."""
    found = [m.start() for m in _SCHOOL_WORD.finditer(text)]
    if not found:
        return []
    space_ends = [m.end() for m in _SPACES.finditer(text)]
    candidates: set[int] = set()
    for at in found:
        runs = bisect_right(space_ends, at)
        begin = space_ends[runs - _SCHOOL_REACH] if runs >= _SCHOOL_REACH else 0
        candidates.update(range(begin, at))
    matches, pos = [], 0
    for start in sorted(candidates):
        if start < pos:
            continue
        match = SCHOOL.match(text, start)
        if match:
            matches.append(match)
            pos = match.end()
    return matches


def _redact_schools(text: str) -> str:
    # A writer who uses capitals writes a school's name with them ("Hillside Academy"); then
    # a lower-case word before "school" is an ordinary word ("one school nurse", "both school
    # days", "the taxi outside school"), not a name. All in lower case, any word may be one.
    capitals = any(c.isupper() for c in text)

    def replace(match: re.Match) -> str:
        words = match.group(1).split()
        kept = []
        # Walk back from the school word while words look like part of a name.
        for word in reversed(words):
            if word.lower().strip(".") in NOT_SCHOOL_NAME and word.lower() not in {"st", "st."}:
                break
            if capitals and not word[:1].isupper() and word.lower() not in {"st", "st."}:
                break
            kept.insert(0, word)
        if not kept:
            return match.group(0)
        prefix = match.group(0)[: len(match.group(0)) - len(match.group(0).lstrip())]
        lead = " ".join(words[: len(words) - len(kept)])
        return prefix + (lead + " " if lead else "") + PLACEHOLDERS["school"]
    out, last = [], 0
    for match in _school_matches(text):
        out.append(text[last:match.start()] + replace(match))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _redact_cued_names(text: str) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        first = name.split()[0]
        if first.lower() in CUE_NOT_NAME or first.startswith("["):
            return match.group(0)
        if first[0].islower() and first.lower() not in FIRST_NAMES:
            return match.group(0)
        if len(name.split()) > 1 and name.split()[1].lower() in CUE_NOT_NAME:
            name = first
        start = match.start(1) - match.start(0)
        whole = match.group(0)
        return whole[:start] + PLACEHOLDERS["name"] + whole[start + len(name):]
    return NAME_CUE.sub(replace, text)


_DIGIT = re.compile(r"\d")
_SURNAME = re.compile(r"\s+[A-Z][a-z'’-]+")


def _name_key(word: str) -> str:
    lower = word.lower()
    return lower.rstrip("'’s") if lower.endswith(("'s", "’s")) else lower


def _redact_known_names(text: str) -> str:
    # Most texts hold no known first name: find that out in one pass over the words.
    if FIRST_NAMES.isdisjoint(map(_name_key, _WORD.findall(text))):
        return text
    out, last = [], 0
    for match in _WORD.finditer(text):
        word = match.group(1)
        lower = _name_key(word)
        if lower not in FIRST_NAMES:
            continue
        capital = word[0].isupper()
        at_start = _at_sentence_start(text, match.start())
        if lower in AMBIGUOUS_NAMES and (not capital or at_start):
            continue
        if not capital and lower in AMBIGUOUS_NAMES:
            continue
        end = match.end()
        # A capitalised surname straight after the first name goes too.
        surname = _SURNAME.match(text, end)
        if capital and surname and surname.group(0).strip().lower() not in CUE_NOT_NAME:
            end = surname.end()
        suffix = "'s" if word.lower().endswith(("'s", "’s")) and end == match.end() else ""
        out.append(text[last:match.start()] + PLACEHOLDERS["name"] + suffix)
        last = end
    out.append(text[last:])
    return "".join(out)


def redact(text: str) -> str:
    """``text`` with personal details replaced by placeholders (see module doc)."""
    if not text:
        return text or ""
    # Each pattern needs a character most texts lack ("@", a digit, "www"/"http"):
    # looking for that first skips whole passes over the text.
    if "@" in text:
        text = _sub(EMAIL, PLACEHOLDERS["email"], text)
    lower = text.lower()
    if "www" in lower or "http" in lower:
        text = _sub(LINK, PLACEHOLDERS["link"], text)
    text = redact_disguised(text, lower, _DIGIT.search(text) is not None)
    if "@" in text:
        text = _sub(HANDLE, PLACEHOLDERS["name"], text)
    digits = _DIGIT.search(text) is not None
    if digits:
        text = _sub(PHONE, PLACEHOLDERS["phone"], text)
        text = _sub(LONG_DIGITS, PLACEHOLDERS["phone"], text)
        text = _sub(ADDRESS, PLACEHOLDERS["address"], text)
    text = _sub(NAMED_STREET, PLACEHOLDERS["address"], text)
    if digits:
        text = _sub(POSTCODE, PLACEHOLDERS["postcode"], text)
    text = _redact_schools(text)
    text = _sub(TITLE, PLACEHOLDERS["name"], text)
    text = _redact_cued_names(text)
    text = _redact_known_names(text)
    return text
