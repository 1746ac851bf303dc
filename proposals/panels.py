"""Extra sections of the item and reply pages that later apps contribute, so that no lower app imports them.

An app registers ``panel(request, obj) -> str`` (rendered, safe HTML, "" for nothing) for a page ("proposal":
obj is the Proposal; "reply": obj is the Response; "home": obj is None, the signed-in user's home page; "import":
obj is the list of the Proposals an assignment list just imported, the import's result page) in its AppConfig.ready();
the page renders the registered panels in registration order.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

_PANELS: dict[str, list[Callable]] = {"proposal": [], "reply": [], "home": [], "import": []}


def register(panel: Callable, page: str = "proposal") -> Callable:
    """Add a panel to a page (idempotent)."""
    if panel not in _PANELS[page]:
        _PANELS[page].append(panel)
    return panel


def render(request, obj, page: str = "proposal") -> list[SafeString]:
    """The registered panels' HTML for one record, empty ones left out."""
    out = []
    for panel in _PANELS[page]:
        html = panel(request, obj)
        if html:
            out.append(mark_safe(html))  # noqa: S308 - panels return rendered templates (auto-escaped)
    return out
