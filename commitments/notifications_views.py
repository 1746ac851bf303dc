"""In-app notifications: the signed-in user's list, and marking one or all as read (POST)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification


@login_required
def notification_list(request):
    """The user's notifications, newest first, unread ones highlighted."""
    rows = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
    return render(request, "commitments/notifications.html", {"page": page, "unread": unread, "nav": "notifications"})


@login_required
@require_POST
def notification_read(request, pk=None):
    """Mark one notification (or, without pk, all of them) as read; only the recipient's own."""
    mine = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
    if pk is not None:
        note = get_object_or_404(Notification, pk=pk, recipient=request.user)
        mine = mine.filter(pk=note.pk)
    mine.update(read_at=timezone.now())
    target = request.POST.get("next") or reverse("notifications:list")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notifications:list")
    return HttpResponseRedirect(target)
