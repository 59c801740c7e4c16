"""Keeps the translation catalogues honest about review (docs/i18n.md).

Every entry a fluent speaker has not checked carries the extracted comment
``needs review by a fluent <language> speaker``. ``pybabel update`` rewrites extracted
comments from the source, so ``make i18n-update`` runs ``mark-review`` afterwards: it puts
the note back on every entry without a translator comment starting ``reviewed`` (for
example ``# reviewed by A. Jones, 2027-01-12``), which reviewers add as they go.

    python -m feedback.i18n_catalogues mark-review translations
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

REVIEWERS = {"cy": "Welsh"}


def review_note(locale: str) -> str:
    if locale == "en_001":  # easy read (feedback/i18n.py)
        return "needs review by an easy-read editor and readers with learning disabilities"
    return f"needs review by a fluent {REVIEWERS.get(locale, locale)} speaker"


def is_reviewed(message) -> bool:
    return any(comment.strip().lower().startswith("reviewed") for comment in message.user_comments)


def mark_review(po_path: Path, locale: str) -> int:
    """Add the review note to every unreviewed entry of ``po_path``; returns how many."""
    with po_path.open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    note, marked = review_note(locale), 0
    for message in catalogue:
        if not message.id:
            continue
        if is_reviewed(message):
            message.auto_comments = [c for c in message.auto_comments if c != note]
        elif note not in message.auto_comments:
            message.auto_comments = [*message.auto_comments, note]
            marked += 1
    with po_path.open("wb") as handle:
        write_po(handle, catalogue, width=100, omit_header=False, no_location=True)
    return marked


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "mark-review":
        print(__doc__)
        return 2
    for po_path in sorted(Path(argv[1]).glob("*/LC_MESSAGES/messages.po")):
        locale = po_path.parent.parent.name
        print(f"{po_path}: {mark_review(po_path, locale)} entries marked for review")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
