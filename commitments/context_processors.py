"""Template context: the signed-in user's unread notification count, computed only if a template uses it."""

from django.utils.functional import SimpleLazyObject

from .models import Notification
from .selectors import inbox_count


def notifications(request):
    """`unread_notifications_count` for the page header (one indexed COUNT, only when rendered)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications_count": 0, "inbox_count": 0}
    return {
        "unread_notifications_count": SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        ),
        # The supervisor's inbox (pending requests, closures to verify, 不满意), counted only when rendered.
        "inbox_count": SimpleLazyObject(lambda: inbox_count(user=user)),
    }
