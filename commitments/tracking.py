"""What later apps record on a commitment that must not be lost when its reply is edited or deleted.

`services.has_tracking` asks its own records (progress, change requests, actual values, a closed status) and every
check registered here, so that `commitments` imports no later app: `followup` registers its 回头看 reports and its
recurring periods' reports in its AppConfig.ready (session 20: a reply edited to drop a commitment with no progress
deleted the agency's 回头看 report and its evidence with it).
"""

from collections.abc import Callable

_CHECKS: list[Callable] = []


def register(check: Callable) -> Callable:
    """Add ``check(commitment) -> bool`` (True: something is recorded on it); idempotent."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def tracked_elsewhere(commitment) -> bool:
    """Whether a registered check finds a record on the commitment."""
    return any(check(commitment) for check in _CHECKS)
