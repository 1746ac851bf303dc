"""Reads for proposals and agencies."""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from . import scoping
from .choices import BODY_BY_LABEL
from .models import Agency, Assignment, AssignmentImport, Body, Proposal, Session

# Administrative levels a jurisdiction ends with (昆明市, 楚雄州, 云南省, 五华区, 禄劝县…).
LEVELS = "省市州县区盟旗"
_JURISDICTION = re.compile(r"^(.{1,8}?[省市州县区盟旗])")


def _normalise_agency_name(name: str) -> str:
    return "".join(name.split())


def agency_find(name: str) -> Agency | None:
    """The agency whose full name, short name or an alias is `name` (whitespace ignored), or None."""
    return agencies_find([name]).get(name)


def agencies_find(names: Iterable[str]) -> dict[str, Agency]:
    """For each name, the agency whose full name, short name or an alias it is (whitespace ignored; the first in
    the model's order, by name), in two queries whatever their number: {name as given: agency}; a name with none
    is left out."""
    wanted = {name: _normalise_agency_name(name) for name in names if name}
    wanted = {name: key for name, key in wanted.items() if key}
    if not wanted:
        return {}
    keys = set(wanted.values())
    by_key: dict[str, Agency] = {}
    found = Agency.objects.filter(Q(name__in=keys) | Q(short_name__in=keys))
    for agency in found:  # in the model's order (by name): the first match wins
        for key in (agency.name, agency.short_name):
            if key in keys:
                by_key.setdefault(key, agency)
    if keys - by_key.keys():
        for candidate in Agency.objects.exclude(aliases=[]).only("pk", "aliases", "name"):
            for alias in candidate.aliases:
                key = _normalise_agency_name(alias)
                if key in keys and key not in by_key:
                    by_key[key] = candidate
    return {name: by_key[key] for name, key in wanted.items() if key in by_key}


def jurisdiction_of(name: str) -> str:
    """The jurisdiction an agency's name starts with (昆明市发展和改革委员会 → 昆明市); '' for 市发展改革委."""
    match = _JURISDICTION.match(name or "")
    return match.group(1) if match and len(match.group(1)) > 1 else ""


def _same_place(a: str, b: str) -> bool:
    """昆明 = 昆明市: letters write a place with and without its level; 吉林省 and 吉林市 stay apart."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(long) == len(short) + 1 and long.startswith(short) and long[-1] in LEVELS and short[-1] not in LEVELS


def jurisdiction_resolve(written: str, context: Iterable[str]) -> str:
    """The full jurisdiction a letter means: "市" (市十五届人大) is the letter's own city, from the agency's
    jurisdiction or name in `context`; a written full name (昆明市) is kept."""
    written = (written or "").strip()
    if len(written) > 1:
        return written
    for item in context:
        place = jurisdiction_of(item or "")
        if place and (not written or place.endswith(written)):
            return place
    return written


@dataclass(frozen=True)
class LetterSession:
    """The session a letter names, matched to the existing body and session when there are such."""

    kind: str
    label: str
    jurisdiction: str
    term: int
    meeting: int
    name: str
    body: Body | None
    session: Session | None

    @property
    def body_name(self) -> str:
        return self.body.name if self.body else f"{self.jurisdiction}{self.label}"


def letter_session_match(
    *,
    body_label: str | None,
    jurisdiction: str | None,
    term: int | None,
    meeting: int | None,
    name: str = "",
    context: Iterable[str] = (),
    bodies: Iterable[Body] | None = None,
    sessions: dict[tuple[int, int, int], Session] | None = None,
) -> LetterSession | None:
    """Match a letter's session (市十五届人大三次会议) to an existing body and session before anything is created.

    The body is matched by kind and jurisdiction (with or without its level: 昆明 = 昆明市); a bare level (市, 县)
    is first resolved from `context` (the replying agency's jurisdiction and name). None when the letter does not
    name a complete session. `bodies` (every body) and `sessions` ({(body id, term, meeting): session}) are the
    rows already read, for matching many letters in a bounded number of queries; read here when not given.
    """
    if body_label not in BODY_BY_LABEL or not term or not meeting:
        return None
    kind = BODY_BY_LABEL[body_label]
    resolved = jurisdiction_resolve(jurisdiction or "", context)
    bodies = [b for b in bodies if b.kind == kind] if bodies is not None else list(Body.objects.filter(kind=kind))
    body = None
    if len(resolved) > 1:
        same = [b for b in bodies if b.jurisdiction == resolved] or [
            b for b in bodies if _same_place(b.jurisdiction, resolved)
        ]
        body = same[0] if len(same) == 1 else None
    elif resolved:
        # Only a level is known (市) and no context: the one body of that level, when there is exactly one.
        level = [b for b in bodies if b.jurisdiction.endswith(resolved)]
        body = level[0] if len(level) == 1 else None
        resolved = body.jurisdiction if body else resolved
    if body is None:
        session = None
    elif sessions is not None:
        session = sessions.get((body.pk, term, meeting))
    else:
        session = Session.objects.filter(body=body, term=term, meeting=meeting).first()
    return LetterSession(
        kind=kind,
        label=body_label,
        jurisdiction=resolved,
        term=term,
        meeting=meeting,
        name=name or (session.name if session else ""),
        body=body,
        session=session,
    )


def proposal_list(*, user) -> QuerySet[Proposal]:
    """Items the user may see, with session, body and proposers loaded."""
    return (
        Proposal.objects.visible_to(user)
        .select_related("session__body")
        .prefetch_related("proposer_links__proposer", "assignments__agency")
    )


def assignments_awaiting_reply(*, user, today: dt.date) -> QuerySet[Assignment]:
    """Unanswered assignments: a clerk's own agencies', every one of a supervisor's bodies; soonest due first."""
    pending = Assignment.objects.filter(answered_on__isnull=True)
    if not scoping.sees_everything(user):
        # A clerk answers for their own agencies only: co-handlers' clocks are not theirs to keep.
        pending = pending.filter(
            Q(agency_id__in=scoping.agency_ids(user)) | Q(proposal__session__body_id__in=scoping.body_ids(user))
        )
    return pending.select_related("proposal__session__body", "agency").order_by(F("due_on").asc(nulls_last=True), "pk")


def import_results(*, user) -> QuerySet[AssignmentImport]:
    """The assignment-list imports a user may see (into sessions of the bodies they supervise), newest first."""
    return AssignmentImport.objects.visible_to(user).select_related("session")


def import_items(*, user, record: AssignmentImport) -> list[Proposal]:
    """An import's items that the user may see (items deleted since are gone), for the result page's panels."""
    return list(
        Proposal.objects.visible_to(user)
        .filter(pk__in=record.items.values("pk"))
        .select_related("session")
        .defer("search_text", "search_vector")
    )
