"""Evidence pages: upload a later document, its suggestions side by side, accept/reject; similar items panel."""

import datetime as dt
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commitments.forms import upload_refusal, upload_too_large

from . import selectors, services
from .choices import LinkState
from .forms import EvidenceUploadForm
from .models import EvidenceLink


def mark_shared(text: str, shared: list[str]) -> SafeString:
    """The escaped text with every occurrence of the shared names and numbers in <mark class="shared">."""
    words = sorted({w for w in shared if w and w.strip()}, key=len, reverse=True)
    if not words:
        return mark_safe(escape(text))  # noqa: S308 - escaped just here
    pattern = re.compile("|".join(re.escape(w) for w in words))
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(escape(text[pos : m.start()]))
        out.append(f'<mark class="shared">{escape(m.group(0))}</mark>')
        pos = m.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


@login_required
@require_http_methods(["GET", "POST"])
def evidence_upload(request):
    """Upload a later document; bad files get the extractor's message; then its suggestions."""
    from responses.extraction import ExtractionError, FileTooLarge

    if not services.can_work_on_evidence(request.user):
        raise PermissionDenied(_("只有办理人员或督办人员可以上传佐证文件"))
    form = EvidenceUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            upload = form.cleaned_data["file"]
            try:
                if upload_too_large(upload):
                    raise FileTooLarge(upload.size, settings.UPLOAD_MAX_BYTES)
                result = services.evidence_document_ingest(data=upload.read(), filename=upload.name, user=request.user)
            except ExtractionError as exc:
                form.add_error("file", upload_refusal(exc))
                status = exc.http_status
            else:
                if not result.created:
                    messages.info(request, _("该文档此前已上传。"))
                return redirect("evidence:document", result.document.pk)
    return render(request, "evidence/upload.html", {"form": form, "nav": "evidence"}, status=status)


@login_required
def evidence_document(request, pk: int):
    """A document with the earlier commitments it may report on: both passages side by side, shared words marked."""
    document = selectors.evidence_document(user=request.user, pk=pk)
    if document is None:
        raise Http404
    links = list(selectors.evidence_links(user=request.user, document=document))
    rows = [
        {
            "link": link,
            "commitment_html": mark_shared(link.commitment.text, link.shared),
            "evidence_html": mark_shared(link.evidence_text, link.shared),
        }
        for link in links
    ]
    return render(
        request,
        "evidence/document.html",
        {
            "document": document,
            "rows": rows,
            "nav": "evidence",
            "states": LinkState,
            # A proposer reads the page (his items' commitments); looking again and deciding are the staff's.
            "can_work": services.can_work_on_evidence(request.user),
        },
    )


@login_required
@require_POST
def evidence_match(request, pk: int):
    """Look for the earlier commitments a document reports on (a reply logged through another flow, or again)."""
    document = selectors.evidence_document(user=request.user, pk=pk)
    if document is None:
        raise Http404
    if not services.can_work_on_evidence(request.user):
        raise PermissionDenied(_("只有办理人员或督办人员可以查找佐证建议"))
    links = services.evidence_suggest(document=document, user=request.user)
    messages.info(request, _("找到 %(n)d 条佐证建议。") % {"n": len(links)})
    return redirect("evidence:document", document.pk)


def _decide(request, pk: int, action, done: str):
    link = get_object_or_404(EvidenceLink.objects.visible_to(request.user), pk=pk)
    try:
        action(link=link, user=request.user)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, done)
    return redirect("evidence:document", link.document_id)


@login_required
@require_POST
def evidence_accept(request, pk: int):
    """Accept a suggestion (a progress update with the document as evidence)."""
    return _decide(request, pk, services.evidence_link_accept, _("已采纳，进展已记录。"))


@login_required
@require_POST
def evidence_reject(request, pk: int):
    """Reject a suggestion; it is not shown again."""
    return _decide(request, pk, services.evidence_link_reject, _("已驳回，不再提示。"))


def similar_items_panel(request, proposal) -> str:
    """The proposal page's "earlier items on the same subject" section (registered in EvidenceConfig.ready)."""
    if not request.user.is_authenticated:
        return ""
    found = selectors.similar_proposals(proposal=proposal, user=request.user)
    details = selectors.similar_proposal_details(proposals=[p for p, _, _ in found], user=request.user)
    today = dt.date.today()
    items = [
        {
            "proposal": p,
            "score": score,
            "title_html": mark_shared(p.title, shared),
            "replies": details[p.pk]["replies"],
            "commitments": [(c, selectors.commitment_state_words(c, today)) for c in details[p.pk]["commitments"]],
        }
        for p, score, shared in found
    ]
    return render_to_string("evidence/_similar_items.html", {"items": items}, request=request)


def reply_evidence_panel(request, response) -> str:
    """The reply page's link to the earlier commitments the letter may report on (next year's reply)."""
    return render_to_string(
        "evidence/_reply_panel.html",
        {
            "document_id": response.document_id,
            "count": response.document.evidence_links.exclude(state="rejected").count(),
        },
        request=request,
    )
