"""Supporting files of a return: PDF, Word (.docx) or Excel (.xlsx), bounded in size,
checked by their content (not their name), and kept outside the web root.

Files are stored under ``RETURN_FILES_FOLDER`` (default ``<instance>/return-files``,
which the web server never serves), named by a random id, mode 0600; the database keeps
the name the provider gave, its kind, size and SHA-256. They are only ever sent back
through the return's download route, which checks who is asking.

Virus-scan hook (off by default): after a file is written and before it is recorded,
``scan(path, config)`` runs ``RETURN_FILE_SCANNER`` (a function given in the app's
configuration, taking the path and returning True when clean) or else
``RETURN_FILE_SCAN_COMMAND`` (a command line; the path is added as its last argument;
exit status 0 means clean, for example ``clamdscan --no-summary --fdpass``). A file
that fails the scan, or whose scan cannot run, is deleted and refused.
"""
from __future__ import annotations

import hashlib
import io
import os
import secrets
import shlex
import subprocess  # nosec B404 - runs only the scan command an operator configured
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from flask_babel import gettext as _

from ..i18n import N_

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_FILES = 10  # per return
SCAN_TIMEOUT_SECONDS = 120
KINDS = {"pdf": N_("PDF"), "docx": N_("Word document"), "xlsx": N_("Excel workbook")}
_ZIP_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
MAX_ZIP_PARTS = 2_000
MAX_ZIP_UNPACKED = 200 * 1024 * 1024


class FileRefused(ValueError):
    """A supporting file that cannot be kept; the message says why."""


@dataclass(frozen=True)
class Stored:
    stored_name: str
    kind: str
    size: int
    sha256: str


def folder_for(config: Mapping, instance_path: str) -> Path:
    path = Path(config.get("RETURN_FILES_FOLDER") or Path(instance_path) / "return-files")
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def kind_of(data: bytes, filename: str) -> str:
    """``pdf``, ``docx`` or ``xlsx`` from the file's content (its name must agree);
    ``FileRefused`` otherwise."""
    extension = os.path.splitext(filename or "")[1].lower().lstrip(".")
    if extension not in KINDS:
        raise FileRefused(_("The selected file must be a PDF, a Word document (.docx) or an "
                            "Excel workbook (.xlsx)"))
    if extension == "pdf":
        if not data.startswith(b"%PDF-"):
            raise FileRefused(_("The selected file is not a PDF: it may be damaged, or "
                                "another kind of file renamed"))
        return "pdf"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if len(infos) > MAX_ZIP_PARTS or \
                    sum(info.file_size for info in infos) > MAX_ZIP_UNPACKED:
                raise FileRefused(_("The selected file is too large once unpacked"))
    except zipfile.BadZipFile:
        names = set()
    if "[Content_Types].xml" not in names or _ZIP_MARKERS[extension] not in names:
        raise FileRefused(
            _("The selected file is not a real Word document: it may be damaged, or another "
              "kind of file renamed") if extension == "docx"
            else _("The selected file is not a real Excel workbook: it may be damaged, or "
                   "another kind of file renamed"))
    return extension


def scan(path: Path, config: Mapping) -> bool:
    """The virus-scan hook: True when the file is clean or no scanner is configured."""
    scanner = config.get("RETURN_FILE_SCANNER")
    if scanner is not None:
        return bool(scanner(str(path)))
    command = config.get("RETURN_FILE_SCAN_COMMAND")
    if not command:
        return True
    try:
        result = subprocess.run([*shlex.split(command), str(path)], capture_output=True,  # nosec B603
                                timeout=SCAN_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def store(data: bytes, filename: str, config: Mapping, instance_path: str) -> Stored:
    """Check, write and scan one file; ``FileRefused`` (and nothing kept) when it fails."""
    if not data:
        raise FileRefused(_("The selected file is empty"))
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(_("The selected file must be smaller than %(size)s MB",
                            size=MAX_FILE_BYTES // (1024 * 1024)))
    kind = kind_of(data, filename)
    name = secrets.token_urlsafe(24)
    path = folder_for(config, instance_path) / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    if not scan(path, config):
        path.unlink(missing_ok=True)
        raise FileRefused(_("The selected file did not pass the virus check, so it was not "
                            "kept"))
    return Stored(name, kind, len(data), hashlib.sha256(data).hexdigest())


def read(stored_name: str, config: Mapping, instance_path: str) -> bytes | None:
    if not stored_name or "/" in stored_name or stored_name.startswith("."):
        return None
    try:
        return (folder_for(config, instance_path) / stored_name).read_bytes()
    except FileNotFoundError:
        return None


def remove(stored_name: str, config: Mapping, instance_path: str) -> None:
    if stored_name and "/" not in stored_name and not stored_name.startswith("."):
        (folder_for(config, instance_path) / stored_name).unlink(missing_ok=True)
