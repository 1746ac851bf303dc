"""Web pages for replies: the list.

The letter page highlights the reply's commitments and recording satisfaction notifies supervisors (commitments'
notifications), so both live above: `commitments/views/pages.py`.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from search.query import search_filter

from . import selectors
from .files import attachment_response
from .forms import ReplyFilterForm
from .models import Response


@login_required
def reply_list(request):
    """Replies the user may see, newest first."""
    form = ReplyFilterForm(request.GET or None)
    queryset = (
        Response.objects.visible_to(request.user)
        .select_related("agency", "proposal__session", "document")
        .order_by("-created_at", "-pk")
    )
    if form.is_valid():
        q = form.cleaned_data.get("q")
        if q:
            # The letter's full text through the one search index (search.query); the 文号 is in its header.
            queryset = search_filter(queryset, q, prefix="document__")
        sat = form.cleaned_data.get("satisfaction")
        if sat == "none":
            queryset = queryset.filter(satisfaction="")
        elif sat:
            queryset = queryset.filter(satisfaction=sat)
    page = Paginator(queryset, settings.UI_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "responses/reply_list.html", {"page": page, "form": form, "nav": "replies"})


@login_required
def document_file(request, pk: int):
    """The original file of a letter the user may see, as a download (the only way to it: no public /media/)."""
    document = selectors.document_with_file(user=request.user, pk=pk)
    return attachment_response(document.original, document.original_name)
