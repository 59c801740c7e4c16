"""Reading CSV exports for the command line.

Contract: ``read_rows`` returns the data rows of a UTF-8 (optionally BOM-prefixed) CSV file
as dicts, or raises ``InputError`` with one clear sentence for a missing file, undecodable bytes,
an empty file, a file with no data rows, or a missing column.
"""

from __future__ import annotations

import csv
import os

csv.field_size_limit(16 * 1024 * 1024)  # very long free-text answers are legitimate


class InputError(Exception):
    """Bad input that the user must fix; the message is shown as it is."""


def read_rows(path: str, required: list[str]) -> list[dict[str, str]]:
    """Data rows of the CSV at ``path`` that has all ``required`` columns."""
    if not os.path.isfile(path):
        raise InputError(f"{path}: no such file")
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            content = handle.read()
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); save the export as CSV UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if not content.strip():
        raise InputError(f"{path}: the file is empty")
    try:
        reader = csv.DictReader(content.splitlines(keepends=True))
        header = reader.fieldnames or []
        rows = [dict(r) for r in reader]
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV file ({exc})") from None
    missing = [c for c in required if c not in header]
    if missing:
        shown = ", ".join(repr(h) for h in header[:12])
        raise InputError(f"{path}: no column {missing[0]!r} (columns: {shown})")
    if not rows:
        raise InputError(f"{path}: the file has a header but no data rows")
    return rows
