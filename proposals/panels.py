"""Extra sections of the proposal page that later apps contribute, so that proposals never imports them.

An app registers ``panel(request, proposal) -> str`` (rendered, safe HTML, "" for nothing) in its
AppConfig.ready(); the proposal page renders the registered panels in registration order.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

_PANELS: list[Callable] = []


def register(panel: Callable) -> Callable:
    """Add a panel to the proposal page (idempotent)."""
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def render(request, proposal) -> list[SafeString]:
    """The registered panels' HTML for one proposal, empty ones left out."""
    out = []
    for panel in _PANELS:
        html = panel(request, proposal)
        if html:
            out.append(mark_safe(html))  # noqa: S308 - panels return rendered templates (auto-escaped)
    return out
