"""The UI page and the API resource of a hit (absolute URLs), shared by the API and the results page."""

from __future__ import annotations

from django.urls import reverse


def ui_path(kind: str, obj) -> str:
    """The web page that shows the hit."""
    if kind == "document":
        response = getattr(obj, "response", None)
        if response is not None:
            return reverse("responses:detail", args=[response.pk])
        return reverse("commitments:reply_preview", args=[obj.pk])
    if kind == "commitment":
        return reverse("commitments:detail", args=[obj.pk])
    if kind == "proposal":
        return reverse("proposals:detail", args=[obj.pk])
    return reverse("commitments:dashboard") + f"?tab=all&agency={obj.pk}"


def api_path(kind: str, obj) -> str:
    """The REST resource of the hit."""
    name = {"document": "document", "commitment": "commitment", "proposal": "proposal", "agency": "agency"}[kind]
    return reverse(f"api:{name}-detail", args=[obj.pk])
