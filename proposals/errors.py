"""Domain errors shared by every app's services."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class Conflict(ValidationError):
    """The state changed under the caller (another session closed, decided or logged it first); nothing was written.

    A ValidationError, so that code which shows validation messages shows this one too; the API answers 409
    (config/api.py) and the web pages re-render with status 409. `existing` is the row that won, if any.
    """

    def __init__(self, message: "str | _StrPromise", *, code: str = "conflict", existing=None):
        super().__init__(message, code=code)
        self.existing = existing


# Shown when the database refused a write that a concurrent one made impossible (a unique constraint).
# Lazy: translated where it is shown, in that request's language.
CONCURRENT_WRITE = _("操作与他人同时提交，已有一方成功，请刷新后查看")
