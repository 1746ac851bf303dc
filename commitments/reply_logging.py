"""How a reply letter becomes commitments: the one place for it (docs/architecture.md, "Logging a reply").

Upload → `responses.services.document_ingest` (stored once per content hash, extracted) → a `ReplyInput` (from the
clerk's confirmed preview, `commitments/views/reply.py`, or straight from the extraction: the API and the seed
loader) → `reply_log`, which saves the `Response` through `responses.services.response_save` and its commitments
through `commitments.services.commitment_create`, in one transaction.
"""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from proposals import scoping
from proposals.choices import KIND_BY_LABEL, ProposalStatus
from proposals.dates import date_or_none
from proposals.errors import Conflict
from proposals.history import change_reason_set, history_user_set
from proposals.models import Body, Proposal, Session
from proposals.selectors import agencies_find, agency_find, jurisdiction_of, letter_session_match
from proposals.services import (
    agency_ensure,
    proposal_assign,
    proposal_register,
    proposal_set_status,
    proposers_for_names,
    session_for_letter,
)
from responses.choices import Disclosure, ReviewState
from responses.learning import ExtractedItem, FinalItem, corrections, extracted_items
from responses.models import Document, Response
from responses.services import document_extraction, document_ingest, extraction_feedback_record, response_save

if TYPE_CHECKING:
    from responses.extraction.types import Metadata

from .choices import STRENGTH_BY_LABEL, Recurrence, SectionKind, Strength
from .models import Commitment
from .services import (
    CommitmentInput,
    TargetInput,
    commitment_create,
    commitment_remove_from_reply,
    commitment_revise,
    has_tracking,
)


@dataclass(frozen=True)
class ReplyInput:
    """What a clerk confirms about one reply letter: the item it answers, its header, and its commitments."""

    agency_name: str
    doc_number: str = ""
    signed_on: dt.date | None = None
    category: str = ""
    disclosure: str = Disclosure.UNKNOWN
    is_draft: bool = False
    contact_name: str = ""
    contact_phones: Sequence[str] = ()
    cc: Sequence[str] = ()
    proposal: Proposal | None = None
    commitments: Sequence[CommitmentInput] = ()
    # What the extraction proposed, and where the confirmation came from (FeedbackSource); with a source,
    # reply_log records the clerk's corrections (responses/learning.py). The seed loader records none.
    extracted: Sequence[ExtractedItem] = ()
    feedback_source: str = ""


@transaction.atomic
def reply_log(*, document: Document, reply: ReplyInput, user=None) -> Response:
    """Save a confirmed reply and its commitments, all in one transaction.

    Logging the same reply again (editing it) changes its commitments in place: rows carrying the id of one of the
    reply's commitments revise it (`commitment_revise`), rows without an id are new, and commitments left out are
    deleted when nothing was tracked on them, else withdrawn (`commitment_remove_from_reply`).
    """
    agency = agency_ensure(name=reply.agency_name)
    response = response_save(
        document=document,
        agency=agency,
        user=user,
        proposal=reply.proposal,
        doc_number=reply.doc_number,
        signed_on=reply.signed_on,
        category=reply.category,
        disclosure=reply.disclosure,
        is_draft=reply.is_draft,
        contact_name=reply.contact_name,
        contact_phones=reply.contact_phones,
        cc=reply.cc,
    )
    # Locked: two clerks editing the same reply would otherwise both revise the same rows.
    existing = {c.pk: c for c in Commitment.objects.select_for_update().filter(response=response)}
    unknown = [item.id for item in reply.commitments if item.id is not None and item.id not in existing]
    if unknown:
        raise ValidationError(_("承诺 %(ids)s 不属于该答复") % {"ids": unknown})
    kept = set()
    for item in reply.commitments:
        if item.id is not None:
            commitment_revise(commitment=existing[item.id], item=item, user=user)
            kept.add(item.id)
        else:
            commitment_create(document=document, item=item, response=response, user=user)
    for pk, commitment in existing.items():
        if pk not in kept:
            commitment_remove_from_reply(commitment=commitment, user=user)
    if reply.feedback_source:
        finals = [FinalItem(item.text, item.deadline, item.origin) for item in reply.commitments]
        rows = corrections(reply.extracted, finals)
        extraction_feedback_record(document=document, source=reply.feedback_source, rows=rows, user=user)
    return response


def reply_deletable(response: Response) -> list[Commitment]:
    """The reply's commitments that block deleting it: those with progress, evidence, requests or a closed status."""
    return [c for c in response.commitments.all() if has_tracking(c)]


@transaction.atomic
def reply_delete(*, response: Response, user=None) -> None:
    """Delete a reply with its untracked commitments, refused while one has progress, evidence or requests.

    The item follows: its agency's assignment is unanswered again, and an item left without a confirmed reply goes
    back to 已交办 (or 已登记 when unassigned).
    """
    blocking = reply_deletable(response)
    if blocking:
        raise ValidationError(
            _("该答复的 %(n)d 项承诺已有进展、佐证或申请，不能删除答复；请改为修改答复或撤回承诺")
            % {"n": len(blocking)}
        )
    proposal, agency_id = response.proposal, response.agency_id
    response.commitments.all().delete()
    response.delete()
    if proposal is not None:
        proposal.assignments.filter(agency_id=agency_id).update(answered_on=None)
        if (
            proposal.status == ProposalStatus.REPLIED
            and not proposal.responses.filter(review_state=ReviewState.CONFIRMED).exists()
        ):
            status = ProposalStatus.ASSIGNED if proposal.assignments.exists() else ProposalStatus.REGISTERED
            proposal_set_status(proposal=proposal, status=status, reason="答复已删除")


def document_take_over(*, document: Document, user) -> bool:
    """Make `user` the uploader of a letter nobody owns: loaded by the system (no uploader), with no reply and no
    commitment (an administrator deleted its reply). True when taken; a race leaves one uploader."""
    # One conditional UPDATE: two clerks uploading it at once cannot both take it.
    taken = (
        Document.objects.filter(pk=document.pk, uploaded_by__isnull=True)
        .exclude(Exists(Response.objects.filter(document=OuterRef("pk"))))
        .exclude(Exists(Commitment.objects.filter(document=OuterRef("pk"))))
        .update(uploaded_by=user)
    )
    return taken == 1


# ---------------------------------------------------------------------------------------- the item a letter names


def letter_context(meta, *agencies) -> list[str]:
    """Where the letter comes from, to resolve a session written as 市十五届人大三次会议: the agencies' places."""
    context = []
    for agency in agencies:
        if agency is not None:
            context += [agency.jurisdiction, agency.name]
    return [*context, meta.agency or "", meta.lead_agency or ""]


def letter_session(meta, *agencies, **rows):
    """The session the letter names, matched to existing ones (`letter_session_match`, `rows` its `bodies` and
    `sessions` already read); None when incomplete."""
    return letter_session_match(
        body_label=meta.body,
        jurisdiction=meta.session_jurisdiction,
        term=meta.session_term,
        meeting=meta.session_meeting,
        name=meta.session or "",
        context=letter_context(meta, *agencies),
        **rows,
    )


def _letter_meta(document: Document):
    from responses.extraction import ExtractionError

    try:
        return document_extraction(document=document).metadata
    except ExtractionError:  # stored under an older pipeline and now over a budget
        return None


def letters_items(named: Sequence[tuple[Response, "Metadata | None"]], *, user) -> dict[int, Proposal]:
    """The existing item each unlinked reply's letter names, as the upload matches it: the letter's session (matched
    with the reply's agency as context) and its item number; only items `user` may see (the upload's rule).
    `named` pairs each reply with its letter's `Metadata` (None: unreadable). {reply pk: item}, in five queries
    however many replies (six when a letter's agency is named only by an alias); a linked reply, a letter without a
    number or a complete session, or an item not registered yet is left out."""
    metas = {
        reply.pk: (reply, meta)
        for reply, meta in named
        if reply.proposal_id is None and meta is not None and (meta.proposal_number or "").strip()
    }
    if not metas:
        return {}
    letter_agencies = agencies_find(meta.agency or meta.lead_agency or "" for _, meta in metas.values())
    bodies = list(Body.objects.all())
    matched = {}  # reply pk: (body id, term, meeting, number)
    for pk, (reply, meta) in metas.items():
        letter_agency = letter_agencies.get(meta.agency or meta.lead_agency or "")
        letter = letter_session(meta, letter_agency, reply.agency, bodies=bodies, sessions={})
        if letter is not None and letter.body is not None:
            matched[pk] = (letter.body.pk, letter.term, letter.meeting, (meta.proposal_number or "").strip())
    if not matched:
        return {}
    session_q = Q()
    for body_id, term, meeting, _number in matched.values():
        session_q |= Q(body_id=body_id, term=term, meeting=meeting)
    sessions = {(s.body_id, s.term, s.meeting): s.pk for s in Session.objects.filter(session_q)}
    wanted = {pk: (sessions[key[:3]], key[3]) for pk, key in matched.items() if key[:3] in sessions}
    if not wanted:
        return {}
    items = {
        (p.session_id, p.number): p
        for p in Proposal.objects.visible_to(user)
        .filter(session_id__in={s for s, _ in wanted.values()}, number__in={n for _, n in wanted.values()})
        .select_related("session")
        .defer("search_text", "search_vector")
    }
    return {pk: items[key] for pk, key in wanted.items() if key in items}


def letter_item(response: Response, *, user) -> Proposal | None:
    """The existing item an unlinked reply's letter names (`letters_items`, the letter read from the document's
    current extraction); None when there is none."""
    if response.proposal_id is not None:
        return None
    return letters_items([(response, _letter_meta(response.document))], user=user).get(response.pk)


def replies_naming_item(proposal: Proposal, *, user) -> list[Response]:
    """Unlinked replies the user may link (their agency's clerk, a supervisor) whose letter names `proposal`."""
    candidates = [
        r
        for r in Response.objects.visible_to(user)
        .filter(proposal__isnull=True, document__extraction__metadata__proposal_number__icontains=proposal.number)
        .select_related("document", "agency")
        .order_by("pk")[:20]
        if scoping.may_act_for_agency(user, r.agency_id)
    ]
    items = letters_items([(r, _letter_meta(r.document)) for r in candidates], user=user)
    return [r for r in candidates if items.get(r.pk) == proposal]


@transaction.atomic
def reply_link_item(*, response: Response, user) -> Proposal:
    """Link a reply saved without its item to the item its letter names (`letter_item`), as if it had been logged
    against it: the assignment is answered, the item replied, the commitments follow (`response_save`). Returns
    the item."""
    locked = Response.objects.select_for_update().select_related("document", "agency").get(pk=response.pk)
    if not scoping.may_act_for_agency(user, locked.agency_id):
        raise PermissionDenied(_("只有答复单位的办理人员或督办人员可以关联建议提案"))
    if locked.proposal_id is not None:
        raise Conflict(_("该答复已关联建议提案"), existing=locked)
    proposal = letter_item(locked, user=user)
    if proposal is None:
        raise ValidationError(_("来函所称的建议提案尚未登记或不在您的范围内，请通过“修改答复”选择"))
    response_save(
        document=locked.document,
        agency=locked.agency,
        user=user,
        proposal=proposal,
        doc_number=locked.doc_number,
        signed_on=locked.signed_on,
        issued_on=locked.issued_on,
        category=locked.category,
        disclosure=locked.disclosure,
        is_draft=locked.is_draft,
        contact_name=locked.contact_name,
        contact_phones=locked.contact_phones,
        cc=locked.cc,
        confirm=locked.review_state == ReviewState.CONFIRMED,
    )
    for commitment in Commitment.objects.filter(response=locked):
        commitment.proposal = proposal
        history_user_set(commitment, user)
        change_reason_set(commitment, "关联建议提案")
        commitment.save(update_fields=["proposal", "updated_at"])
    return proposal


# The pipeline's section kinds (responses/extraction/types.py) → stored SectionKind values.
# The pipeline's section kinds (responses/extraction/structure.SECTION_KINDS; "past" is the older name of
# "review", still in extractions stored before session 8). A programme (a report's plan for the coming period) has
# no kind of its own here: "other".
SECTION_KIND_BY_PIPELINE = {
    "review": SectionKind.PAST,
    "past": SectionKind.PAST,
    "response": SectionKind.RESPONSE,
    "next_steps": SectionKind.NEXT,
    "other": SectionKind.OTHER,
}


def commitment_inputs_from_extraction(extraction, proposed=None) -> list[CommitmentInput]:
    """Turn the pipeline's commitments (or `proposed`: its candidates) into inputs, each with its section's heading."""
    items = []
    for c in extraction.commitments if proposed is None else proposed:
        # The innermost numbered section that contains the clause (sections are nested and in text order).
        around = [s for s in extraction.sections if s.start <= c.start < s.end]
        heading = max(around, key=lambda s: (s.level, s.start)) if around else None
        section = extraction.text[heading.start : heading.heading_end].strip().lstrip("#").strip() if heading else ""
        items.append(
            CommitmentInput(
                text=c.text,
                # A date out of range (a typo such as 2O25 read as 9025) is dropped; its words stay in deadline_text.
                deadline=date_or_none(c.deadline),
                deadline_text=c.deadline_text or "",
                precision=c.precision,
                # The stored periods are Recurrence's (monthly … yearly); a schedule the pipeline reads that has none
                # (每周 "weekly") is kept in its words (deadline_text), not as periods: it was an IntegrityError.
                recurrence=c.recurring if c.recurring in Recurrence.values else "",
                strength=STRENGTH_BY_LABEL.get(c.strength, Strength.OTHER),
                start=c.start,
                end=c.end,
                section=section,
                section_kind=SECTION_KIND_BY_PIPELINE.get(c.section_kind, SectionKind.OTHER),
                agency_names=tuple(c.agencies),
                targets=tuple(TargetInput(t.text, t.value, t.unit) for t in c.targets),
                origin=(c.start, c.end),
            )
        )
    return items


_JURISDICTION = re.compile(r"^(.{1,8}?[省市州县区盟])")


def reply_input_from_extraction(extraction, *, user=None, feedback_source: str = "") -> ReplyInput:
    """Build a ReplyInput from what the pipeline found, registering the item and its proposers.

    The letter's session is matched to an existing one first (`letter_session_match`: 市十五届人大 is the replying
    agency's city); a new session or body is created only where a supervisor will see it (`session_for_letter`).
    """
    meta = extraction.metadata
    proposal = None
    agency_name = meta.agency or meta.lead_agency or "未识别单位"
    letter = letter_session_match(
        body_label=meta.body,
        jurisdiction=meta.session_jurisdiction,
        term=meta.session_term,
        meeting=meta.session_meeting,
        name=meta.session or "",
        context=[jurisdiction_of(agency_name), *(a.jurisdiction for a in [agency_find(agency_name)] if a)],
    )
    if letter is not None and meta.proposal_number and (letter.session or len(letter.jurisdiction) > 1):
        jurisdiction = letter.jurisdiction
        year = meta.reply_date.year if meta.reply_date else None
        session = session_for_letter(letter=letter, user=user, year=year)
        proposal = proposal_register(
            session=session,
            number=meta.proposal_number,
            title=meta.proposal_title or "",
            kind=KIND_BY_LABEL.get(meta.proposal_kind or ""),
            proposers=proposers_for_names(names=meta.proposers, body_kind=letter.kind),
            is_key="重点" in (extraction.text[:600]),
            lead_official=meta.lead_official or "",
            supervising_official=meta.supervising_official or "",
        )
        lead_name = meta.lead_agency or meta.agency
        if lead_name:
            proposal_assign(
                proposal=proposal,
                agency=agency_ensure(name=lead_name, jurisdiction=jurisdiction, aliases=_aliases(meta, lead_name)),
            )
        for name in meta.co_agencies:
            proposal_assign(proposal=proposal, agency=agency_ensure(name=name, jurisdiction=jurisdiction), role="co")
    agency_ensure(name=agency_name, jurisdiction=jurisdiction_of(agency_name), aliases=_aliases(meta, agency_name))
    return ReplyInput(
        agency_name=agency_name,
        doc_number=meta.doc_number or "",
        signed_on=date_or_none(meta.reply_date),
        category=(meta.category or "").lower(),
        disclosure={"公开": Disclosure.PUBLIC, "不公开": Disclosure.NOT_PUBLIC}.get(
            meta.disclosure or "", Disclosure.UNKNOWN
        ),
        is_draft=bool(meta.is_draft),
        contact_name=meta.contact_name or "",
        contact_phones=tuple(meta.contact_phones),
        cc=tuple(meta.cc),
        proposal=proposal,
        commitments=commitment_inputs_from_extraction(extraction),
        extracted=extracted_items(extraction) if feedback_source else (),
        feedback_source=feedback_source,
    )


def _aliases(meta, full_name: str) -> list[str]:
    """The short forms letters use for their own agency: 昆明市发展和改革委员会 → 市发展改革委, 昆明市发展改革委."""
    aliases = []
    if meta.lead_agency and meta.agency and meta.lead_agency != meta.agency and full_name == meta.agency:
        aliases.append(meta.lead_agency)
    short = full_name.replace("发展和改革委员会", "发展改革委")
    if short != full_name:
        aliases.append(short)
        match = _JURISDICTION.match(short)
        if match and match.group(1).endswith(("市", "州", "县", "区")):
            aliases.append(match.group(1)[-1] + short[len(match.group(1)) :])
    return aliases


@transaction.atomic
def seed_document_load(*, data: bytes, filename: str, user=None) -> tuple[Document, bool, int]:
    """Ingest one document and log what extraction finds, unreviewed; a document seen before is left as it is."""
    ingested = document_ingest(data=data, filename=filename, user=user, source=filename)
    document = ingested.document
    if not ingested.created or document.commitments.exists() or hasattr(document, "response"):
        return document, False, document.commitments.count()
    if document.kind == "reply":
        reply = reply_input_from_extraction(ingested.extraction)
        response = reply_log(document=document, reply=reply, user=user)
        return document, True, response.commitments.count()
    items = commitment_inputs_from_extraction(ingested.extraction)
    for item in items:
        commitment_create(document=document, item=item, user=user)
    return document, True, len(items)
