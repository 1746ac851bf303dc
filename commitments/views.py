"""Web pages for commitments: the clerk home, the supervisor dashboard and its export, per-agency statistics,
the commitment page with its actions, and logging a reply (upload → extraction preview → confirm).

Views stay thin: every queryset starts from `visible_to(request.user)` (through the selectors) and every write
goes through a service.
"""

import datetime as dt
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from proposals import scoping
from proposals.choices import BODY_BY_LABEL
from proposals.models import Agency, Body, Session
from proposals.selectors import agency_find, assignments_awaiting_reply
from proposals.services import proposal_for_reply, session_for_letter
from responses.choices import DocumentKind
from responses.highlight import Mark, find_inner, highlight
from responses.models import Document, Response
from responses.services import document_ingest, response_find_duplicate

from . import charts, services
from .choices import ChangeState, CommitmentStatus, Precision, Strength
from .filtersets import CommitmentFilterSet
from .forms import (
    ChangeRequestForm,
    CloseForm,
    CommitmentFormSet,
    DecideForm,
    ProgressForm,
    ReplyMetaForm,
    ReplyUploadForm,
    TargetActualForm,
    format_targets,
    split_list,
    upload_too_large,
)
from .models import ChangeRequest, Commitment, Target
from .selectors import (
    agency_performance,
    commitment_detail_queryset,
    commitment_export_rows,
    commitment_list,
    commitment_timeline,
    dashboard_counts,
    deadlines_by_month,
)


def _today() -> dt.date:
    return timezone.localdate()


def _error_text(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


# ------------------------------------------------------------------------------------------------ home


@login_required
def home(request):
    """Clerk home (reply clocks, my commitments, uploads awaiting confirmation) and the supervisor's summary."""
    user, today = request.user, _today()
    awaiting = list(assignments_awaiting_reply(user=user, today=today)[:50])
    for assignment in awaiting:
        assignment.days_left = (assignment.due_on - today).days if assignment.due_on else None
    mine = list(commitment_list(user=user).open().select_related("owner").order_by("deadline", "pk")[:50])
    for c in mine:
        c.days_left = (c.deadline - today).days if c.deadline else None
    pending = Document.objects.filter(uploaded_by=user, kind=DocumentKind.REPLY, response__isnull=True).order_by(
        "-created_at")[:20]
    return render(request, "home.html", {
        "nav": "home", "awaiting": awaiting, "mine": mine, "pending": pending, "today": today,
        "counts": dashboard_counts(user=user, today=today),
    })


# ------------------------------------------------------------------------------------------------ dashboard

TABS = {
    "overdue": {"overdue": "true"},
    "due30": {"due_within": "30"},
    "due90": {"due_within": "90"},
    "open": {"status": "open"},
    "all": {},
}
TAB_LABELS = [("overdue", gettext_lazy("已逾期")), ("due30", gettext_lazy("30 天内到期")),
              ("due90", gettext_lazy("90 天内到期")), ("open", gettext_lazy("全部进行中")), ("all", gettext_lazy("全部"))]


def _dashboard_filterset(request) -> tuple[CommitmentFilterSet, str]:
    tab = request.GET.get("tab", "overdue")
    if tab not in TABS:
        tab = "overdue"
    data = request.GET.copy()
    for key, value in TABS[tab].items():
        data.setlist(key, [value])
    queryset = commitment_list(user=request.user).select_related("proposal__session__body")
    return CommitmentFilterSet(data, queryset=queryset), tab


def _filter_choices(user) -> dict:
    bodies = Body.objects.all() if scoping.sees_everything(user) else Body.objects.filter(pk__in=scoping.body_ids(user))
    sessions = Session.objects.filter(body__in=bodies).select_related("body") if not scoping.sees_everything(user) \
        else Session.objects.select_related("body")
    return {"bodies": list(bodies), "sessions": list(sessions),
            "agencies": list(Agency.objects.only("pk", "name")),
            "strengths": Strength.choices, "precisions": Precision.choices}


@login_required
def dashboard(request):
    """Overdue and upcoming commitments with filters and sorting (CommitmentFilterSet), one page at a time."""
    filterset, tab = _dashboard_filterset(request)
    status = 200
    if filterset.is_valid():
        page = Paginator(filterset.qs, settings.UI_PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        page, status = Paginator(Commitment.objects.none(), 1).get_page(1), 400
    today = _today()
    for c in page:
        c.days_left = (c.deadline - today).days if c.deadline else None
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("tab", None)
    return render(request, "commitments/dashboard.html", {
        "nav": "dashboard", "page": page, "filterset": filterset, "tab": tab, "tabs": TAB_LABELS,
        "counts": dashboard_counts(user=request.user, today=today), "query": query.urlencode(),
        "export_query": request.GET.urlencode(), "g": request.GET, **_filter_choices(request.user),
    }, status=status)


EXPORT_COLUMNS = [
    gettext_lazy("编号"), gettext_lazy("承诺原文"), gettext_lazy("期限"), gettext_lazy("期限原文"), gettext_lazy("期限精度"),
    gettext_lazy("承诺强度"), gettext_lazy("状态"), gettext_lazy("逾期天数"), gettext_lazy("主责单位"),
    gettext_lazy("责任单位"), gettext_lazy("建议/提案编号"), gettext_lazy("会议"), gettext_lazy("重点"),
    gettext_lazy("量化目标"), gettext_lazy("链接"),
]


@login_required
def dashboard_export(request):
    """Exactly the dashboard's filtered list as .xlsx (openpyxl write-only mode, rows streamed from the database)."""
    from openpyxl import Workbook

    filterset, tab = _dashboard_filterset(request)
    if not filterset.is_valid():
        return render(request, "form_error.html", {"errors": filterset.errors}, status=400)
    today = _today()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("承诺"))
    sheet.append([str(column) for column in EXPORT_COLUMNS])
    link = request.build_absolute_uri(reverse("commitments:detail", args=[0]))[:-2]  # ".../commitments/"
    # Labels resolved once: get_FOO_display() per row re-translates lazily and dominated the export's time.
    precision, strength, status = ({value: str(label) for value, label in choices.choices}
                                   for choices in (Precision, Strength, CommitmentStatus))
    key_mark = _("是")
    for r in commitment_export_rows(filterset.qs):
        deadline = r["deadline"]
        overdue = (today - deadline).days if r["status"] == CommitmentStatus.OPEN and deadline and deadline < today \
            else None
        sheet.append([
            r["pk"], r["text"], deadline, r["deadline_text"], precision.get(r["precision"], r["precision"]),
            strength.get(r["strength"], r["strength"]), status.get(r["status"], r["status"]), overdue,
            r["agency__name"] or "", "、".join(r["agency_names"]), r["proposal__number"] or "",
            r["proposal__session__name"] or "", key_mark if r["proposal__is_key"] else "",
            "；".join(f"{text}（{value.normalize():f} {unit}）" for text, value, unit in r["targets"]),
            f"{link}{r['pk']}/",
        ])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"luoshi-commitments-{tab}-{today:%Y%m%d}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@login_required
def agency_stats(request):
    """Per-agency table (open, overdue, on time, late, 办成率 beside 满意率) with a bar chart and deadlines ahead."""
    today = _today()
    data = {k: v for k, v in request.GET.items() if k in ("body", "session", "kind", "is_key")}
    filterset = CommitmentFilterSet(data, queryset=Commitment.objects.visible_to(request.user))
    if not filterset.is_valid():
        return render(request, "form_error.html", {"errors": filterset.errors}, status=400)
    queryset = filterset.qs.order_by()
    rows = agency_performance(user=request.user, today=today, queryset=queryset)
    months = deadlines_by_month(user=request.user, today=today, queryset=queryset)
    bars = [(r["agency__name"], [(r["overdue"], "#b91c1c", _("逾期")), (r["open"] - r["overdue"], "#1d4ed8", _("进行中")),
                                 (r["on_time"], "#15803d", _("按期兑现")), (r["late"], "#f59f00", _("逾期兑现"))])
            for r in rows[:25]]
    return render(request, "commitments/agency_stats.html", {
        "nav": "stats", "rows": rows, "g": request.GET,
        "agency_chart": charts.hbar_chart(bars, title=_("各单位承诺情况")),
        "month_chart": charts.month_chart(months, title=_("未来 12 个月到期承诺")),
        **_filter_choices(request.user),
    })


# ------------------------------------------------------------------------------------------------ commitment page


def _commitment_or_404(request, pk: int) -> Commitment:
    return get_object_or_404(
        commitment_detail_queryset(user=request.user).select_related("proposal__session__body", "response", "document",
                                                                     "owner"),
        pk=pk,
    )


def _detail(request, commitment: Commitment, *, status: int = 200, **forms):
    pending = next((r for r in commitment.change_requests.all() if r.state == ChangeState.PENDING), None)
    today = _today()
    context = {
        "nav": "dashboard" if scoping.is_supervisor(request.user) else "home",
        "c": commitment,
        "timeline": commitment_timeline(commitment=commitment),
        "can_decide": services.can_decide(request.user, commitment),
        "pending": pending,
        "is_open": commitment.status == CommitmentStatus.OPEN,
        "overdue": commitment.status == CommitmentStatus.OPEN and commitment.deadline and commitment.deadline < today,
        "targets": list(commitment.targets.all()),
        "progress_form": forms.get("progress_form") or ProgressForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "request_form": forms.get("request_form") or ChangeRequestForm(),
        "decide_form": forms.get("decide_form") or DecideForm(),
        "target_errors": forms.get("target_errors", {}),
    }
    if commitment.document_id and commitment.start is not None:
        text = commitment.document.text
        context["context_before"] = text[max(0, commitment.start - 120):commitment.start]
        context["context_after"] = text[commitment.end:commitment.end + 120]
    return render(request, "commitments/commitment_detail.html", context, status=status)


@login_required
def commitment_detail(request, pk: int):
    """One commitment: the clause in context, its timeline, and the actions the user may take."""
    return _detail(request, _commitment_or_404(request, pk))


def _evidence_ok(form, field: str = "evidence_file") -> bool:
    upload = form.cleaned_data.get(field)
    if upload and upload_too_large(upload):
        form.add_error(field, _("文件过大 / The file is too large."))
        return False
    return True


def _apply(request, commitment, form, form_key: str, call, success: str):
    """Run a service call for a bound form; on bad input re-render the page with the errors and a 400."""
    valid = form.is_valid()
    if valid and "evidence_file" in form.fields:
        valid = _evidence_ok(form)
    if not valid:
        return _detail(request, commitment, status=400, **{form_key: form})
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        for message in _error_text(exc):
            form.add_error(None, message)
        return _detail(request, commitment, status=400, **{form_key: form})
    messages.success(request, success)
    return redirect("commitments:detail", commitment.pk)


@login_required
@require_POST
def commitment_progress(request, pk: int):
    """Record a progress note, percentage and evidence."""
    commitment = _commitment_or_404(request, pk)
    form = ProgressForm(request.POST, request.FILES)
    return _apply(request, commitment, form, "progress_form", lambda d: services.progress_record(
        commitment=commitment, user=request.user, note=d["note"], percent=d["percent"],
        evidence_file=d["evidence_file"], evidence_url=d["evidence_url"] or ""), _("进展已记录。"))


@login_required
@require_POST
def commitment_close(request, pk: int):
    """Close as fulfilled (evidence required), partly fulfilled, missed or withdrawn (reason required)."""
    commitment = _commitment_or_404(request, pk)
    form = CloseForm(request.POST, request.FILES, allow_open=request.POST.get("status") == CommitmentStatus.OPEN)
    return _apply(request, commitment, form, "close_form", lambda d: services.commitment_transition(
        commitment=commitment, status=d["status"], user=request.user, reason=d["reason"],
        evidence_file=d["evidence_file"], evidence_url=d["evidence_url"] or ""), _("承诺状态已更新。"))


@login_required
@require_POST
def commitment_request(request, pk: int):
    """A clerk asks to extend the deadline or withdraw; nothing moves until a supervisor approves."""
    commitment = _commitment_or_404(request, pk)
    form = ChangeRequestForm(request.POST)
    return _apply(request, commitment, form, "request_form", lambda d: services.change_request_create(
        commitment=commitment, user=request.user, kind=d["kind"], reason=d["reason"],
        requested_deadline=d["requested_deadline"]), _("申请已提交，等待督办人员审批。"))


@login_required
@require_POST
def change_request_decide(request, pk: int, request_pk: int):
    """A supervisor approves or refuses the pending request."""
    commitment = _commitment_or_404(request, pk)
    change_request = get_object_or_404(ChangeRequest, pk=request_pk, commitment=commitment)
    if not services.can_decide(request.user, commitment):
        raise PermissionDenied(_("只有督办人员可以审批"))
    form = DecideForm(request.POST)
    return _apply(request, commitment, form, "decide_form", lambda d: services.extension_decide(
        change_request=change_request, user=request.user, approve=d["decision"] == "approve", note=d["note"]),
        _("已审批。"))


@login_required
@require_POST
def target_actual(request, pk: int, target_pk: int):
    """Record the value actually reached for one quantitative target."""
    commitment = _commitment_or_404(request, pk)
    target = get_object_or_404(Target, pk=target_pk, commitment=commitment)
    form = TargetActualForm(request.POST)
    if not form.is_valid():
        errors = {target.pk: [e for errs in form.errors.values() for e in errs]}
        return _detail(request, commitment, status=400, target_errors=errors)
    services.target_record_actual(target=target, user=request.user, value=form.cleaned_data["value"],
                                  note=form.cleaned_data["note"])
    messages.success(request, _("实际值已登记。"))
    return redirect("commitments:detail", commitment.pk)


# ------------------------------------------------------------------------------------------------ log a reply

PREVIEW_SALT = "luoshi.commitments.preview"


def _preview_url(document: Document, user) -> str:
    token = signing.dumps({"d": document.pk, "u": user.pk}, salt=PREVIEW_SALT)
    return f"{reverse('commitments:reply_preview', args=[document.pk])}?t={token}"


@login_required
@require_http_methods(["GET", "POST"])
def reply_upload(request):
    """Upload a letter: bad files get the extractor's message; a letter already logged leads to its reply."""
    from responses.extraction import ExtractionError, FileTooLarge

    form = ReplyUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            upload = form.cleaned_data["file"]
            try:
                if upload_too_large(upload):
                    raise FileTooLarge(upload.size, settings.UPLOAD_MAX_BYTES)
                ingested = document_ingest(data=upload.read(), filename=upload.name, user=request.user)
            except ExtractionError as exc:
                form.add_error("file", f"{exc.message_zh} / {exc.message_en}")
                status = exc.http_status
            else:
                return _after_ingest(request, form, ingested)
            if status == 200:
                status = 409
    return render(request, "commitments/reply_upload.html", {"form": form, "nav": "upload"}, status=status)


def _after_ingest(request, form, ingested):
    document, meta = ingested.document, ingested.extraction.metadata
    agency = agency_find(meta.agency or meta.lead_agency or "") if (meta.agency or meta.lead_agency) else None
    existing = Response.objects.filter(document=document).first()
    if existing is None and agency is not None:
        existing = response_find_duplicate(agency=agency, doc_number=meta.doc_number or "", document=document)
    if existing is not None:
        if Response.objects.visible_to(request.user).filter(pk=existing.pk).exists():
            messages.info(request, _("该答复已登记，已为您打开原记录。/ This reply was logged before."))
            return redirect("responses:detail", existing.pk)
        form.add_error("file", _("该答复已由其他单位登记。/ This reply was already logged by another agency."))
        return render(request, "commitments/reply_upload.html", {"form": form, "nav": "upload"}, status=409)
    if not ingested.created:
        messages.info(request, _("该文件此前已上传但尚未确认，请核对后确认。/ Uploaded before but not confirmed yet."))
    return redirect(_preview_url(document, request.user))


def _previewable(request, pk: int) -> Document:
    document = Document.objects.visible_to(request.user).filter(pk=pk).first()
    if document is None:
        # The uploader's signed link: the same bytes may have been uploaded first by someone else.
        try:
            token = signing.loads(request.GET.get("t", ""), salt=PREVIEW_SALT, max_age=7 * 24 * 3600)
        except signing.BadSignature:
            raise Http404
        if token.get("d") != pk or token.get("u") != request.user.pk:
            raise Http404
        document = get_object_or_404(Document, pk=pk)
    return document


def _extract(document: Document):
    from responses.extraction import ExtractionError, extract_bytes, extract_text

    if document.original:
        try:
            with document.original.open("rb") as handle:
                return extract_bytes(handle.read(), document.original_name or document.original.name,
                                     max_bytes=settings.UPLOAD_MAX_BYTES)
        except (OSError, ExtractionError):
            pass
    return extract_text(document.text)


def _letter_session(meta) -> Session | None:
    if not (meta.body in BODY_BY_LABEL and meta.session_term and meta.session_meeting):
        return None
    return Session.objects.filter(body__kind=BODY_BY_LABEL[meta.body], body__jurisdiction=meta.session_jurisdiction or "",
                                  term=meta.session_term, meeting=meta.session_meeting).first()


def _letter_session_complete(meta) -> bool:
    return bool(meta.body in BODY_BY_LABEL and meta.session and meta.session_term and meta.session_meeting)


@login_required
@require_http_methods(["GET", "POST"])
def reply_preview(request, pk: int):
    """The letter with every extracted commitment highlighted beside an editable form; confirm saves it all."""
    document = _previewable(request, pk)
    logged = Response.objects.filter(document=document).first()
    if logged is not None:
        messages.info(request, _("该答复已登记。/ This reply was logged before."))
        return redirect("responses:detail", logged.pk)
    extraction = _extract(document)
    meta = extraction.metadata
    user = request.user
    agencies = Agency.objects.all() if scoping.is_supervisor(user) else Agency.objects.filter(
        pk__in=scoping.agency_ids(user))
    letter_session = _letter_session(meta)
    sessions = list(Session.objects.select_related("body"))
    session_choices = [(str(s.pk), s.name) for s in sessions]
    if letter_session is None and _letter_session_complete(meta):
        session_choices.insert(0, ("letter", _("按来函新建：%(s)s") % {"s": meta.session}))
    owner_choices = list(get_user_model().objects.filter(clerk_agencies__in=agencies).distinct()
                         .order_by("username").values_list("pk", "username"))
    form_kwargs = {"owner_choices": owner_choices}
    if request.method == "POST":
        meta_form = ReplyMetaForm(request.POST, agencies=agencies, session_choices=session_choices)
        formset = CommitmentFormSet(request.POST, prefix="c", form_kwargs=form_kwargs)
        if meta_form.is_valid() and formset.is_valid():
            result = _confirm(request, document, extraction, meta_form, formset)
            if result is not None:
                return result
        status = 400
    else:
        meta_form = ReplyMetaForm(initial=_meta_initial(meta, agencies, letter_session, user), agencies=agencies,
                                  session_choices=session_choices)
        formset = CommitmentFormSet(initial=_commitments_initial(extraction), prefix="c", form_kwargs=form_kwargs)
        status = 200
    marks = []
    for number, c in enumerate(extraction.commitments, start=1):
        inner = find_inner(extraction.text, c.start, c.end, [c.deadline_text or ""], "dl")
        inner += [(t.start, t.end, "tg") for t in c.targets if t.start >= 0]
        marks.append(Mark(c.start, c.end, str(number), anchor=f"m-{number}", inner=inner))
    return render(request, "commitments/reply_preview.html", {
        "nav": "upload", "document": document, "meta_form": meta_form, "formset": formset,
        "letter": highlight(extraction.text, marks), "meta": meta, "warnings": extraction.warnings,
    }, status=status)


def _meta_initial(meta, agencies, letter_session, user) -> dict:
    agency = agency_find(meta.agency or meta.lead_agency or "") if (meta.agency or meta.lead_agency) else None
    if agency is not None and not agencies.filter(pk=agency.pk).exists():
        agency = None
    if agency is None and len(scoping.agency_ids(user)) == 1:
        agency = scoping.agency_ids(user)[0]
    session = str(letter_session.pk) if letter_session else ("letter" if _letter_session_complete(meta) else "")
    return {
        "agency": agency, "doc_number": meta.doc_number or "", "signed_on": meta.reply_date,
        "category": (meta.category or "").lower(),
        "disclosure": {"公开": "public", "不公开": "not_public"}.get(meta.disclosure or "", "unknown"),
        "is_draft": meta.is_draft, "session": session, "proposal_number": meta.proposal_number or "",
        "proposal_title": meta.proposal_title or "", "contact_name": meta.contact_name or "",
        "contact_phones": "，".join(meta.contact_phones), "cc": "、".join(meta.cc),
    }


def _commitments_initial(extraction) -> list[dict]:
    return [
        {"text": item.text, "deadline": item.deadline, "deadline_text": item.deadline_text,
         "precision": item.precision, "strength": item.strength, "recurrence": item.recurrence,
         "targets": format_targets(item.targets), "agency_names": "、".join(item.agency_names),
         "start": item.start, "end": item.end, "section_kind": item.section_kind}
        for item in services.commitment_inputs_from_extraction(extraction)
    ]


def _span_for(text: str, document_text: str, start, end) -> tuple[int | None, int | None]:
    """Keep the extracted span when the clause is unchanged; otherwise find the edited clause, or drop the span."""
    if start is not None and end is not None and document_text[start:end] == text:
        return start, end
    at = document_text.find(text)
    return (at, at + len(text)) if at >= 0 else (None, None)


def _confirm(request, document, extraction, meta_form, formset):
    """Build the ReplyInput from the forms and log it in one transaction; None means errors were added."""
    data = meta_form.cleaned_data
    agency = data["agency"]
    if data["doc_number"]:
        duplicate = response_find_duplicate(agency=agency, doc_number=data["doc_number"].strip(), document=document)
        if duplicate is not None and Response.objects.visible_to(request.user).filter(pk=duplicate.pk).exists():
            messages.info(request, _("同一单位同一文号的答复已登记，已为您打开原记录。/ Same 文号 logged before."))
            return redirect("responses:detail", duplicate.pk)
        if duplicate is not None:
            meta_form.add_error("doc_number", _("该文号已被登记 / This 文号 is already logged."))
            return None
    items = []
    for form in formset.forms:
        if not form.has_changed() and not form.initial or form.cleaned_data.get("DELETE"):
            continue
        d = form.cleaned_data
        if not d.get("text", "").strip():
            continue
        start, end = _span_for(d["text"], document.text, d.get("start"), d.get("end"))
        items.append(services.CommitmentInput(
            text=d["text"].strip(), deadline=d.get("deadline"), deadline_text=d.get("deadline_text") or "",
            precision=d.get("precision") or Precision.NONE, recurrence=d.get("recurrence") or "",
            strength=d.get("strength") or Strength.OTHER, start=start, end=end,
            section_kind=d.get("section_kind") or "other", agency_names=tuple(d.get("agency_names") or ()),
            targets=tuple(d.get("targets") or ()), owner_id=d.get("owner"),
        ))
    try:
        with transaction.atomic():
            proposal = None
            if data["session"]:
                if data["session"] == "letter":
                    meta = extraction.metadata
                    session = session_for_letter(
                        jurisdiction=meta.session_jurisdiction or "", body_label=meta.body, term=meta.session_term,
                        meeting=meta.session_meeting, name=meta.session,
                        year=meta.reply_date.year if meta.reply_date else None)
                else:
                    session = Session.objects.get(pk=int(data["session"]))
                proposal = proposal_for_reply(user=request.user, agency=agency, session=session,
                                              number=data["proposal_number"], title=data["proposal_title"])
            reply = services.ReplyInput(
                agency_name=agency.name, doc_number=data["doc_number"].strip(), signed_on=data["signed_on"],
                category=data["category"], disclosure=data["disclosure"], is_draft=data["is_draft"],
                contact_name=data["contact_name"], contact_phones=tuple(split_list(data["contact_phones"])),
                cc=tuple(split_list(data["cc"])), proposal=proposal, commitments=items,
            )
            response = services.reply_log(document=document, reply=reply, user=request.user)
    except ValidationError as exc:
        for message in _error_text(exc):
            meta_form.add_error(None, message)
        return None
    messages.success(request, _("答复已登记，共 %(n)d 项承诺。") % {"n": len(items)})
    return redirect("responses:detail", response.pk)
