"""Stored files (reply letters, evidence): one size limit, written only when their row commits, and
downloaded one way: as an attachment, never rendered in the browser.

There is no public /media/ URL: every file goes through a view that first checks the user may see its
document or commitment (docs/api.md "Files").

A FileField writes its file when the row is saved, inside the transaction; a rejected upload (409,
422, 403, a later error) rolled the row back and left the file. Here the row gets the file's name
while it is saved and the bytes are written in ``transaction.on_commit``: a rolled-back row leaves no
file. (``manage.py purge_orphan_files`` removes the files left from before.)
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

# Types a browser may be told; anything else (HTML, SVG, scripts, unknown) is sent as opaque bytes.
SAFE_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
}
OPAQUE = "application/octet-stream"


def safe_content_type(filename: str) -> str:
    """The type announced for a download: a known document or image type by extension, else octet-stream."""
    return SAFE_CONTENT_TYPES.get(PurePath(filename).suffix.lower(), OPAQUE)


def attachment_response(file: FieldFile, filename: str = "") -> FileResponse:
    """The file's original bytes as an attachment (nosniff, sandboxed); 404 when it is missing from storage."""
    name = filename or PurePath(file.name or "file").name
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("文件不存在"))
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=safe_content_type(name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def upload_limit() -> int:
    """The one size limit, in bytes, for every uploaded letter and evidence file (UI and API)."""
    return int(settings.UPLOAD_MAX_BYTES)


def upload_too_large(upload) -> bool:
    return upload is not None and getattr(upload, "size", 0) > upload_limit()


def upload_too_large_message(size: int) -> tuple[str, str]:
    """(中文, English) for a file over ``upload_limit()``."""
    mb = upload_limit() / (1024 * 1024)
    return (f"文件过大（{size} 字节），上限为 {mb:g} MB", f"File too large ({size} bytes); the limit is {mb:g} MB")


# The longest extension kept on a stored name: “.docx”, “.jpeg”, “.xlsx” and the like. Django's storage shortens a
# name that does not fit its column (FileField's max_length, 100) by cutting its root, and refuses with
# SuspiciousFileOperation when the extension alone does not fit: an evidence file named “a.” + 200 characters was a
# bare “Bad Request (400)” page, and an HTML one on the JSON API (session 20). The name the user gave is kept apart
# (Document.original_name) where it is shown.
MAX_STORED_EXTENSION = 10


def storable_name(filename: str) -> str:
    """A stored file's last path segment for an uploaded `filename`: the characters storage keeps (letters, digits,
    “-”, “_”, “.”; spaces as “_”), an extension of at most MAX_STORED_EXTENSION characters (a longer one is dropped),
    and never empty nor a dot file (“file” instead: a name of emoji or RTL controls left “.pdf”)."""
    name = os.path.basename(filename.replace("\\", "/")).strip().replace(" ", "_")
    name = re.sub(r"(?u)[^-\w.]", "", name)
    root, dot, ext = name.rpartition(".")
    if not dot:
        root, ext = ext, ""
    ext = f".{ext}" if ext and len(ext) <= MAX_STORED_EXTENSION else ""
    root = root.strip(".")
    return f"{root or 'file'}{ext}"


def file_attach_on_commit(
    *, instance: models.Model, field: str, content, filename: str = "", reuse_existing: bool = False
) -> None:
    """Name ``content`` in ``instance.<field>`` now (before the row is saved); write it when the transaction commits.

    ``reuse_existing``: a content-addressed name (documents/<hash>/…) already on disk holds the same
    bytes, so it is kept and not written again.
    """
    if not content:
        return
    if not isinstance(content, bytes | bytearray):
        # Read now: an uploaded temporary file is closed (and deleted) when the request ends, which may
        # come before the outermost transaction commits. Uploads are bounded by upload_limit().
        filename = filename or getattr(content, "name", "")
        content = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
    file_field = instance._meta.get_field(field)
    assert isinstance(file_field, models.FileField)
    storage = file_field.storage
    filename = storable_name(filename or getattr(content, "name", "") or "file")
    name = file_field.generate_filename(instance, filename)
    if reuse_existing and storage.exists(name):
        getattr(instance, field).name = name
        return
    name = storage.get_available_name(name, max_length=file_field.max_length)
    getattr(instance, field).name = name
    model = type(instance)

    def write() -> None:
        try:
            written = storage.save(name, ContentFile(content), max_length=file_field.max_length)
        except (OSError, ValueError):
            log.exception("could not write %s; the row keeps no file", name)
            model._default_manager.filter(pk=instance.pk).update(**{field: ""})
            return
        if written != name:  # another upload took the name between the check and the commit
            model._default_manager.filter(pk=instance.pk).update(**{field: written})

    transaction.on_commit(write)


def referenced_files() -> set[str]:
    """Every file name a row refers to, over every FileField of every installed model."""
    from django.apps import apps

    names: set[str] = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField) and not f.many_to_many and f.concrete:
                names.update(
                    n for n in model._default_manager.exclude(**{f.name: ""}).values_list(f.name, flat=True) if n
                )
    return names


def upload_roots() -> list[str]:
    """The top folders under MEDIA_ROOT that FileFields write to (documents/, evidence/)."""
    from django.apps import apps

    roots = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField) and f.concrete:
                upload_to = f.upload_to
                if callable(upload_to):
                    try:
                        sample = str(upload_to(model(), "x"))
                    except Exception:  # noqa: BLE001 — an upload_to that needs real fields: use its module's convention
                        continue
                else:
                    sample = str(upload_to)
                head = sample.strip("/").split("/", 1)[0]
                if head and head != "x":
                    roots.add(head)
    return sorted(roots)


def orphan_files() -> list[str]:
    """Files under MEDIA_ROOT's upload folders that no row refers to (relative names)."""
    media = os.path.abspath(settings.MEDIA_ROOT)
    referenced = referenced_files()
    found = []
    for root in upload_roots():
        top = os.path.join(media, root)
        for folder, _dirs, files in os.walk(top):
            for name in files:
                relative = os.path.relpath(os.path.join(folder, name), media).replace(os.sep, "/")
                if relative not in referenced:
                    found.append(relative)
    return sorted(found)
