"""Typed setters for the per-save attributes django-simple-history reads from an instance (author, reason)."""

from typing import Any

from django.db import models

# simple-history reads these instance attributes when it writes the historical row of the next save().
_HISTORY_USER = "_history_user"
_CHANGE_REASON = "_change_reason"
# simple-history's history_change_reason column (a varchar of 100). A clerk's reason for closing a commitment as missed
# or withdrawn (up to 5,000 characters, kept whole in its ProgressUpdate's note) stopped the save with a DataError: a
# 500 for any reason over 100 characters, on the commitment page and the API alike (session 20).
CHANGE_REASON_MAX = 100


def history_user_set(instance: models.Model, user: Any) -> None:
    """Record `user` as the author of the instance's next historical row."""
    setattr(instance, _HISTORY_USER, user)


def change_reason_set(instance: models.Model, reason: Any) -> None:
    """Record `reason` as the change reason of the instance's next historical row, cut to the column's width (the
    whole text is where the service keeps it: the progress note, the request's reason)."""
    text = str(reason)
    if len(text) > CHANGE_REASON_MAX:
        text = text[: CHANGE_REASON_MAX - 1] + "…"
    setattr(instance, _CHANGE_REASON, text)
