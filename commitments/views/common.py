"""Helpers shared by the web views."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone


def local_today() -> dt.date:
    return timezone.localdate()


def error_messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)
