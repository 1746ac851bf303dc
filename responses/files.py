"""Stored files (reply letters, evidence) leave the server one way: as a download, never rendered in the browser.

There is no public /media/ URL: every file goes through a view that first checks the user may see its
document or commitment (docs/api.md "Files").
"""

from pathlib import PurePath

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

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
