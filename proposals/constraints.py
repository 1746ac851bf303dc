"""Helpers for the named database constraints every app declares."""

from django.db import models
from django.db.models import Q


def in_choices(field: str, choices: type[models.TextChoices], blank: bool = False) -> Q:
    """A CheckConstraint condition: `field` holds one of the choices' stored values (or '' when blank)."""
    values = list(choices.values) + ([""] if blank else [])
    return Q(**{f"{field}__in": values})
