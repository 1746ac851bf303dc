"""Celery tasks for reminders: thin wrappers that take a key, call one service, and log.

No task here is ever scheduled with an ETA or countdown: on the Redis broker such messages are redelivered
after the visibility timeout and would be sent several times (celery/celery#9882, #2481, kombu#337). The
`Reminder` row is the schedule (its `retry_at` the backoff), and the periodic tasks below are the trigger.
"""

import logging

from celery import shared_task

from .reminders import digest, scan
from .reminders.channels import DeliveryError
from .services import commitment_tally_pivot_advance

log = logging.getLogger(__name__)


@shared_task(name="commitments.reminders_scan", ignore_result=True, acks_late=True)
def reminders_scan() -> int:
    """Periodic (beat): record every reminder due now and enqueue one delivery per digest."""
    return scan.reminders_scan(enqueue=deliveries_enqueue).recorded


@shared_task(name="commitments.tally_pivot_advance", ignore_result=True, acks_late=True)
def tally_pivot_advance() -> bool:
    """Periodic (beat, hourly): move the commitment tally's pivot to today once the day has changed."""
    return commitment_tally_pivot_advance()


@shared_task(name="commitments.reminders_redeliver", ignore_result=True, acks_late=True)
def reminders_redeliver() -> int:
    """Periodic (beat): re-enqueue deliveries lost with the broker or a killed worker, and retries now due."""
    keys, hooks = scan.reminders_redeliver(enqueue=deliveries_enqueue)
    return len(keys) + len(hooks)


@shared_task(name="commitments.reminder_deliver", ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def reminder_deliver(digest_key: str) -> int:
    """Send one recipient's digest exactly once (claim pending rows, send, mark sent); failures wait for the sweep."""
    try:
        return digest.digest_deliver(key=digest_key)
    except DeliveryError as exc:
        # Recorded on the rows with the next attempt's time (exponential backoff); the sweep re-enqueues it.
        log.warning(
            "reminder digest %s not delivered (%s): %s", digest_key, "will retry" if exc.transient else "failed", exc
        )
        return 0


@shared_task(name="commitments.webhook_deliver", ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def webhook_deliver(delivery_id: int) -> bool:
    """Post one agency's digest to its group robot exactly once; failures wait for the sweep."""
    try:
        return digest.webhook_delivery_send(delivery_id=delivery_id)
    except DeliveryError as exc:
        log.warning(
            "webhook delivery %s not posted (%s): %s", delivery_id, "will retry" if exc.transient else "failed", exc
        )
        return False


def deliveries_enqueue(digest_keys: list[str], webhook_ids: list[int]) -> None:
    """Queue one delivery task per digest and per group-robot post (what a scan or the sweep hands over)."""
    for key in digest_keys:
        reminder_deliver.delay(key)
    for pk in webhook_ids:
        webhook_deliver.delay(pk)
