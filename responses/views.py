"""Web pages for replies: the list and the satisfaction form.

The letter page highlights the reply's commitments, so it lives above both: `commitments/views/pages.py`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from proposals import scoping
from proposals.errors import Conflict
from search.query import search_filter

from . import selectors
from .files import attachment_response
from .forms import ReplyFilterForm, SatisfactionForm
from .models import Response
from .services import satisfaction_record


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
@require_POST
def reply_satisfaction(request, pk: int):
    """Record the proposer's satisfaction with a reply (clerks and supervisors in scope)."""
    response = get_object_or_404(Response.objects.visible_to(request.user).select_related("proposal"), pk=pk)
    if not (scoping.is_supervisor(request.user) or scoping.is_clerk(request.user)):
        raise PermissionDenied
    form = SatisfactionForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "form_error.html",
            {"errors": form.errors, "back": request.META.get("HTTP_REFERER", "")},
            status=400,
        )
    try:
        satisfaction_record(
            response=response,
            satisfaction=form.cleaned_data["satisfaction"],
            channel=form.cleaned_data["channel"],
            user=request.user,
        )
    except Conflict as exc:
        messages.warning(request, exc.messages[0])
    else:
        _recorded_message(request, form.cleaned_data["satisfaction"])
    if response.proposal_id:
        return redirect("proposals:detail", response.proposal_id)
    return redirect("responses:detail", response.pk)


def _recorded_message(request, satisfaction: str) -> None:
    """The flash message after a rating was recorded."""
    if satisfaction == "unsatisfied":
        messages.warning(request, _("已登记“不满意”，该件已转为重新办理。"))
    else:
        messages.success(request, _("满意度已登记。"))


@login_required
def document_file(request, pk: int):
    """The original file of a letter the user may see, as a download (the only way to it: no public /media/)."""
    document = selectors.document_with_file(user=request.user, pk=pk)
    return attachment_response(document.original, document.original_name)
