"""Celery tasks of the replies app: thin wrappers that call one service and log."""

import logging

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


@shared_task(name="responses.extractor_retrain", ignore_result=True)
def extractor_retrain() -> bool:
    """Periodic (beat, weekly): retrain the ranker on the corpus plus corrections; promote it unless it scores lower."""
    result = services.extractor_retrain()
    log.info(
        "extractor retrained: %s (model %s, baseline dated F1 %s)",
        result.reason,
        result.model,
        result.baseline_dated_f1,
    )
    return result.promoted
