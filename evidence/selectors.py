"""Reads for evidence: a document's date, the ranked candidates for a document, links, similar items."""

import datetime as dt
import re
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from commitments.models import Commitment, Target
from proposals.models import Proposal
from responses.models import Document, Response

from . import matching, ranker
from .choices import LinkState
from .models import EvidenceLink


def document_date(document: Document, *, stated_only: bool = False) -> dt.date | None:
    """The document's own date: the reply's date, else a date in its text (news header), else its upload day.

    ``stated_only``: only a date the document states as its own (the reply's date, a page header's date).
    The years a news item's body mentions are a lower bound of its date, not its date ("自2005年挂牌以来"
    in a 2024 report): a later document dated by them would drop the commitments it reports on.
    """
    meta = (document.extraction or {}).get("metadata") or {}
    for key in ("reply_date", "issued_date"):
        if meta.get(key):
            try:
                return dt.date.fromisoformat(str(meta[key])[:10])
            except ValueError:
                pass
    from responses.extraction.metadata import header_date, infer_reference_date

    if stated_only:
        return header_date(document.text[:3000])
    found = infer_reference_date(document.text[:3000])
    if found >= dt.date.today():
        # infer_reference_date answers "today" for a text without a year: the date is unknown then.
        return None
    return found


def candidate_commitments(*, document: Document, user=None, agency_ids: list[int] | None = None) -> QuerySet:
    """Open commitments from other documents within the user's scope (all of them for the system, user=None)."""
    queryset = Commitment.objects.all() if user is None else Commitment.objects.visible_to(user)
    queryset = queryset.open().exclude(document=document)
    if agency_ids:
        queryset = queryset.filter(Q(agency_id__in=agency_ids) | Q(agencies__in=agency_ids)).distinct()
    return queryset.select_related("document", "proposal").prefetch_related(
        Prefetch("targets", queryset=Target.objects.order_by("pk"))
    )


_SENTENCE_START = re.compile(r"[。！？!?\n]")
_SENTENCE_END = re.compile(r"[。！？!?]")
# A heading line: short, no sentence punctuation ("苏大附一院总院二期" above the paragraph about it).
_HEADING = re.compile(r"^[ \t\u3000]*([^。，,；;！？!?\n]{2,24})[ \t\u3000]*$", re.MULTILINE)


def _sentence_around(commitment: Commitment, reach: int = 160, lead_in: int = 400) -> str:
    """The words before the clause in its sentence, and, when they name nothing, where the project is named.

    A clause such as "项目预计在2025年5月左右达到通车条件" leaves the project's name to the sentence before it,
    or to the heading of its paragraph: up to two earlier sentences and the nearest heading line above, within
    ``lead_in`` characters, are added until a name is found.
    """
    text = commitment.document.text
    if commitment.start is None or commitment.end is None or commitment.end > len(text):
        return ""
    begin = max(0, commitment.start - reach)
    before = text[begin : commitment.start]
    cut = max((m.end() for m in _SENTENCE_START.finditer(before)), default=0)
    words = before[cut:].strip()
    if _names_something(f"{words}{commitment.text}"):
        return words
    floor = max(0, commitment.start - lead_in)
    end = begin + cut
    found: list[str] = []
    while len(found) < 2 and end > floor:
        # The sentence before; an empty one (the line break before "答:") is skipped, not the end of the search.
        stops = [m.end() for m in _SENTENCE_END.finditer(text, floor, max(floor, end - 1))]
        start = stops[-1] if stops else floor
        sentence = text[start:end].strip()
        end = start
        if not sentence:
            continue
        found.insert(0, sentence)
        if _names_something(sentence):
            break
    if not any(_names_something(x) for x in found):
        heading = None
        for m in _HEADING.finditer(text, floor, commitment.start):
            heading = m.group(1).strip()
        if heading:
            found.insert(0, heading)
    return " ".join([*found, words]).strip()


def _names_something(text: str) -> bool:
    return bool(matching.names(matching.simplified(text)))


def _candidate(commitment: Commitment, dates: dict[int, dt.date | None]) -> matching.Candidate:
    if commitment.document_id not in dates:
        dates[commitment.document_id] = document_date(commitment.document)
    context = " ".join(
        x
        for x in (
            _sentence_around(commitment),
            commitment.proposal.title if commitment.proposal else "",
            commitment.section,
            commitment.document.title,
        )
        if x
    )
    return matching.Candidate(
        id=commitment.pk,
        text=commitment.text,
        context=context,
        agencies=tuple(commitment.agency_names or ()),
        targets=tuple((Decimal(t.value), t.unit) for t in commitment.targets.all()),
        date=dates[commitment.document_id],
        deadline=commitment.deadline,
        group=commitment.document_id,
    )


def evidence_rank(
    *, document: Document, user=None, agency_ids: list[int] | None = None, agency_names: tuple[str, ...] = ()
) -> list[tuple[Commitment, matching.Match]]:
    """Every candidate commitment with its best passage of ``document``, best first (suggested or not)."""
    commitments = {c.pk: c for c in candidate_commitments(document=document, user=user, agency_ids=agency_ids)}
    dates: dict[int, dt.date | None] = {}
    candidates = [_candidate(c, dates) for c in commitments.values()]
    doc_date = document_date(document, stated_only=True)
    # The outcome guess reads the document's date, or the earliest it can be (the years its body reports: a lower
    # bound, which is what "reported after the deadline" needs).
    reported_on = doc_date or document_date(document)
    matches = matching.rank(
        document.text, candidates, doc_date=doc_date, agencies=agency_names, reported_on=reported_on
    )
    return [(commitments[m.candidate_id], m) for m in matches]


def evidence_document(*, user, pk: int) -> Document | None:
    """A document the user may see, or one (not a reply) that reports on a commitment the user may see."""
    found = Document.objects.visible_to(user).filter(pk=pk).first()
    if found is None and EvidenceLink.objects.visible_to(user).filter(document_id=pk).exists():
        found = Document.objects.filter(pk=pk, response__isnull=True).first()
    return found


def evidence_links(*, user, document: Document | None = None, state: str | None = None) -> QuerySet:
    """Links visible to the user, best first; rejected ones only when asked for by state."""
    queryset = EvidenceLink.objects.visible_to(user).select_related("commitment__document", "document", "target")
    if document is not None:
        queryset = queryset.filter(document=document)
    if state:
        queryset = queryset.filter(state=state)
    else:
        queryset = queryset.exclude(state=LinkState.REJECTED)
    return queryset.order_by("-score", "pk")


def commitment_state_words(commitment: Commitment, today: dt.date) -> str:
    """ "2023年承诺，已逾期" — when it was promised and where it stands."""
    year = commitment.response.signed_on.year if commitment.response and commitment.response.signed_on else None
    year = year or commitment.created_at.year
    if commitment.status == "open":
        state = "已逾期" if commitment.deadline and commitment.deadline < today else "进行中"
    else:
        state = commitment.get_status_display()
    return f"{year}年承诺，{state}"


def similar_proposals(*, proposal: Proposal, user, limit: int = 5) -> list[tuple[Proposal, float, list[str]]]:
    """Earlier items on the same subject (title and summary matched like evidence), best first, within scope."""
    words = matching.specific_bigrams(f"{proposal.title} {proposal.summary[:200]}")
    if not words:
        return []
    pool = list(similar_pool(proposal=proposal, user=user, words=words))
    if not pool:
        return []
    candidates = [matching.Candidate(id=p.pk, text=p.title, context=p.summary[:500]) for p in pool]
    query = "。".join(x for x in (proposal.title, proposal.summary[:500]) if x)
    by_id = {p.pk: p for p in pool}
    found = []
    # The learned link scorer was trained on later documents against commitments; a title against earlier titles
    # is another task, scored by the hand-weighted formula (docs/evidence.md).
    for m in matching.rank(query, candidates, shortlist=30, model=ranker.HAND):
        if m.suggested:
            found.append((by_id[m.candidate_id], m.score, list(m.shared)))
    return found[:limit]


def similar_pool(*, proposal: Proposal, user, words: list[str]):
    """The matcher's candidates: the 100 newest earlier items in scope sharing one of the bigrams.

    Only these reach the matcher, instead of vectorising every earlier item on each page view. The order is that of
    the index proposal_created_idx (created_at, id), walked backwards: the scan stops at the 100th match rather than
    reading and sorting every item that shares a bigram (at 250,000 items, 8,300 share one with the item titled
    "…11号线武昌段…": 号线, 车站).
    """
    shares = Q()
    for word in words:
        shares |= Q(title__contains=word)
    return (
        Proposal.objects.visible_to(user)
        .filter(shares)
        .exclude(pk=proposal.pk)
        .filter(Q(session__year__lte=proposal.session.year) | Q(session__year__isnull=True))
        .filter(created_at__lte=proposal.created_at)
        .select_related("session")
        .order_by("-created_at", "-pk")[:100]
    )


def similar_proposal_details(*, proposals: list[Proposal], user) -> dict[int, dict]:
    """Replies and commitments of the similar items, two queries for the lot."""
    ids = [p.pk for p in proposals]
    replies = Response.objects.visible_to(user).filter(proposal_id__in=ids).select_related("agency")
    commitments = Commitment.objects.visible_to(user).filter(proposal_id__in=ids).select_related("response")
    out: dict[int, dict] = {pk: {"replies": [], "commitments": []} for pk in ids}
    for r in replies:
        out[r.proposal_id]["replies"].append(r)
    for c in commitments.order_by("deadline", "pk"):
        out[c.proposal_id]["commitments"].append(c)
    return out
