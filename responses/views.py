"""Web pages for replies: the list.

The letter page highlights the reply's commitments and recording satisfaction notifies supervisors (commitments'
notifications), so both live above: `commitments/views/pages.py`.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from proposals.pagination import BoundedPaginator
from search.query import search_filter

from . import selectors
from .files import attachment_response
from .forms import ReplyFilterForm
from .models import Response

LIST_DEFERRED = ("text", "extraction", "extraction_detail", "search_text", "search_vector")
LIST_BOUND = 10_000


@login_required
def reply_list(request):
    """Replies the user may see, newest first."""
    form = ReplyFilterForm(request.GET or None)
    # Plan at 5M (1,000,000 replies; the clerk of the largest agency sees 74,012): Index Scan Backward of
    # `response_created_idx` filtered by the scope, nested loops to the letter, agency and item, stopped by the
    # LIMIT after ~700 rows. Before it: every visible reply joined to its letter (a Merge Join reading all 1,000,000
    # letters) and sorted, 2.3 s. The letter's text and extraction are not read: the list shows its title.
    queryset = (
        Response.objects.visible_to(request.user)
        .select_related("agency", "proposal__session", "document")
        .defer(*(f"document__{name}" for name in LIST_DEFERRED))
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
    # Counted up to 10,000 (then "200+ pages"): an exact COUNT read every visible reply (Seq Scan of the replies,
    # 0.3-0.6 s at 5M); the bounded one stops after 10,001 matches.
    page = BoundedPaginator(queryset, settings.UI_PAGE_SIZE, bound=LIST_BOUND).get_page(request.GET.get("page"))
    return render(request, "responses/reply_list.html", {"page": page, "form": form, "nav": "replies"})


@login_required
def document_file(request, pk: int):
    """The original file of a letter the user may see, as a download (the only way to it: no public /media/)."""
    document = selectors.document_with_file(user=request.user, pk=pk)
    return attachment_response(document.original, document.original_name)
