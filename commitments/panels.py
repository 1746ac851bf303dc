"""Sections commitments adds to pages of lower apps (proposals/panels.py)."""

from django.template.loader import render_to_string

from .selectors import replies_to_link

IMPORT_REPLIES_TO_LINK = 50


def import_replies_to_link_panel(request, items) -> str:
    """An import's result page (session 15): the replies logged as 不对应建议提案 whose letter names one of the items
    just imported, each with the 关联 button of the home's 待关联的答复 (the same selector and POST; nothing is linked
    by the import itself)."""
    to_link = replies_to_link(user=request.user, items=items, limit=IMPORT_REPLIES_TO_LINK)
    if not to_link:
        return ""
    context = {"to_link": to_link, "after_import": True, "limit": IMPORT_REPLIES_TO_LINK}
    return render_to_string("commitments/_replies_to_link.html", context, request=request)
