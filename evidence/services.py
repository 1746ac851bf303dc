"""Writes for evidence: ingest a later document, store its suggestions, accept or reject them."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Commitment
from commitments.reply_logging import seed_document_load
from commitments.services import progress_record, target_record_actual
from proposals import scoping
from responses.models import Document
from responses.services import document_ingest

from . import selectors
from .choices import LinkState
from .models import EvidenceLink


def can_work_on_evidence(user) -> bool:
    """Clerks and supervisors upload later documents, look for suggestions and decide them; a proposer only reads
    the evidence pages of his items (session 16: his POST ran the matcher)."""
    return scoping.is_clerk(user) or scoping.is_supervisor(user)


@dataclass(frozen=True)
class IngestResult:
    """A stored document, whether it is new, how many commitments it carries, and the suggestions it produced."""

    document: Document
    created: bool
    commitments: int
    links: list[EvidenceLink]


def evidence_document_ingest(
    *,
    data: bytes,
    filename: str,
    user=None,
    confirm: bool = False,
    source: str = "",
    agency_ids: list[int] | None = None,
    agency_names: tuple[str, ...] = (),
) -> IngestResult:
    """Store a document (with its extracted commitments when ``confirm``) and suggest what it reports on.

    Raises ExtractionError on a bad file, before anything is stored.
    """
    if confirm:
        document, created, count = seed_document_load(data=data, filename=filename, user=user)
    else:
        ingested = document_ingest(data=data, filename=filename, user=user, source=source)
        document, created, count = ingested.document, ingested.created, ingested.document.commitments.count()
    links = evidence_suggest(document=document, user=user, agency_ids=agency_ids, agency_names=agency_names)
    return IngestResult(document=document, created=created, commitments=count, links=links)


@transaction.atomic
def evidence_suggest(
    *, document: Document, user=None, agency_ids: list[int] | None = None, agency_names: tuple[str, ...] = ()
) -> list[EvidenceLink]:
    """Store the suggested links of ``document`` (idempotent); a commitment rejected for it is not suggested again."""
    rejected = set(
        EvidenceLink.objects.filter(document=document, state=LinkState.REJECTED).values_list("commitment_id", flat=True)
    )
    links: list[EvidenceLink] = []
    for commitment, match in selectors.evidence_rank(
        document=document, user=user, agency_ids=agency_ids, agency_names=agency_names
    ):
        if not match.suggested or commitment.pk in rejected:
            continue
        target = None
        if match.actual is not None:
            target = next((t for t in commitment.targets.all() if t.unit == match.actual[1]), None)
        link, _ = EvidenceLink.objects.get_or_create(
            commitment=commitment,
            document=document,
            start=match.passage.start,
            defaults={
                "end": match.passage.end,
                "evidence_text": match.passage.text,
                "shared": list(match.shared),
                "score": match.score,
                "outcome": match.outcome,
                "target": target,
                "actual_value": match.actual[0] if match.actual and target else None,
            },
        )
        if link.state != LinkState.REJECTED:
            links.append(link)
    return links


def _check_scope(user, link: EvidenceLink) -> None:
    if not EvidenceLink.objects.visible_to(user).filter(pk=link.pk).exists():
        raise PermissionDenied(_("无权操作该佐证"))


@transaction.atomic
def evidence_link_accept(*, link: EvidenceLink, user) -> EvidenceLink:
    """Accept: one progress update with the document as evidence and, where a figure was found, the actual value."""
    _check_scope(user, link)
    link = EvidenceLink.objects.select_for_update(of=("self",)).select_related("document", "target").get(pk=link.pk)
    if link.state == LinkState.ACCEPTED:
        return link  # accepting twice records one update
    if link.state == LinkState.REJECTED:
        raise ValidationError({"state": _("该建议已驳回")})
    commitment = Commitment.objects.get(pk=link.commitment_id)
    document = link.document
    title = document.title or document.original_name or f"#{document.pk}"
    note = f"【{link.get_outcome_display()}】{link.evidence_text}（佐证文档：{title}）"
    update = progress_record(
        commitment=commitment,
        user=user,
        note=note,
        percent=100 if link.outcome == "done" else None,
        # The document is the evidence through link.progress_update (its file is written only on commit).
    )
    if link.target is not None and link.actual_value is not None:
        target_record_actual(
            target=link.target, user=user, value=link.actual_value, note=f"据《{title}》：{link.evidence_text[:200]}"
        )
    link.state = LinkState.ACCEPTED
    link.decided_by = user
    link.decided_at = timezone.now()
    link.progress_update = update
    try:
        link.save(update_fields=["state", "decided_by", "decided_at", "progress_update"])
    except IntegrityError as exc:  # pragma: no cover - the row lock above makes this unreachable
        raise ValidationError({"state": _("该建议已处理")}) from exc
    return link


@transaction.atomic
def evidence_link_reject(*, link: EvidenceLink, user) -> EvidenceLink:
    """Reject: the suggestion is kept as rejected so it is not suggested again; an accepted one stays accepted."""
    _check_scope(user, link)
    link = EvidenceLink.objects.select_for_update().get(pk=link.pk)
    if link.state == LinkState.ACCEPTED:
        raise ValidationError({"state": _("该建议已采纳")})
    if link.state != LinkState.REJECTED:
        link.state = LinkState.REJECTED
        link.decided_by = user
        link.decided_at = timezone.now()
        link.save(update_fields=["state", "decided_by", "decided_at"])
    return link
