"""Where an uploaded import file waits between the preview and the import.

The file is kept on the server, under ``<instance>/imports/``, named by a
random id; only that id goes in the (signed) session cookie, never the file.
A small JSON file beside it records who uploaded it, its name, its forum and
the column mapping chosen. Files are deleted after the import, and any left
behind are swept after a day.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

MAX_AGE_SECONDS = 24 * 3600
_ID = re.compile(r"^[A-Za-z0-9_-]{20,40}$")


@dataclass
class StoredUpload:
    id: str
    user_id: int
    filename: str
    forum_id: int | None
    size: int
    mapping: dict[str, int | None] | None = None
    created: float = field(default_factory=time.time)
    # the background check or import of this file (``import_jobs``)
    job: dict | None = None
    # what the column-mapping page shows (``reading.Outline``), read at upload
    outline: dict | None = None
    # the provider importing the feedback it collected itself (None: independent voice)
    collected_by_id: int | None = None


def folder_for(instance_path: str, name: str = "imports") -> Path:
    """``<instance>/<name>/``, made private (0700) when missing. Inspection files use it
    with their own ``name``: only ``imports`` is swept."""
    path = Path(instance_path) / name
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def sweep(folder: Path, now: float | None = None) -> int:
    """Delete upload files older than a day; returns how many were removed."""
    now = now or time.time()
    removed = 0
    for path in folder.glob("*"):
        try:
            if now - path.stat().st_mtime > MAX_AGE_SECONDS:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def save(instance_path: str, data: bytes, filename: str, user_id: int,
         forum_id: int | None, outline: dict | None = None,
         collected_by_id: int | None = None) -> StoredUpload:
    folder = folder_for(instance_path)
    sweep(folder)
    upload = StoredUpload(id=secrets.token_urlsafe(18), user_id=user_id,
                          filename=os.path.basename(filename or "upload")[:255],
                          forum_id=forum_id, size=len(data), outline=outline,
                          collected_by_id=collected_by_id)
    fd = os.open(folder / f"{upload.id}.bin", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    _write_meta(folder, upload)
    return upload


def _write_meta(folder: Path, upload: StoredUpload) -> None:
    tmp = folder / f"{upload.id}.{secrets.token_hex(4)}.tmp"  # the job and a page may both write
    tmp.write_text(json.dumps(upload.__dict__), encoding="utf-8")
    os.replace(tmp, folder / f"{upload.id}.json")


def load(instance_path: str, upload_id: str | None, user_id: int) -> tuple[StoredUpload, bytes] | None:
    """The upload and its bytes, or None when missing, expired or someone else's."""
    if not upload_id or not _ID.match(upload_id):
        return None
    folder = folder_for(instance_path)
    try:
        meta = json.loads((folder / f"{upload_id}.json").read_text(encoding="utf-8"))
        data = (folder / f"{upload_id}.bin").read_bytes()
    except (FileNotFoundError, ValueError):
        return None
    upload = StoredUpload(**meta)
    if upload.user_id != user_id or time.time() - upload.created > MAX_AGE_SECONDS:
        return None
    return upload, data


def load_for_job(instance_path: str, upload_id: str) -> tuple[StoredUpload, bytes] | None:
    """The upload and its bytes for the background job (which acts for its uploader)."""
    if not upload_id or not _ID.match(upload_id):
        return None
    meta = read_meta(instance_path, upload_id)
    if meta is None:
        return None
    return load(instance_path, upload_id, meta.user_id)


def read_meta(instance_path: str, upload_id: str) -> StoredUpload | None:
    if not upload_id or not _ID.match(upload_id):
        return None
    try:
        meta = json.loads((folder_for(instance_path) / f"{upload_id}.json")
                          .read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return StoredUpload(**meta)


def set_mapping(instance_path: str, upload: StoredUpload, mapping: dict[str, int | None]) -> None:
    upload.mapping = dict(mapping)
    upload.job = None  # a new mapping needs a new check
    _write_meta(folder_for(instance_path), upload)


def set_job(instance_path: str, upload: StoredUpload, job: dict | None) -> None:
    upload.job = job
    _write_meta(folder_for(instance_path), upload)


def delete(instance_path: str, upload_id: str | None) -> None:
    if not upload_id or not _ID.match(upload_id):
        return
    folder = folder_for(instance_path)
    for suffix in (".bin", ".json"):
        try:
            (folder / f"{upload_id}{suffix}").unlink()
        except FileNotFoundError:
            pass
