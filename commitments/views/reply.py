"""Log a reply: upload, preview with highlighted spans, correct, confirm."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from proposals import scoping
from proposals.choices import BODY_BY_LABEL
from proposals.dates import date_or_none
from proposals.errors import CONCURRENT_WRITE, Conflict
from proposals.models import Agency, Session
from proposals.selectors import agency_find
from proposals.services import proposal_for_reply, session_for_letter
from responses.highlight import Mark, find_inner, highlight
from responses.models import Document, Response
from responses.services import document_extraction, document_ingest, response_claim, response_find_duplicate

from .. import reply_logging, services
from ..choices import Precision, Strength
from ..forms import (
    CommitmentFormSet,
    ReplyMetaForm,
    ReplyUploadForm,
    format_targets,
    split_list,
    upload_too_large,
)
from .common import error_messages

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
    # Stored on upload (responses.services.document_extraction); extracted again only for a new pipeline version.
    return document_extraction(document=document)


def _letter_session(meta) -> Session | None:
    if not (meta.body in BODY_BY_LABEL and meta.session_term and meta.session_meeting):
        return None
    return Session.objects.filter(
        body__kind=BODY_BY_LABEL[meta.body],
        body__jurisdiction=meta.session_jurisdiction or "",
        term=meta.session_term,
        meeting=meta.session_meeting,
    ).first()


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
    from responses.extraction import ExtractionError

    try:
        extraction = _extract(document)
    except ExtractionError as exc:  # stored under an older pipeline and now over a budget
        messages.error(request, str(exc))
        return redirect("commitments:reply_upload")
    meta = extraction.metadata
    user = request.user
    agencies = (
        Agency.objects.all() if scoping.is_supervisor(user) else Agency.objects.filter(pk__in=scoping.agency_ids(user))
    )
    letter_session = _letter_session(meta)
    sessions = list(Session.objects.select_related("body"))
    session_choices = [(str(s.pk), s.name) for s in sessions]
    if letter_session is None and _letter_session_complete(meta):
        session_choices.insert(0, ("letter", _("按来函新建：%(s)s") % {"s": meta.session}))
    owner_choices = list(
        get_user_model()
        .objects.filter(clerk_agencies__in=agencies)
        .distinct()
        .order_by("username")
        .values_list("pk", "username")
    )
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
        meta_form = ReplyMetaForm(
            initial=_meta_initial(meta, agencies, letter_session, user),
            agencies=agencies,
            session_choices=session_choices,
        )
        formset = CommitmentFormSet(initial=_commitments_initial(extraction), prefix="c", form_kwargs=form_kwargs)
        status = 200
    marks = []
    for number, c in enumerate(extraction.commitments, start=1):
        inner = find_inner(extraction.text, c.start, c.end, [c.deadline_text or ""], "dl")
        inner += [(t.start, t.end, "tg") for t in c.targets if t.start >= 0]
        marks.append(Mark(c.start, c.end, str(number), anchor=f"m-{number}", inner=inner))
    return render(
        request,
        "commitments/reply_preview.html",
        {
            "nav": "upload",
            "document": document,
            "meta_form": meta_form,
            "formset": formset,
            "letter": highlight(extraction.text, marks),
            "meta": meta,
            "warnings": extraction.warnings,
        },
        status=status,
    )


def _meta_initial(meta, agencies, letter_session, user) -> dict:
    # The initial choice is an Agency found from the letter or else the pk of the clerk's only agency.
    agency: Agency | int | None = (
        agency_find(meta.agency or meta.lead_agency or "") if (meta.agency or meta.lead_agency) else None
    )
    if isinstance(agency, Agency) and not agencies.filter(pk=agency.pk).exists():
        agency = None
    if agency is None and len(scoping.agency_ids(user)) == 1:
        agency = scoping.agency_ids(user)[0]
    session = str(letter_session.pk) if letter_session else ("letter" if _letter_session_complete(meta) else "")
    return {
        "agency": agency,
        "doc_number": meta.doc_number or "",
        "signed_on": date_or_none(meta.reply_date),
        "category": (meta.category or "").lower(),
        "disclosure": {"公开": "public", "不公开": "not_public"}.get(meta.disclosure or "", "unknown"),
        "is_draft": meta.is_draft,
        "session": session,
        "proposal_number": meta.proposal_number or "",
        "proposal_title": meta.proposal_title or "",
        "contact_name": meta.contact_name or "",
        "contact_phones": "，".join(meta.contact_phones),
        "cc": "、".join(meta.cc),
    }


def _commitments_initial(extraction) -> list[dict]:
    return [
        {
            "text": item.text,
            "deadline": item.deadline,
            "deadline_text": item.deadline_text,
            "precision": item.precision,
            "strength": item.strength,
            "recurrence": item.recurrence,
            "targets": format_targets(item.targets),
            "agency_names": "、".join(item.agency_names),
            "start": item.start,
            "end": item.end,
            "section_kind": item.section_kind,
        }
        for item in reply_logging.commitment_inputs_from_extraction(extraction)
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
        items.append(
            services.CommitmentInput(
                text=d["text"].strip(),
                deadline=d.get("deadline"),
                deadline_text=d.get("deadline_text") or "",
                precision=d.get("precision") or Precision.NONE,
                recurrence=d.get("recurrence") or "",
                strength=d.get("strength") or Strength.OTHER,
                start=start,
                end=end,
                section_kind=d.get("section_kind") or "other",
                agency_names=tuple(d.get("agency_names") or ()),
                targets=tuple(d.get("targets") or ()),
                owner_id=d.get("owner"),
            )
        )
    try:
        with transaction.atomic():
            response_claim(document=document)
            proposal = None
            if data["session"]:
                if data["session"] == "letter":
                    meta = extraction.metadata
                    session = session_for_letter(
                        jurisdiction=meta.session_jurisdiction or "",
                        body_label=meta.body,
                        term=meta.session_term,
                        meeting=meta.session_meeting,
                        name=meta.session,
                        year=meta.reply_date.year if meta.reply_date else None,
                    )
                else:
                    session = Session.objects.get(pk=int(data["session"]))
                proposal = proposal_for_reply(
                    user=request.user,
                    agency=agency,
                    session=session,
                    number=data["proposal_number"],
                    title=data["proposal_title"],
                )
            reply = reply_logging.ReplyInput(
                agency_name=agency.name,
                doc_number=data["doc_number"].strip(),
                signed_on=data["signed_on"],
                category=data["category"],
                disclosure=data["disclosure"],
                is_draft=data["is_draft"],
                contact_name=data["contact_name"],
                contact_phones=tuple(split_list(data["contact_phones"])),
                cc=tuple(split_list(data["cc"])),
                proposal=proposal,
                commitments=items,
            )
            response = reply_logging.reply_log(document=document, reply=reply, user=request.user)
    except Conflict as exc:
        # Another session confirmed this letter first: both end on the same reply.
        if exc.existing is not None and Response.objects.visible_to(request.user).filter(pk=exc.existing.pk).exists():
            messages.info(request, _("该答复已由他人登记，已为您打开该记录。"))
            return redirect("responses:detail", exc.existing.pk)
        meta_form.add_error(None, exc.messages[0])
        return None
    except IntegrityError:
        # The same 文号 of the same agency logged at the same moment from another letter.
        meta_form.add_error(None, CONCURRENT_WRITE)
        return None
    except ValidationError as exc:
        for message in error_messages(exc):
            meta_form.add_error(None, message)
        return None
    messages.success(request, _("答复已登记，共 %(n)d 项承诺。") % {"n": len(items)})
    return redirect("responses:detail", response.pk)
