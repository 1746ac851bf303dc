"""Digests: one message per recipient per scan listing all their items, and its exactly-once delivery.

Delivery claims a digest's pending rows with SELECT … FOR UPDATE SKIP LOCKED, sends, and marks them sent in
the same transaction; a second copy of the task (redelivered by the broker or by the sweep) finds nothing to
claim. The in-app notification is written in that transaction, so it exists exactly when the rows are sent.
"""

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from config.site import absolute_url
from proposals.choices import WebhookKind
from proposals.models import Agency, Assignment

from ..choices import ChangeKind, ChangeState, CommitmentStatus, ReminderKind, ReminderState
from ..models import ChangeRequest, Commitment, Reminder, ReminderScan, WebhookDelivery
from . import channels
from .messages import KIND_ORDER, Digest, DigestItem, digest_title, render_markdown, site_url
from .sources import Described, source_for

log = logging.getLogger(__name__)


def describe_commitments(ids: Iterable[int]) -> dict[int, Described]:
    """Open commitments with a deadline, as a digest line (the item's number when it has one)."""
    found = {}
    for c in Commitment.objects.filter(pk__in=ids, status=CommitmentStatus.OPEN, deadline__isnull=False).select_related(
        "agency", "proposal"
    ):
        title = c.text[:80] + ("…" if len(c.text) > 80 else "")
        if c.proposal_id:
            title = _("%(title)s（第%(number)s号）") % {"title": title, "number": c.proposal.number}
        found[c.pk] = Described(
            title, str(c.agency or ""), c.deadline, site_url("commitments:detail", c.pk, "commitments_commitment")
        )
    return found


def describe_assignments(ids: Iterable[int]) -> dict[int, Described]:
    """Assignments still unanswered, as a digest line."""
    return {
        a.pk: Described(
            _("第%(number)s号 %(title)s") % {"number": a.proposal.number, "title": a.proposal.title},
            str(a.agency),
            a.due_on,
            site_url("proposals:detail", a.proposal_id, "proposals_proposal"),
        )
        for a in Assignment.objects.filter(pk__in=ids, answered_on__isnull=True, due_on__isnull=False).select_related(
            "agency", "proposal"
        )
    }


def describe_change_requests(ids: Iterable[int]) -> dict[int, Described]:
    """Extension / withdrawal requests still pending, as a digest line."""
    found = {}
    for r in ChangeRequest.objects.filter(pk__in=ids, state=ChangeState.PENDING).select_related(
        "commitment", "commitment__agency"
    ):
        what = str(ChangeKind(r.kind).label)
        if r.requested_deadline:
            what += _("至 %(date)s") % {"date": f"{r.requested_deadline:%Y-%m-%d}"}
        found[r.pk] = Described(
            f"{what}：{r.commitment.text[:60]}",
            str(r.commitment.agency or ""),
            None,
            site_url("commitments:detail", r.commitment_id, "commitments_commitment"),
        )
    return found


def agency_overdue_url(agency_id: int) -> str:
    """The supervisor dashboard's overdue tab, filtered to one primary agency (0: all agencies)."""
    query: dict[str, str | int] = {"tab": "overdue"}
    if agency_id:
        query["agency"] = agency_id
    return absolute_url(f"{reverse('commitments:dashboard')}?{urlencode(query)}")


def describe_agencies(ids: Iterable[int]) -> dict[int, Described]:
    """Agencies of the weekly per-agency escalation rows (0: commitments without a primary agency)."""
    ids = set(ids)
    found = {a.pk: Described(a.name, a.name, None, agency_overdue_url(a.pk)) for a in Agency.objects.filter(pk__in=ids)}
    if 0 in ids:
        found[0] = Described(_("未指定主责单位"), "", None, agency_overdue_url(0))
    return found


def summary_title(agency: str, summary: dict) -> str:
    """ "某单位：N 项承诺逾期超过 X 天（最早 YYYY-MM-DD）" — one line of the weekly escalation digest."""
    return _("%(agency)s：%(n)d 项承诺逾期超过 %(days)d 天（最早 %(oldest)s）") % {
        "agency": agency,
        "n": summary["count"],
        "days": summary["after_days"],
        "oldest": summary["oldest"],
    }


def _items(rows: list[Reminder], today: dt.date | None = None) -> tuple[list[DigestItem], list[int]]:
    """Digest items for the rows whose subject still needs reminding, and the ids of rows that no longer do.

    Each subject type is described by its registered source (sources.py), so a digest lists every kind."""
    ids: dict[str, set[int]] = {}
    for row in rows:
        ids.setdefault(row.subject_type, set()).add(row.subject_id)
    described: dict[str, dict[int, Described]] = {}
    for subject_type, subject_ids in ids.items():
        source = source_for(subject_type)
        described[subject_type] = source.describe(subject_ids) if source is not None else {}
    items, stale = [], []
    for row in rows:
        item = described[row.subject_type].get(row.subject_id)
        if item is None:
            stale.append(row.pk)
            continue
        summary = row.summary
        items.append(
            DigestItem(
                kind=row.kind,
                kind_label=str(ReminderKind(row.kind).label),
                subject_type=row.subject_type,
                subject_id=row.subject_id,
                title=summary_title(item.title, summary) if summary else item.title,
                agency=item.agency,
                deadline=item.deadline,
                due_on=row.due_on,
                url=item.url,
                today=today,
                count=summary["count"] if summary else None,
            )
        )
    # Most urgent kind first; summaries with the most items first; then the oldest deadline.
    items.sort(
        key=lambda i: (KIND_ORDER.index(ReminderKind(i.kind)), -(i.count or 0), i.deadline or i.due_on, i.subject_id)
    )
    return items, stale


# ---------------------------------------------------------------------------------------- delivery


def _backoff(attempts: int) -> dt.timedelta:
    base = getattr(settings, "REMINDERS_RETRY_BACKOFF", 60)
    cap = getattr(settings, "REMINDERS_RETRY_BACKOFF_MAX", 3600)
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _record_failure(model, ids: list[int], error: Exception, *, permanent: bool) -> None:
    """Count the attempt; schedule the next one (exponential backoff) or give up as failed."""
    max_attempts = getattr(settings, "REMINDERS_MAX_ATTEMPTS", 6)
    now = timezone.now()
    with transaction.atomic():
        for row in model.objects.select_for_update().filter(pk__in=ids, state=ReminderState.PENDING):
            row.attempts += 1
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            if permanent or row.attempts >= max_attempts:
                row.state, row.retry_at = ReminderState.FAILED, None
            else:
                row.retry_at = now + _backoff(row.attempts)
            row.save(update_fields=["attempts", "last_error", "state", "retry_at"])


def _pause_for_fault_tests() -> None:
    # Only the fault tests set this: a window in which to kill the worker while it holds a claimed batch.
    pause = getattr(settings, "REMINDERS_DELIVERY_PAUSE", 0)
    if pause:
        import time

        time.sleep(pause)


def digest_deliver(*, key: str) -> int:
    """Send one digest (e-mail and in-app) if its rows are still pending; return how many rows were sent."""
    claimed: list[int] = []
    try:
        with transaction.atomic():
            rows = list(
                Reminder.objects.select_for_update(skip_locked=True)
                .filter(digest_key=key, state=ReminderState.PENDING)
                .order_by("pk")
            )
            if not rows:
                return 0
            claimed = [r.pk for r in rows]
            scan = ReminderScan.objects.filter(pk=rows[0].scan_id).first() if rows[0].scan_id is not None else None
            as_of = scan.as_of if scan else max(r.due_on for r in rows)
            items, stale = _items(rows, as_of)
            now = timezone.now()
            if stale:
                Reminder.objects.filter(pk__in=stale).update(state=ReminderState.SUPERSEDED)
            if not items:
                return 0
            recipient = get_user_model().objects.get(pk=rows[0].recipient_id)
            escalation = items[0].kind == ReminderKind.ESCALATION
            digest = Digest(
                key=key,
                title=digest_title(items, escalation=escalation, as_of=as_of),
                items=tuple(items),
                as_of=as_of,
                escalation=escalation,
            )
            _pause_for_fault_tests()
            channels.notification_create(recipient=recipient, digest=digest)
            if recipient.email:
                channels.email_send(recipient=recipient, digest=digest)
            sent = [r.pk for r in rows if r.pk not in set(stale)]
            Reminder.objects.filter(pk__in=sent).update(
                state=ReminderState.SENT, sent_at=now, attempts=F("attempts") + 1, retry_at=None, last_error=""
            )
            return len(sent)
    except channels.DeliveryError as exc:
        log.warning("digest %s: %s", key, exc)
        _record_failure(Reminder, claimed, exc, permanent=not exc.transient)
        raise


def webhook_delivery_send(*, delivery_id: int) -> bool:
    """Post one agency's digest to its group robot if still pending; True when it was posted now."""
    try:
        with transaction.atomic():
            delivery = (
                WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=delivery_id, state=ReminderState.PENDING)
                .select_related("agency", "scan")
                .first()
            )
            if delivery is None:
                return False
            agency = delivery.agency
            if agency.webhook_kind == WebhookKind.NONE or not agency.webhook_url:
                delivery.state = ReminderState.SUPERSEDED
                delivery.save(update_fields=["state"])
                return False
            rows = [
                Reminder(
                    subject_type=i["subject_type"],
                    subject_id=i["subject_id"],
                    kind=i["kind"],
                    due_on=dt.date.fromisoformat(i["due_on"]),
                )
                for i in delivery.items
            ]
            items, _ = _items(rows, delivery.scan.as_of)
            if not items:
                delivery.state = ReminderState.SUPERSEDED
                delivery.save(update_fields=["state"])
                return False
            as_of = delivery.scan.as_of
            digest = Digest(
                key=f"webhook:{delivery.pk}",
                title=digest_title(items, escalation=False, as_of=as_of, who=agency.short_name or agency.name),
                items=tuple(items),
                as_of=as_of,
            )
            _pause_for_fault_tests()
            channels.webhook_post(agency=agency, title=digest.title, markdown=render_markdown(digest))
            delivery.state, delivery.sent_at, delivery.retry_at, delivery.last_error = (
                ReminderState.SENT,
                timezone.now(),
                None,
                "",
            )
            delivery.attempts += 1
            delivery.save(update_fields=["state", "sent_at", "retry_at", "last_error", "attempts"])
            return True
    except channels.DeliveryError as exc:
        log.warning("webhook delivery %s: %s", delivery_id, exc)
        _record_failure(WebhookDelivery, [delivery_id], exc, permanent=not exc.transient)
        raise
