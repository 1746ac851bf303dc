"""The one bound on a request's body, checked from its Content-Length before anything reads it.

Django bounds the non-file part of a request (DATA_UPLOAD_MAX_MEMORY_SIZE) but writes an uploaded file of any size to
a temporary file before a view can look at it: a 2 GB upload filled the disk and was refused only then (413 from the
view's `upload_too_large`), and a JSON body over the bound was Django's bare “Bad Request (400)” page, HTML on the
JSON API (session 20). A body declared larger than DATA_UPLOAD_MAX_MEMORY_SIZE (UPLOAD_MAX_BYTES and 1 MB for the
form around the file) is now a 413 at once: the API's error object under /api/, the form-error page elsewhere.
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def body_too_large_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    files = settings.UPLOAD_MAX_BYTES / (1024 * 1024)
    return _("请求过大（上限 %(limit)s MB）；上传的文件不得超过 %(files)s MB") % {
        "limit": f"{limit:g}",
        "files": f"{files:g}",
    }


def body_too_large(request):
    """The 413 for a request whose body is over the bound."""
    message = body_too_large_message()
    if request.path.startswith("/api/"):
        error = {"error": {"code": "payload_too_large", "message": message, "fields": {}}}
        return JsonResponse(error, status=413, json_dumps_params={"ensure_ascii": False})
    back = request.META.get("HTTP_REFERER", "")
    return render(request, "form_error.html", {"errors": {"": [message]}, "back": back}, status=413)


class RequestSizeLimitMiddleware:
    """413 for a request whose declared Content-Length is over DATA_UPLOAD_MAX_MEMORY_SIZE (module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            return body_too_large(request)
        return self.get_response(request)
