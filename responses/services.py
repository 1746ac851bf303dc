"""Writes for documents and replies."""

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals import scoping
from proposals.choices import AssignmentRole, ProposalStatus
from proposals.history import change_reason_set
from proposals.models import Agency, Proposal
from proposals.services import proposal_set_status

from . import learning
from .choices import Disclosure, DocumentKind, ReviewState, Satisfaction
from .files import file_attach_on_commit
from .models import Document, ExtractionFeedback, ExtractorModel, Response
from .office_files import upload_extract

if TYPE_CHECKING:
    from responses.extraction import Budgets, Extraction


@dataclass(frozen=True)
class Ingested:
    """A stored document with its extraction; `created` is False when the same bytes were uploaded before."""

    document: Document
    extraction: "Extraction"
    created: bool


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def extraction_budgets() -> "Budgets":
    """The extraction budgets of this installation: the defaults, UPLOAD_MAX_BYTES, then EXTRACTION_BUDGETS."""
    from responses.extraction import DEFAULT_BUDGETS

    overrides = {"max_bytes": settings.UPLOAD_MAX_BYTES, **getattr(settings, "EXTRACTION_BUDGETS", {})}
    return DEFAULT_BUDGETS.with_overrides(overrides)


def document_ingest(*, data: bytes, filename: str, user=None, source: str = "") -> Ingested:
    """Read and extract an uploaded file, store it once per content (same bytes or same normalised text).

    Raises ExtractionError on bad input. The extraction is stored with the document; the file is
    written only when the transaction commits.
    """
    from responses.extraction.storage import extraction_to_json, pipeline_version, text_fingerprint

    version = pipeline_version()  # before extracting: a model promoted meanwhile leaves this one stale
    # An Office file's refusal names it and what to upload instead; a letter under an Office name is read (session 19).
    extraction = upload_extract(data, filename, budgets=extraction_budgets())
    digest = content_hash(data)
    text_hash = text_fingerprint(extraction.text)
    existing = document_find_same(content_hash=digest, text_hash=text_hash)
    if existing is not None:
        # Its own extraction: offsets must refer to its text, which may differ in whitespace from this file's.
        return Ingested(existing, document_extraction(document=existing), created=False)
    meta = extraction.metadata
    is_reply = bool(meta.doc_number or meta.proposal_number or meta.proposal_title)
    document = Document(
        kind=DocumentKind.REPLY if is_reply else DocumentKind.NEWS,
        title=(meta.proposal_title or "")[:300] or _first_line(extraction.text),
        original_name=filename[:255],
        # A file name or a path past the column (a multipart name of 600 characters, `ingest` on a deep folder) was a
        # DataError, a 500, after the file had been read and extracted (session 20).
        source=(source or filename)[: Document._meta.get_field("source").max_length or 500],
        text=extraction.text,
        content_hash=digest,
        text_hash=text_hash,
        size=len(data),
        extraction=extraction.to_prediction(),
        extraction_detail=extraction_to_json(extraction),
        extraction_version=version,
        uploaded_by=user,
    )
    try:
        with transaction.atomic():
            file_attach_on_commit(
                instance=document, field="original", content=data, filename=filename, reuse_existing=True
            )
            document.save()
    except IntegrityError:
        # The same letter committed by a concurrent upload between the lookup and the insert.
        existing = document_find_same(content_hash=digest, text_hash=text_hash)
        if existing is None:
            raise
        return Ingested(existing, document_extraction(document=existing), created=False)
    return Ingested(document, extraction, created=True)


def document_find_same(*, content_hash: str, text_hash: str) -> Document | None:
    """A stored document with the same bytes, or else the same normalised text."""
    return (
        Document.objects.filter(content_hash=content_hash).first()
        or Document.objects.filter(text_hash=text_hash).exclude(text_hash="").first()
    )


def document_extraction(*, document: Document) -> "Extraction":
    """The document's extraction: the stored one while its version is the pipeline's, else extracted again and stored.

    Extracting again reads the original file within the budgets, or the stored text when the file
    is gone or now over a budget.
    """
    from responses.extraction import ExtractionError, extract_text
    from responses.extraction.storage import extraction_from_json, extraction_to_json, pipeline_version

    version = pipeline_version()
    if document.extraction_version == version and document.extraction_detail:
        try:
            return extraction_from_json(document.extraction_detail, document.text)
        except (TypeError, ValueError, KeyError):
            pass  # a stored shape this code no longer reads: extract again
    budgets = extraction_budgets()
    extraction = None
    if document.original:
        try:
            with document.original.open("rb") as handle:
                data = handle.read(budgets.max_bytes + 1)
            extraction = upload_extract(data, document.original_name or document.original.name, budgets=budgets)
        except (OSError, ExtractionError):
            extraction = None
    if extraction is None or extraction.text != document.text:
        # Offsets must refer to the stored text, which confirmed commitments point into.
        extraction = extract_text(document.text, budgets=budgets)
    Document.objects.filter(pk=document.pk).update(
        extraction=extraction.to_prediction(),
        extraction_detail=extraction_to_json(extraction),
        extraction_version=version,
    )
    return extraction


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:300]
    return ""


def response_find_duplicate(*, agency: Agency, doc_number: str, document: Document) -> Response | None:
    """An existing reply for the same letter: same document, or same 文号 from the same agency."""
    found = Response.objects.filter(document=document).first()
    if found is None and doc_number:
        found = Response.objects.filter(agency=agency, doc_number=doc_number).first()
    return found


def letter_from_other_agency(*, user, letter_agency: Agency | None) -> bool:
    """The letter was issued by a known agency that is not one of the clerk's own (supervisors act for any)."""
    if letter_agency is None or user is None or scoping.sees_everything(user) or scoping.body_ids(user):
        return False
    return letter_agency.pk not in scoping.agency_ids(user)


def reply_agency_check(*, user, agency: Agency, letter_agency: Agency | None, confirmed: bool = False) -> None:
    """The one rule, for the preview and the API alike, on which agency a reply is logged as.

    The user must act for the agency (its clerk, or a supervisor); a letter issued by another known agency is
    logged as a different one only when the user confirms that explicitly (the extraction may have misread the
    header), never by default.
    """
    if user is not None and not scoping.may_act_for_agency(user, agency.pk):
        raise PermissionDenied(_("该答复不属于您的单位"))
    if letter_agency is not None and letter_agency.pk != agency.pk and not confirmed:
        raise ValidationError(
            {
                "agency": _("来函单位为“%(l)s”，不是所选的“%(a)s”；确属本单位答复请勾选确认")
                % {"l": letter_agency.name, "a": agency.name}
            }
        )


@transaction.atomic
def response_save(
    *,
    document: Document,
    agency: Agency,
    user=None,
    proposal: Proposal | None = None,
    doc_number: str = "",
    signed_on: dt.date | None = None,
    issued_on: dt.date | None = None,
    category: str = "",
    disclosure: str = Disclosure.UNKNOWN,
    is_draft: bool = False,
    contact_name: str = "",
    contact_phones: Sequence[str] = (),
    cc: Sequence[str] = (),
    confirm: bool = True,
) -> Response:
    """Create or update the reply that `document` carries; a confirmed reply marks the agency's assignment answered."""
    response = Response.objects.filter(document=document).first() or Response(document=document, created_by=user)
    response.agency = agency
    response.proposal = proposal
    response.doc_number = doc_number
    response.signed_on = signed_on
    response.issued_on = issued_on
    response.category = category
    response.disclosure = disclosure
    response.is_draft = is_draft
    response.contact_name = contact_name
    response.contact_phones = list(contact_phones)
    response.cc = list(cc)
    response.review_state = ReviewState.CONFIRMED if confirm else ReviewState.DRAFT
    response.save()
    if proposal is not None and confirm:
        answered = signed_on or timezone.localdate()
        proposal.assignments.filter(agency=agency, answered_on__isnull=True).update(answered_on=answered)
        if proposal.status in (ProposalStatus.REGISTERED, ProposalStatus.ASSIGNED, ProposalStatus.REHANDLING):
            proposal_set_status(proposal=proposal, status=ProposalStatus.REPLIED, reason="答复已登记")
    return response


def can_record_satisfaction(user, response: Response) -> bool:
    """Only the lead agency's staff (the item's 主办, or the reply's agency when the item names none) or a supervisor
    of the item's body records the proposer's satisfaction (never a co-handler); the item's proposer rates himself."""
    if scoping.sees_everything(user):
        return True
    proposal = response.proposal
    if proposal is None:
        return response.agency_id in scoping.agency_ids(user)
    if proposal.session.body_id in scoping.body_ids(user):
        return True
    # A proposer rates a reply to his own item himself (followup.services, on his own page).
    mine = scoping.proposer_ids(user)
    if mine and proposal.proposer_links.filter(proposer_id__in=mine).exists():
        return True
    leads = {a.agency_id for a in proposal.assignments.all() if a.role == AssignmentRole.LEAD}
    return bool((leads or {response.agency_id}) & set(scoping.agency_ids(user)))


@transaction.atomic
def satisfaction_record(*, response: Response, satisfaction: str, channel: str, user) -> Response:
    """Record the proposer's rating and who collected it; 不满意 reopens the item for re-handling.

    The reply row is locked: recording the rating it already has is a no-op (the same result twice, one history
    entry), and a rating changed by someone else since the caller read the reply is a Conflict.
    """
    from proposals.errors import Conflict

    if user is not None and not can_record_satisfaction(user, response):
        raise PermissionDenied(_("只有主办单位的办理人员或督办人员可以登记满意度。"))
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if (locked.satisfaction, locked.satisfaction_channel) == (satisfaction, channel):
        return locked
    if (locked.satisfaction, locked.satisfaction_channel) != (response.satisfaction, response.satisfaction_channel):
        raise Conflict(_("满意度刚被他人登记，请刷新后查看"), existing=locked)
    locked.satisfaction = satisfaction
    locked.satisfaction_channel = channel
    locked.satisfaction_recorded_by = user
    locked.satisfaction_recorded_at = timezone.now()
    change_reason_set(locked, f"满意度：{Satisfaction(satisfaction).label}")
    locked.save()
    if satisfaction == Satisfaction.UNSATISFIED and locked.proposal is not None:
        proposal_set_status(proposal=locked.proposal, status=ProposalStatus.REHANDLING, reason="提出人不满意，重新办理")
        locked.proposal.assignments.filter(agency=locked.agency).update(answered_on=None)
    return locked


def response_claim(*, document: Document) -> None:
    """Lock `document` for logging its reply (inside the caller's transaction); Conflict if it has a reply already.

    Of two sessions confirming the same preview, the second waits here until the first commits, then stops with
    a Conflict naming the reply the first one logged (instead of a unique-constraint error).
    """
    from proposals.errors import Conflict

    Document.objects.select_for_update().filter(pk=document.pk).values_list("pk", flat=True).first()
    existing = Response.objects.filter(document_id=document.pk).first()
    if existing is not None:
        raise Conflict(_("该答复函已登记"), code="duplicate", existing=existing)


# ---------------------------------------------------------------------------------------- learning from corrections


@transaction.atomic
def extraction_feedback_record(*, document: Document, source: str, rows: Sequence[dict], user=None) -> int:
    """Replace the corrections recorded for `document` with `rows` (see responses/learning.py); returns their count."""
    document.extraction_feedback.all().delete()
    ExtractionFeedback.objects.bulk_create(
        [ExtractionFeedback(document=document, source=source, recorded_by=user, **row) for row in rows]
    )
    return len(rows)


@dataclass(frozen=True)
class Retrained:
    """The outcome of one retraining: the new model's row, and the score it had to reach."""

    model: ExtractorModel | None
    baseline_dated_f1: float | None
    promoted: bool
    reason: str


def extractor_retrain(*, corpus: Path | None = None, seeds_gold: Path | None = None, seed: int = 0) -> Retrained:
    """Train on the corpus plus the corrections; keep the file and a row; promote it unless it scores lower."""
    from responses.extraction import ranker

    corpus = corpus or Path(settings.BASE_DIR) / "corpus"
    if seeds_gold is None:
        seeds_gold = (Path(settings.BASE_DIR) / ".." / "shared" / "eval" / "seeds-gold.json").resolve()
    base = learning.corpus_documents(corpus, seeds_gold)
    corrected = learning.correction_documents()
    data = base + corrected
    if not data:
        return Retrained(None, None, False, "没有标注文档 / no annotated documents")
    current = ExtractorModel.objects.filter(promoted=True).first()
    labels = ranker.labels_hash(data)
    if current is not None and current.labels_hash == labels:
        return Retrained(current, current.loso_dated_f1, False, "标注未变 / labels unchanged")
    if current is not None:
        baseline = current.loso_dated_f1
    else:  # the shipped model's recipe: trained on the corpus alone, scored on the same sets
        baseline = learning.loso_score(data, trained_on={d[0] for d in base}, seed=seed)[0]
    dated, all_f1 = learning.loso_score(data, seed=seed)
    model = ranker.train_labelled(data, seed=seed)
    version = (ExtractorModel.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    path = learning.model_dir() / f"ranker-v{version}.json"
    ranker.save_model(model, path)  # a temp file renamed into place
    promote = dated >= baseline
    with transaction.atomic():
        row = ExtractorModel.objects.create(
            version=version,
            path=str(path),
            labels_hash=model.labels_hash,
            documents=len(data),
            corrections=len(corrected),
            loso_dated_f1=round(dated, 4),
            loso_all_f1=round(all_f1, 4),
            baseline_dated_f1=round(baseline, 4),
        )
        if promote:
            extractor_model_promote(model_row=row)
    reason = "已启用 / promoted" if promote else "低于在用模型，未启用 / scored lower, kept the current model"
    return Retrained(row, baseline, promote, reason)


@transaction.atomic
def extractor_model_promote(*, model_row: ExtractorModel) -> ExtractorModel:
    """Make `model_row` the model in use: its file copied to current.json (temp file and rename), the flag moved."""
    from responses.extraction import ranker

    model = ranker.read_model(Path(model_row.path))
    ExtractorModel.objects.filter(promoted=True).exclude(pk=model_row.pk).update(promoted=False)
    model_row.promoted = True
    model_row.save(update_fields=["promoted"])
    # Written last: if the transaction fails before this, the pipeline still reads the previous file.
    transaction.on_commit(lambda: ranker.save_model(model, learning.promoted_path()))
    return model_row
