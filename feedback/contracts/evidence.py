"""Evidence files for agreed actions: kept on the server, outside the web root.

Like the import uploads (``family/uploads.py``): a file is stored under
``<instance>/action_evidence/`` (folder mode 0700, file mode 0600), named by a random id
that is the only thing the database keeps besides the name it came with. Its size is
bounded (``MAX_BYTES``) and its kind is read from its first bytes, never from its name:
PDF, Word (DOCX), Excel (XLSX), PNG or JPEG. A file is served only through the action's
pages, to the people who may see the action, as a download.

A virus scan can be added in ``check``: it is the one place every evidence file passes
before it is stored (docs/providers.md).
"""
from __future__ import annotations

import io
import os
import re
import secrets
import zipfile
from pathlib import Path

from flask_babel import gettext as _

MAX_BYTES = 5 * 1024 * 1024
_ID = re.compile(r"^[A-Za-z0-9_-]{20,40}$")
KINDS = {
    "pdf": ("application/pdf", ".pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "png": ("image/png", ".png"),
    "jpeg": ("image/jpeg", ".jpg"),
}


class EvidenceRefused(ValueError):
    """The file cannot be kept; the message says why, in plain English."""


def kind_of(data: bytes) -> str | None:
    """The kind of file ``data`` is, read from its content (None: not one we keep)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


def check(data: bytes) -> str:
    """The file's kind, or ``EvidenceRefused`` (empty, too big, or not a kind we keep)."""
    if not data:
        raise EvidenceRefused(_("The selected file is empty"))
    if len(data) > MAX_BYTES:
        raise EvidenceRefused(_("The file must be smaller than %(most)s MB",
                                most=MAX_BYTES // (1024 * 1024)))
    kind = kind_of(data)
    if kind is None:
        raise EvidenceRefused(_("The file must be a PDF, Word (DOCX), Excel (XLSX), PNG or "
                                "JPEG file"))
    return kind


def folder_for(instance_path: str) -> Path:
    path = Path(instance_path) / "action_evidence"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def save(instance_path: str, data: bytes) -> str:
    """Check and keep ``data``; returns the stored id."""
    check(data)
    stored = secrets.token_urlsafe(18)
    fd = os.open(folder_for(instance_path) / stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return stored


def read(instance_path: str, stored: str | None) -> bytes | None:
    """The bytes of a kept file, or None when the id is malformed or the file is gone."""
    if not stored or not _ID.match(stored):
        return None
    try:
        return (folder_for(instance_path) / stored).read_bytes()
    except FileNotFoundError:
        return None


def safe_name(filename: str | None, kind: str) -> str:
    """A download name: the name it came with, reduced to plain characters, with the
    extension of its real kind."""
    stem = os.path.splitext(os.path.basename(filename or ""))[0]
    stem = re.sub(r"[^A-Za-z0-9 ._-]+", "", stem).strip(" .")[:80] or "evidence"
    return stem + KINDS[kind][1]
