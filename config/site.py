"""Absolute links to this site: in e-mails, calendar events and API representations."""

from django.conf import settings

# Only when neither SITE_URL nor a request says where the site is (a digest sent by `make run`'s worker).
DEVELOPMENT_SITE = "http://127.0.0.1:8000"


def absolute_url(path: str, request=None) -> str:
    """`path` on the real site: SITE_URL when set, else the request's own scheme and host."""
    site = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if site:
        return site + path
    if request is not None:
        return request.build_absolute_uri(path)
    return DEVELOPMENT_SITE + path
