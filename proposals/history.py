"""Typed setters for the per-save attributes django-simple-history reads from an instance (author, reason)."""

from typing import Any

from django.db import models

# simple-history reads these instance attributes when it writes the historical row of the next save().
_HISTORY_USER = "_history_user"
_CHANGE_REASON = "_change_reason"


def history_user_set(instance: models.Model, user: Any) -> None:
    """Record `user` as the author of the instance's next historical row."""
    setattr(instance, _HISTORY_USER, user)


def change_reason_set(instance: models.Model, reason: Any) -> None:
    """Record `reason` as the change reason of the instance's next historical row."""
    setattr(instance, _CHANGE_REASON, reason)
