"""Log a reply: upload, preview with highlighted spans, correct, confirm."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from proposals import scoping
from proposals.dates import date_or_none
from proposals.errors import CONCURRENT_WRITE, Conflict
from proposals.models import Agency, Session
from proposals.selectors import LetterSession, agency_find
from proposals.services import proposal_for_reply, session_for_letter, session_for_letter_refusal
from responses.choices import FeedbackSource
from responses.highlight import Mark, find_inner, highlight
from responses.learning import extracted_items
from responses.models import Document, Response
from responses.services import (
    document_extraction,
    document_ingest,
    letter_from_other_agency,
    reply_agency_check,
    response_claim,
    response_find_duplicate,
)

from .. import reply_logging, services
from ..choices import Precision, Strength
from ..forms import (
    CommitmentFormSet,
    ReplyMetaForm,
    ReplyUploadForm,
    format_targets,
    split_list,
    upload_refusal,
    upload_too_large,
)
from .common import error_messages

# ------------------------------------------------------------------------------------------------ log a reply


@login_required
@require_http_methods(["GET", "POST"])
def reply_upload(request):
    """Upload a letter: bad files get the extractor's message; a letter already logged leads to its reply."""
    from responses.extraction import ExtractionError, FileTooLarge

    if not (scoping.is_clerk(request.user) or scoping.is_supervisor(request.user)):
        # The same rule as POST /api/v1/replies/: an account without an agency or a body logs nothing.
        raise PermissionDenied(_("只有办理人员或督办人员可以登记答复"))
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
                form.add_error("file", upload_refusal(exc))
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
            messages.info(request, _("该答复已登记，已为您打开原记录。"))
            return redirect("responses:detail", existing.pk)
        form.add_error("file", _("该答复已由其他单位登记。"))
        return render(request, "commitments/reply_upload.html", {"form": form, "nav": "upload"}, status=409)
    if not ingested.created:
        if not Document.objects.visible_to(request.user).filter(pk=document.pk).exists():
            if reply_logging.document_take_over(document=document, user=request.user):
                # Loaded by the system and its reply deleted: nobody's upload, so the clerk who has the same letter
                # logs it (an unconfirmed upload belongs to the uploader's agencies, DESIGN.md).
                messages.info(request, _("该文件此前已导入但未登记答复，现由贵单位核对后确认登记。"))
                return redirect("commitments:reply_preview", document.pk)
            # Someone outside the user's agencies uploaded the same bytes and has not confirmed them: neither
            # their preview nor its data is the user's to see.
            form.add_error(
                "file",
                _("该文件已由其他单位上传，尚待其确认登记；如为贵单位的答复，请联系督办人员处理。")
                if document.uploaded_by_id
                else _("该文件已由系统导入并用于其他记录，请联系督办人员处理。"),
            )
            return render(request, "commitments/reply_upload.html", {"form": form, "nav": "upload"}, status=409)
        messages.info(request, _("该文件此前已上传但尚未确认，请核对后确认。"))
    return redirect("commitments:reply_preview", document.pk)


def _previewable(request, pk: int) -> Document:
    # Document.visible_to: an unconfirmed upload belongs to its uploader's agencies and their supervisors.
    return get_object_or_404(Document.objects.visible_to(request.user), pk=pk)


def _extract(document: Document):
    # Stored on upload (responses.services.document_extraction); extracted again only for a new pipeline version.
    return document_extraction(document=document)


def _new_session_label(letter: LetterSession) -> str:
    """The "create from the letter" choice (offered only when it can be made) names who will supervise it."""
    if letter.body is not None:
        names = "、".join(u.get_full_name() or u.username for u in letter.body.supervisors.all())
        return _("按来函新建会议：%(s)s（%(b)s，督办：%(n)s）") % {"s": letter.name, "b": letter.body.name, "n": names}
    return _("按来函新建：%(b)s %(s)s（新的人大/政协，由您督办）") % {"b": letter.body_name, "s": letter.name}


def _session_offer(meta, letter: LetterSession | None, user) -> tuple[bool, str, str]:
    """(offer "create from the letter", the session to preselect, a note under the field saying what to pick).

    Only a choice that saves is preselected (session 13: 111 corpus letters' unchanged forms were refused): the
    letter's session when it exists or this user may create it, and only when the letter gives the item's number;
    otherwise 不对应建议提案, with the reason and what to pick to link the item."""
    if letter is None:
        return False, "", ""
    refusal = session_for_letter_refusal(letter=letter, user=user)
    offer = letter.session is None and refusal is None
    if refusal is not None:
        return False, "", _("%(r)s；如不对应建议提案，可直接登记。") % {"r": refusal}
    session = str(letter.session.pk) if letter.session else "letter"
    if not (meta.proposal_number or "").strip():
        return (
            offer,
            "",
            _("来函未写明建议/提案编号：如对应建议提案，请选择会议“%(s)s”并填写编号。") % {"s": letter.name},
        )
    return offer, session, ""


@login_required
@require_http_methods(["GET", "POST"])
def reply_preview(request, pk: int):
    """The letter with every extracted commitment highlighted beside an editable form; confirm saves it all."""
    document = _previewable(request, pk)
    logged = Response.objects.filter(document=document).first()
    if logged is not None:
        messages.info(request, _("该答复已登记。"))
        return redirect("responses:detail", logged.pk)
    from responses.extraction import ExtractionError

    try:
        extraction = _extract(document)
    except ExtractionError as exc:  # stored under an older pipeline and now over a budget
        messages.error(request, upload_refusal(exc))
        return redirect("commitments:reply_upload")
    meta = extraction.metadata
    user = request.user
    agencies = (
        Agency.objects.all() if scoping.is_supervisor(user) else Agency.objects.filter(pk__in=scoping.agency_ids(user))
    )
    letter_agency = agency_find(meta.agency or meta.lead_agency or "") if (meta.agency or meta.lead_agency) else None
    own = Agency.objects.filter(pk__in=scoping.agency_ids(user)).first()
    letter = reply_logging.letter_session(meta, letter_agency, own)
    sessions = list(Session.objects.select_related("body"))
    session_choices = [(str(s.pk), f"{s.body.name} {s.name}") for s in sessions]
    offer, initial_session, session_note = _session_offer(meta, letter, user)
    if offer and letter is not None:
        session_choices.insert(0, ("letter", _new_session_label(letter)))
    warnings = list(extraction.warnings)
    foreign = letter_from_other_agency(user=user, letter_agency=letter_agency)
    if foreign and letter_agency is not None:
        warnings.insert(
            0,
            _("来函单位为“%(a)s”，不是您的单位；请核实后再以本单位名义登记。") % {"a": letter_agency.name},
        )
    owner_choices = list(
        get_user_model()
        .objects.filter(clerk_agencies__in=agencies)
        .distinct()
        .order_by("username")
        .values_list("pk", "username")
    )
    form_kwargs = {"owner_choices": owner_choices}
    if request.method == "POST":
        meta_form = ReplyMetaForm(
            request.POST, agencies=agencies, session_choices=session_choices, session_note=session_note
        )
        formset = CommitmentFormSet(request.POST, prefix="c", form_kwargs=form_kwargs)
        if meta_form.is_valid() and formset.is_valid():
            result = _confirm(request, document, extraction, meta_form, formset, letter_agency)
            if result is not None:
                return result
        status = 400
    else:
        meta_form = ReplyMetaForm(
            initial=_meta_initial(meta, agencies, initial_session, user, foreign),
            agencies=agencies,
            session_choices=session_choices,
            session_note=session_note,
        )
        formset = CommitmentFormSet(initial=_commitments_initial(extraction), prefix="c", form_kwargs=form_kwargs)
        status = 200
    why = {f"{c.start}-{c.end}": proposal_reason(c) for c in (*extraction.commitments, *extraction.candidates)}
    in_form = {f"{f['start'].value()}-{f['end'].value()}" for f in formset.forms}
    candidates = [
        {
            "values": json.dumps(_form_values(item), ensure_ascii=False),
            "why": why[f"{c.start}-{c.end}"],
            "text": c.text,
            "start": c.start,
        }
        for c, item in zip(
            extraction.candidates,
            reply_logging.commitment_inputs_from_extraction(extraction, extraction.candidates),
            strict=True,
        )
        if f"{c.start}-{c.end}" not in in_form
    ]
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
            "rows": [(f, why.get(f"{f['start'].value()}-{f['end'].value()}", "")) for f in formset.forms],
            "candidates": candidates,
            "letter": highlight(extraction.text, marks),
            "meta": meta,
            "warnings": warnings,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reply_edit(request, pk: int):
    """Edit a logged reply: its header, item and commitments, changed in place (`reply_logging.reply_log`)."""
    user = request.user
    response = get_object_or_404(
        Response.objects.visible_to(user).select_related("document", "agency", "proposal__session"), pk=pk
    )
    if not scoping.may_act_for_agency(user, response.agency_id):
        raise Http404
    document = response.document
    agencies = (
        Agency.objects.all() if scoping.is_supervisor(user) else Agency.objects.filter(pk__in=scoping.agency_ids(user))
    )
    session_choices = [(str(s.pk), f"{s.body.name} {s.name}") for s in Session.objects.select_related("body")]
    owner_choices = list(
        get_user_model()
        .objects.filter(clerk_agencies__in=agencies)
        .distinct()
        .order_by("username")
        .values_list("pk", "username")
    )
    form_kwargs = {"owner_choices": owner_choices}
    commitments = list(
        response.commitments.select_related("agency").prefetch_related("targets", "agencies").order_by("start", "pk")
    )
    if request.method == "POST":
        meta_form = ReplyMetaForm(request.POST, agencies=agencies, session_choices=session_choices)
        formset = CommitmentFormSet(request.POST, prefix="c", form_kwargs=form_kwargs)
        if meta_form.is_valid() and formset.is_valid():
            result = _confirm(request, document, _extract(document), meta_form, formset, None, editing=response)
            if result is not None:
                return result
        status = 400
    else:
        initial, session_note = _stored_initial(response), ""
        named = reply_logging.letter_item(response, user=user)
        if named is not None:
            # Saved without its item (不对应建议提案) and the item its letter names is registered now: preselected,
            # so saving links it (the reply page and the item's page offer the same link as one button).
            initial |= {"session": str(named.session_id), "proposal_number": named.number}
            item = _("%(session)s 第%(n)s号") % {"session": named.session.name, "n": named.number}
            session_note = _(
                "来函所答复的建议提案%(p)s现已登记，已为您选中，保存即关联；如不对应，请改选“不对应建议提案”。"
            ) % {"p": item}
        meta_form = ReplyMetaForm(
            initial=initial, agencies=agencies, session_choices=session_choices, session_note=session_note
        )
        formset = CommitmentFormSet(
            initial=[_stored_commitment(c) for c in commitments], prefix="c", form_kwargs=form_kwargs
        )
        status = 200
    marks = []
    for number, c in enumerate(commitments, start=1):
        if c.start is not None and c.end is not None:
            inner = find_inner(document.text, c.start, c.end, [c.deadline_text], "dl")
            marks.append(Mark(c.start, c.end, str(number), anchor=f"m-{number}", inner=inner))
    return render(
        request,
        "commitments/reply_preview.html",
        {
            "nav": "replies",
            "document": document,
            "meta_form": meta_form,
            "formset": formset,
            # The template lists `rows`, not the formset: without them the stored commitments were not on the page
            # while the management form counted them, so saving the unchanged page was a 400 naming nothing
            # (session 20's walk-through).
            "rows": [(f, "") for f in formset.forms],
            "letter": highlight(document.text, marks),
            "editing": response,
            "edit_heading": _("修改答复：%(t)s") % {"t": (document.title or response.doc_number)[:60]},
            "warnings": [_("修改后的承诺原地更新，保留其历史、进展、佐证和申请；删去的承诺若已有进展则改为撤回。")],
        },
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def reply_link_item(request, pk: int):
    """Link a reply saved as 不对应建议提案 to the item its letter names, now registered (`letter_item`)."""
    response = get_object_or_404(Response.objects.visible_to(request.user), pk=pk)
    back = reverse("responses:detail", args=[response.pk])
    try:
        proposal = reply_logging.reply_link_item(response=response, user=request.user)
    except ValidationError as exc:
        status = 409 if isinstance(exc, Conflict) else 400
        return render(request, "form_error.html", {"errors": {"": error_messages(exc)}, "back": back}, status=status)
    item = _("第%(n)s号 %(t)s") % {"n": proposal.number, "t": proposal.title}
    messages.success(request, _("答复已关联到建议提案：%(p)s") % {"p": item})
    return redirect("proposals:detail", proposal.pk)


def _stored_initial(response: Response) -> dict:
    proposal = response.proposal
    return {
        "agency": response.agency,
        "doc_number": response.doc_number,
        "signed_on": response.signed_on,
        "category": response.category,
        "disclosure": response.disclosure,
        "is_draft": response.is_draft,
        "session": str(proposal.session_id) if proposal else "",
        "proposal_number": proposal.number if proposal else "",
        "proposal_title": proposal.title if proposal else "",
        "proposers": "、".join(proposal.proposer_links.values_list("proposer__name", flat=True)) if proposal else "",
        "contact_name": response.contact_name,
        "contact_phones": "，".join(response.contact_phones),
        "cc": "、".join(response.cc),
    }


def _stored_commitment(c) -> dict:
    return {
        "id": c.pk,
        "text": c.text,
        "deadline": c.deadline,
        "deadline_text": c.deadline_text,
        "precision": c.precision,
        "strength": c.strength,
        "recurrence": c.recurrence,
        "targets": format_targets(c.targets.all()),
        "agency_names": "、".join(c.agency_names),
        "owner": c.owner_id,
        "start": c.start,
        "end": c.end,
        "section_kind": c.section_kind,
    }


def _meta_initial(meta, agencies, session: str, user, foreign: bool) -> dict:
    # The initial choice is an Agency found from the letter or else the pk of the clerk's only agency; a letter
    # from another agency is never pre-selected as the clerk's own.
    agency: Agency | int | None = (
        agency_find(meta.agency or meta.lead_agency or "") if (meta.agency or meta.lead_agency) else None
    )
    if isinstance(agency, Agency) and not agencies.filter(pk=agency.pk).exists():
        agency = None
    if agency is None and len(scoping.agency_ids(user)) == 1 and not foreign:
        agency = scoping.agency_ids(user)[0]
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
        "proposers": "、".join(meta.proposers),
        "contact_name": meta.contact_name or "",
        "contact_phones": "，".join(meta.contact_phones),
        "cc": "、".join(meta.cc),
    }


# Lazy: these module-level labels are translated when a page is rendered, in that request's language.
SECTION_LABELS = {  # the pipeline's section kinds (responses.extraction.structure.SECTION_KINDS) and older "past"
    "review": gettext_lazy("回顾"),
    "past": gettext_lazy("回顾"),
    "response": gettext_lazy("答复"),
    "next_steps": gettext_lazy("下一步"),
    "programme": gettext_lazy("规划"),
    "other": gettext_lazy("其他"),
}
SCOPE_LABELS = {
    "sentence": gettext_lazy("同句"),
    "paragraph": gettext_lazy("段首"),
    "list_head": gettext_lazy("列表首"),
    "heading": gettext_lazy("标题"),
}


def proposal_reason(c) -> str:
    """Why the pipeline proposed a clause, in one line: its section, time words, markers and score."""
    signals = c.signals
    parts = [_("范围：%(s)s") % {"s": SECTION_LABELS.get(c.section_kind, c.section_kind)}]
    dated_by = next((s.split(":", 1)[1] for s in signals if s.startswith("dated_by:")), "")
    if c.deadline_text:
        inherited = _("（承自%(s)s）") % {"s": SCOPE_LABELS[dated_by]} if dated_by in SCOPE_LABELS else ""
        parts.append(_("时间：%(t)s") % {"t": c.deadline_text} + inherited)
    markers = [s.split(":", 1)[1] for s in signals if s.startswith("marker:")]
    if markers:
        parts.append(_("标记词：%(m)s") % {"m": "、".join(markers)})
    if "task_verb" in signals:
        parts.append(_("任务动词"))
    if "target" in signals:
        parts.append(_("量化目标"))
    if c.score is not None:
        parts.append(_("评分 %(s).2f") % {"s": c.score})
    return " · ".join(parts)


def _form_values(item) -> dict:
    """A CommitmentInput as the formset's field values (strings), for the script that adds a candidate."""
    return {
        k: "" if v is None else v.isoformat() if hasattr(v, "isoformat") else str(v) for k, v in _initial(item).items()
    }


def _initial(item) -> dict:
    return {
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


def _commitments_initial(extraction) -> list[dict]:
    return [_initial(item) for item in reply_logging.commitment_inputs_from_extraction(extraction)]


def _span_for(text: str, document_text: str, start, end) -> tuple[int | None, int | None]:
    """Keep the extracted span when the clause is unchanged; otherwise find the edited clause, or drop the span."""
    if start is not None and end is not None and document_text[start:end] == text:
        return start, end
    at = document_text.find(text)
    return (at, at + len(text)) if at >= 0 else (None, None)


def _confirm(request, document, extraction, meta_form, formset, letter_agency, editing: Response | None = None):
    """Build the ReplyInput from the forms and log it in one transaction; None means errors were added."""
    data = meta_form.cleaned_data
    agency = data["agency"]
    try:
        reply_agency_check(
            user=request.user, agency=agency, letter_agency=letter_agency, confirmed=data["agency_confirmed"]
        )
    except ValidationError as exc:
        for message in error_messages(exc):
            meta_form.add_error("agency", message)
        return None
    if data["doc_number"]:
        duplicate = response_find_duplicate(agency=agency, doc_number=data["doc_number"].strip(), document=document)
        if editing is not None and duplicate is not None and duplicate.pk == editing.pk:
            duplicate = None
        if duplicate is not None and Response.objects.visible_to(request.user).filter(pk=duplicate.pk).exists():
            messages.info(request, _("同一单位同一文号的答复已登记，已为您打开原记录。"))
            return redirect("responses:detail", duplicate.pk)
        if duplicate is not None:
            meta_form.add_error("doc_number", _("该文号已被登记"))
            return None
    items = []
    for form in formset.forms:
        if not form.has_changed() and not form.initial or form.cleaned_data.get("DELETE"):
            continue
        d = form.cleaned_data
        if not d.get("text", "").strip():
            continue
        origin = (d["start"], d["end"]) if d.get("start") is not None and d.get("end") is not None else None
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
                id=d.get("id"),
                origin=origin,
            )
        )
    try:
        with transaction.atomic():
            if editing is None:  # editing changes the reply the document already has
                response_claim(document=document)
            proposal = None
            if data["session"]:
                if data["session"] == "letter":
                    meta = extraction.metadata
                    letter = reply_logging.letter_session(meta, agency)
                    if letter is None:
                        raise ValidationError({"session": _("来函未写明完整的会议")})
                    session = session_for_letter(
                        letter=letter, user=request.user, year=meta.reply_date.year if meta.reply_date else None
                    )
                else:
                    session = Session.objects.get(pk=int(data["session"]))
                proposal = proposal_for_reply(
                    user=request.user,
                    agency=agency,
                    session=session,
                    number=data["proposal_number"],
                    title=data["proposal_title"],
                    proposers=split_list(data["proposers"]),
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
                extracted=extracted_items(extraction),
                feedback_source=FeedbackSource.PREVIEW,
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
        _add_errors(meta_form, exc)
        return None
    if editing is not None:
        messages.success(request, _("答复已修改，共 %(n)d 项承诺。") % {"n": len(items)})
    else:
        messages.success(request, _("答复已登记，共 %(n)d 项承诺。") % {"n": len(items)})
    return redirect("responses:detail", response.pk)


def _add_errors(meta_form, exc: ValidationError) -> None:
    """A service's error on a field of the form shows beside that field; anything else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            meta_form.add_error(field if field in meta_form.fields else None, errors)
    else:
        for message in error_messages(exc):
            meta_form.add_error(None, message)
