"""Writes for bodies, sessions, agencies, proposers, proposals and assignments."""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import scoping
from .choices import AssignmentRole, BodyKind, ProposalKind, ProposalStatus, ProposerKind, ProposerRole
from .dates import add_months
from .history import change_reason_set
from .models import Agency, Assignment, Body, Proposal, ProposalProposer, Proposer, Session
from .selectors import LetterSession, agency_find


def reply_due_on(*, assigned_on: dt.date, body: Body) -> dt.date:
    """The reply deadline: `body.reply_months` calendar months after assignment, clamped to the month's end."""
    return add_months(assigned_on, body.reply_months)


def body_ensure(*, name: str, kind: str, jurisdiction: str) -> Body:
    """Return the body with this name, creating it if needed."""
    body, _ = Body.objects.get_or_create(name=name, defaults={"kind": kind, "jurisdiction": jurisdiction})
    return body


def session_ensure(*, body: Body, term: int, meeting: int, name: str, year: int | None = None) -> Session:
    """Return the body's session for (term, meeting), creating it if needed."""
    session, created = Session.objects.get_or_create(
        body=body, term=term, meeting=meeting, defaults={"name": name, "year": year}
    )
    if not created and year and not session.year:
        session.year = year
        session.save(update_fields=["year"])
    return session


def agency_ensure(*, name: str, jurisdiction: str = "", aliases: Sequence[str] = ()) -> Agency:
    """Return the agency known by this name or alias, creating it (with the aliases) if none matches."""
    agency = agency_find(name)
    if agency is None:
        agency = Agency.objects.create(name=name, jurisdiction=jurisdiction, aliases=list(dict.fromkeys(aliases)))
    else:
        missing = [a for a in aliases if a != agency.name and a not in agency.aliases]
        if missing:
            agency.aliases = [*agency.aliases, *missing]
            agency.save(update_fields=["aliases"])
    return agency


def proposer_ensure(*, name: str, kind: str) -> Proposer:
    """Return the proposer with this name and kind, creating it if needed."""
    proposer, _ = Proposer.objects.get_or_create(name=name, kind=kind)
    return proposer


def proposers_for_names(*, names: Sequence[str], body_kind: str) -> list[Proposer]:
    """Proposers for the names a letter or a clerk gives: an existing proposer of that name, else a new one."""
    found: list[Proposer] = []
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        kind = proposer_kind_for(name=name, body_kind=body_kind)
        same = list(Proposer.objects.filter(name=name))
        proposer = next((p for p in same if p.kind == kind), same[0] if same else None)
        proposer = proposer or Proposer.objects.create(name=name, kind=kind)
        if proposer not in found:
            found.append(proposer)
    return found


def proposer_kind_for(*, name: str, body_kind: str) -> str:
    """Organisations (民建…委, …党支部, …小组) versus persons: a deputy of a 人大, a member of a 政协."""
    if len(name) > 4 or name.endswith(("委", "会", "部", "组", "盟", "党", "联")):
        return ProposerKind.ORGANISATION
    return ProposerKind.DEPUTY if body_kind == BodyKind.NPC else ProposerKind.MEMBER


@transaction.atomic
def proposal_register(
    *,
    session: Session,
    number: str,
    title: str,
    kind: str | None = None,
    proposers: Sequence[Proposer] = (),
    summary: str = "",
    is_key: bool = False,
    lead_official: str = "",
    supervising_official: str = "",
) -> Proposal:
    """Create the item (session, number) or fill in what it lacks; the first proposer leads, the rest co-sign."""
    if kind is None:
        kind = ProposalKind.SUGGESTION if session.body.kind == BodyKind.NPC else ProposalKind.PROPOSAL
    proposal, created = Proposal.objects.get_or_create(
        session=session,
        number=number,
        defaults={
            "title": title,
            "kind": kind,
            "summary": summary,
            "is_key": is_key,
            "lead_official": lead_official,
            "supervising_official": supervising_official,
        },
    )
    if not created:
        changed = []
        for field, value in (
            ("title", title),
            ("summary", summary),
            ("lead_official", lead_official),
            ("supervising_official", supervising_official),
        ):
            if value and not getattr(proposal, field):
                setattr(proposal, field, value)
                changed.append(field)
        if is_key and not proposal.is_key:
            proposal.is_key = True
            changed.append("is_key")
        if changed:
            proposal.save(update_fields=[*changed, "updated_at"])
    existing = set(proposal.proposer_links.values_list("proposer_id", flat=True))
    position = len(existing)
    added = False
    for proposer in proposers:
        if proposer.pk in existing:
            continue
        role = ProposerRole.LEAD if position == 0 else ProposerRole.CO
        ProposalProposer.objects.create(proposal=proposal, proposer=proposer, role=role, position=position)
        existing.add(proposer.pk)
        position += 1
        added = True
    if added:
        # The proposers' names are part of the item's search document (search.fields.SearchIndexed).
        proposal.search_refresh()
        proposal.save(update_fields=["search_text", "search_vector"])
    return proposal


@transaction.atomic
def proposal_assign(
    *, proposal: Proposal, agency: Agency, role: str = AssignmentRole.LEAD, assigned_on: dt.date | None = None
) -> Assignment:
    """Assign the item to an agency (交办); the assignment date starts the reply clock."""
    due = reply_due_on(assigned_on=assigned_on, body=proposal.session.body) if assigned_on else None
    assignment, created = Assignment.objects.get_or_create(
        proposal=proposal, agency=agency, defaults={"role": role, "assigned_on": assigned_on, "due_on": due}
    )
    if not created and assigned_on and assignment.assigned_on != assigned_on:
        assignment.assigned_on, assignment.due_on = assigned_on, due
        assignment.save(update_fields=["assigned_on", "due_on"])
    fields = []
    if assigned_on and (proposal.assigned_on is None or assigned_on < proposal.assigned_on):
        proposal.assigned_on, proposal.reply_due_on = assigned_on, due
        fields += ["assigned_on", "reply_due_on"]
    if proposal.status == ProposalStatus.REGISTERED:
        proposal.status = ProposalStatus.ASSIGNED
        fields.append("status")
    if fields:
        proposal.save(update_fields=[*fields, "updated_at"])
    return assignment


def proposal_set_status(*, proposal: Proposal, status: str, reason: str = "") -> Proposal:
    """Move the item to a new status, keeping the reason in its history."""
    proposal.status = status
    change_reason_set(proposal, reason)
    proposal.save(update_fields=["status", "updated_at"])
    return proposal


def session_for_letter_refusal(*, letter: LetterSession, user=None) -> str | None:
    """Why `session_for_letter` would refuse to give `user` the letter's session, or None when it would give it
    (existing or created); the review form offers and preselects "create from the letter" only then."""
    if letter.session is not None:
        return None
    body = letter.body
    if body is None:
        if len(letter.jurisdiction) < 2:
            return _("来函所称会议“%(s)s”未写明行政区，无法对应已有的人大/政协，请选择会议") % {"s": letter.name}
        if user is not None and not scoping.is_supervisor(user):
            return _("系统中没有“%(b)s”，新建后将无督办人员可见；请督办人员先建立或选择已有会议") % {
                "b": letter.body_name
            }
    elif user is not None and not body.supervisors.exists():
        return _("“%(b)s”尚无督办人员，新建的会议将无人督办；请先在管理后台为其指定督办人员") % {"b": body.name}
    return None


@transaction.atomic
def session_for_letter(*, letter: LetterSession, user=None, year: int | None = None) -> Session:
    """The session a letter names (matched by `letter_session_match`), created only where a supervisor will see it.

    A new session of an existing body is supervised by the body's supervisors, and refused when it has none; a new
    body is created only by a supervisor, who becomes its supervisor. `user=None` is the system loading documents
    (the seed loader): it may create a body whose jurisdiction is known; `manage.py check_scope` lists such bodies
    until someone supervises them.
    """
    if letter.session is not None:
        return letter.session
    refusal = session_for_letter_refusal(letter=letter, user=user)
    if refusal is not None:
        raise ValidationError({"session": refusal})
    body = letter.body
    if body is None:
        body = body_ensure(name=letter.body_name, kind=letter.kind, jurisdiction=letter.jurisdiction)
        if user is not None and not body.supervisors.exists():
            body.supervisors.add(user)
            scoping.cache_clear(user)
    return session_ensure(body=body, term=letter.term, meeting=letter.meeting, name=letter.name, year=year)


@transaction.atomic
def proposal_for_reply(
    *, user, agency: Agency, session: Session, number: str, title: str = "", proposers: Sequence[str] = ()
) -> Proposal:
    """The item (session, number) a reply answers; an unknown number is registered and assigned to the agency.

    An existing item must be visible to the user; a new one may only be created by someone acting for the agency
    (its clerk) or for the session's body (its supervisor). The proposers (first leads, the rest co-sign) are
    matched by name or created, and given to a new item or to an existing one that has none yet.
    """
    number = number.strip()
    existing = Proposal.objects.filter(session=session, number=number).first()
    if existing is not None:
        if not Proposal.objects.visible_to(user).filter(pk=existing.pk).exists():
            raise ValidationError({"proposal_number": _("该编号的建议提案未交办给本单位")})
        if proposers and not existing.proposer_links.exists():
            proposal_register(
                session=session,
                number=number,
                title=existing.title,
                proposers=proposers_for_names(names=proposers, body_kind=session.body.kind),
            )
        return existing
    allowed = (
        scoping.sees_everything(user)
        or agency.pk in scoping.agency_ids(user)
        or session.body_id in scoping.body_ids(user)
    )
    if not allowed:
        raise ValidationError({"proposal_number": _("无权登记该建议提案")})
    if not session.body.supervisors.filter(is_active=True).exists():
        raise ValidationError(
            {
                "session": _("“%(b)s”尚无督办人员，新登记的建议提案将无人督办；请先在管理后台为其指定督办人员")
                % {"b": session.body.name}
            }
        )
    proposal = proposal_register(
        session=session,
        number=number,
        title=(title or f"第{number}号")[:300],
        proposers=proposers_for_names(names=proposers, body_kind=session.body.kind),
    )
    proposal_assign(proposal=proposal, agency=agency)
    return proposal


@transaction.atomic
def proposer_account_create(*, proposer: Proposer, username: str = "", password: str = "") -> tuple:
    """Give a proposer (a person, or an organisation's contact) a sign-in account that sees his own items.

    Returns (user, password); the password is generated when not given and shown to the caller once. A proposer
    that already has an account keeps it (its password is not changed).
    """
    import secrets

    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    if proposer.user_id is not None:
        return proposer.user, ""
    User = get_user_model()
    username = (username or f"proposer{proposer.pk}").strip()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("用户名已被使用：%(username)s") % {"username": username}})
    password = password or secrets.token_urlsafe(12)
    user = User.objects.create_user(username=username, password=password, email=proposer.email)
    user.first_name = proposer.name[:150]
    user.save(update_fields=["first_name"])
    proposer.user = user
    proposer.save(update_fields=["user"])
    return user, password
