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

from django.db import transaction

from proposals.choices import BODY_BY_LABEL, KIND_BY_LABEL
from proposals.dates import date_or_none
from proposals.models import Proposal
from proposals.services import (
    agency_ensure,
    body_ensure,
    proposal_assign,
    proposal_register,
    proposer_ensure,
    proposer_kind_for,
    session_ensure,
)
from responses.choices import Disclosure
from responses.models import Document, Response
from responses.services import document_ingest, response_save

from .choices import STRENGTH_BY_LABEL, SectionKind, Strength
from .services import CommitmentInput, TargetInput, commitment_create


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


@transaction.atomic
def reply_log(*, document: Document, reply: ReplyInput, user=None) -> Response:
    """Save a confirmed reply and replace its commitments, all in one transaction."""
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
    response.commitments.all().delete()
    for item in reply.commitments:
        commitment_create(document=document, item=item, response=response, user=user)
    return response


# The pipeline's section kinds (responses/extraction/types.py) → stored SectionKind values.
SECTION_KIND_BY_PIPELINE = {
    "past": SectionKind.PAST,
    "response": SectionKind.RESPONSE,
    "next_steps": SectionKind.NEXT,
    "other": SectionKind.OTHER,
}


def commitment_inputs_from_extraction(extraction) -> list[CommitmentInput]:
    """Turn the pipeline's commitments into inputs for commitment_create, each with its section's heading."""
    items = []
    for c in extraction.commitments:
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
                recurrence=c.recurring or "",
                strength=STRENGTH_BY_LABEL.get(c.strength, Strength.OTHER),
                start=c.start,
                end=c.end,
                section=section,
                section_kind=SECTION_KIND_BY_PIPELINE.get(c.section_kind, SectionKind.OTHER),
                agency_names=tuple(c.agencies),
                targets=tuple(TargetInput(t.text, t.value, t.unit) for t in c.targets),
            )
        )
    return items


_JURISDICTION = re.compile(r"^(.{1,8}?[省市州县区盟])")


def reply_input_from_extraction(extraction) -> ReplyInput:
    """Build a ReplyInput from what the pipeline found, registering the body, session, proposal and proposers."""
    meta = extraction.metadata
    proposal = None
    if meta.body and meta.session and meta.proposal_number and meta.session_term and meta.session_meeting:
        jurisdiction = meta.session_jurisdiction or ""
        body_kind = BODY_BY_LABEL[meta.body]
        body = body_ensure(name=f"{jurisdiction}{meta.body}", kind=body_kind, jurisdiction=jurisdiction)
        year = meta.reply_date.year if meta.reply_date else None
        session = session_ensure(
            body=body, term=meta.session_term, meeting=meta.session_meeting, name=meta.session, year=year
        )
        proposers = [
            proposer_ensure(name=n, kind=proposer_kind_for(name=n, body_kind=body_kind)) for n in meta.proposers
        ]
        proposal = proposal_register(
            session=session,
            number=meta.proposal_number,
            title=meta.proposal_title or "",
            kind=KIND_BY_LABEL.get(meta.proposal_kind or ""),
            proposers=proposers,
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
    agency_name = meta.agency or meta.lead_agency or "未识别单位"
    match = _JURISDICTION.match(agency_name)
    agency_ensure(name=agency_name, jurisdiction=match.group(1) if match else "", aliases=_aliases(meta, agency_name))
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
