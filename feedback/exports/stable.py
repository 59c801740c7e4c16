"""Office files (Word, Excel) that are the same bytes whenever their content is the same.

Contract: ``stable_office_file(data, day) -> bytes``. A .docx or .xlsx is a zip
archive; python-docx and openpyxl date every zip entry with the moment of
saving, and openpyxl also writes that moment into the document's "created" and
"modified" properties. This rewrites the archive with every entry dated
``day`` (midnight) and both properties set to it, entries in the same order and
compression, so a frozen review pack downloaded today and next year is byte for
byte the same file.
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date

_CORE = "docProps/core.xml"
_STAMP = re.compile(r"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def stable_office_file(data: bytes, day: date) -> bytes:
    stamp = f"{day.isoformat()}T00:00:00Z"
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == _CORE:
                text = content.decode("utf-8")
                content = _STAMP.sub(lambda m: m.group(1) + stamp + m.group(3), text).encode(
                    "utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=(day.year, day.month, day.day,
                                                              0, 0, 0))
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            target.writestr(entry, content)
    return buffer.getvalue()
