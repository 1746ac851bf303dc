"""Celery tasks for follow-through: thin, they take nothing or an id and call one service."""

import logging

from celery import shared_task
from django.utils import timezone

from commitments.reminders.scan import scan_date

from . import services

log = logging.getLogger(__name__)


@shared_task(name="followup.scan", ignore_result=True, acks_late=True)
def followup_scan() -> int:
    """Periodic (beat): close the rounds left without lines, open the 回头看 rounds now due, extend recurring periods.

    Their reminders are recorded and delivered by the one reminder scan (`commitments.reminders_scan`)."""
    today = scan_date(timezone.now())
    services.review_rounds_skip_emptied()
    opened = services.review_rounds_open_due(today=today)
    services.periods_sync_all(today=today)
    log.info("follow-up as of %s: %s rounds opened", today, len(opened))
    return len(opened)
