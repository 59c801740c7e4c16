"""Photos (JPEG, PNG) and PDFs of a Young Inspectors' visit: checked by their content (never
by their name), bounded in size and number, kept outside the web root under a random name,
and read back only for one who may read the report."""
from __future__ import annotations

import os
import re
import secrets

from flask_babel import gettext as _

from .. import audit
from ..errors import NotAllowed
from ..extensions import db
from ..family.uploads import folder_for
from ..models import InspectionFile
from ..models.inspections import MAX_FILES
from ..permissions import can_record_inspections
from .checks import InspectionError, clean_text
from .services import get_for

MAX_FILE_BYTES = 5 * 1024 * 1024
FILES_FOLDER = "inspection_files"
# What a file must start with to be what it says it is (checked by content, never by name).
FILE_KINDS = {
    "image/jpeg": ((b"\xff\xd8\xff",), ".jpg"),
    "image/png": ((b"\x89PNG\r\n\x1a\n",), ".png"),
    "application/pdf": ((b"%PDF-",), ".pdf"),
}
_STORED = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def kind_of(data: bytes) -> str | None:
    """The content type ``data`` really is (of ``FILE_KINDS``), or None."""
    for kind, (starts, _suffix) in FILE_KINDS.items():
        if any(data.startswith(s) for s in starts):
            return kind
    return None


def add_file(inspection_id: int, filename: str | None, data: bytes, actor,
             instance_path: str) -> InspectionFile:
    """Keep a photo (JPEG, PNG) or PDF of the visit outside the web root."""
    if not can_record_inspections(actor):
        raise NotAllowed()
    inspection = get_for(inspection_id, actor)
    if len(inspection.files) >= MAX_FILES:
        raise InspectionError(_("A report can have up to %(count)s files", count=MAX_FILES),
                              "file")
    if not data:
        raise InspectionError(_("Select a photo or PDF to add"), "file")
    if len(data) > MAX_FILE_BYTES:
        raise InspectionError(_("The selected file must be smaller than 5 MB"), "file")
    kind = kind_of(data)
    if kind is None:
        raise InspectionError(_("The selected file must be a photo (JPEG or PNG) or a PDF"),
                              "file")
    name = clean_text(os.path.basename((filename or "").replace("\\", "/")), "file",
                      255) or f"file{FILE_KINDS[kind][1]}"
    stored = secrets.token_urlsafe(24)
    folder = folder_for(instance_path, FILES_FOLDER)
    fd = os.open(folder / stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    row = InspectionFile(inspection_id=inspection.id, stored_name=stored, filename=name,
                         content_type=kind, size=len(data), uploaded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("inspection.file_added", actor, inspection, file=row.id, size=len(data))
    db.session.commit()
    return row


def file_for(inspection_id: int, file_id: int, actor, instance_path: str) -> tuple[InspectionFile, bytes]:
    """A report's file and its bytes (5 MB at most), for one who may read the report."""
    inspection = get_for(inspection_id, actor)
    row = db.session.get(InspectionFile, file_id)
    if row is None or row.inspection_id != inspection.id or not _STORED.match(row.stored_name):
        raise LookupError(file_id)
    try:
        return row, (folder_for(instance_path, FILES_FOLDER) / row.stored_name).read_bytes()
    except OSError:
        raise LookupError(file_id) from None
