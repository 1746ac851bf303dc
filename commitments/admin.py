from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from responses.admin import ResponseAdmin
from responses.models import Response

from .integrity import scope_gaps
from .models import (
    ChangeRequest,
    Commitment,
    Notification,
    ProgressUpdate,
    Reminder,
    ReminderScan,
    Target,
    WebhookDelivery,
)
from .reply_logging import reply_deletable, reply_delete


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    readonly_fields = ["created_at"]


class ChangeRequestInline(admin.TabularInline):
    model = ChangeRequest
    extra = 0
    readonly_fields = ["requested_at", "decided_at"]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["short_text", "agency", "strength", "deadline", "precision", "status", "proposal"]
    list_filter = ["status", "strength", "precision", "section_kind", "is_vague", "agency", "proposal__session__body"]
    search_fields = ["text", "deadline_text", "proposal__title", "proposal__number"]
    date_hierarchy = "deadline"
    list_select_related = ["agency", "proposal"]
    autocomplete_fields = ["agency", "agencies", "proposal", "response"]
    raw_id_fields = ["document", "owner"]
    inlines = [TargetInline, ProgressUpdateInline, ChangeRequestInline]
    history_list_display = ["status", "deadline"]

    @admin.display(description="承诺原文")
    def short_text(self, obj):
        return obj.text[:50]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The lead agency is always one of the responsible agencies: the clerk scope reads the M2M alone.
        if form.instance.agency_id:
            form.instance.agencies.add(form.instance.agency_id)


class CommitmentInline(admin.TabularInline):
    """The commitments on a reply's admin page."""

    model = Commitment
    extra = 0
    fields = ["text", "strength", "deadline", "precision", "status"]
    readonly_fields = ["text"]
    show_change_link = True


# The reply's admin page (responses/admin.py) with its commitments: registered here because commitments depend on
# replies, never the other way round (docs/architecture.md).
admin.site.unregister(Response)


@admin.register(Response)
class ResponseWithCommitmentsAdmin(ResponseAdmin):
    inlines = [*ResponseAdmin.inlines, CommitmentInline]

    def get_deleted_objects(self, objs, request):
        # A reply whose commitments have progress, evidence or requests is shown as protected: admin refuses it.
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        for response in objs:
            for commitment in reply_deletable(response):
                protected.append(
                    f"{commitment}（承诺 #{commitment.pk} 已有进展、佐证或申请 / has progress, evidence or requests）"
                )
        return deleted, counts, perms, protected

    def delete_model(self, request, obj):
        reply_delete(response=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for response in queryset:
            reply_delete(response=response, user=request.user)


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["commitment", "kind", "requested_deadline", "state", "requested_by", "requested_at", "decided_by"]
    list_filter = ["kind", "state"]
    search_fields = ["commitment__text", "reason"]
    raw_id_fields = ["commitment"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["commitment", "note", "percent", "status_to", "author", "created_at"]
    list_filter = ["status_to"]
    search_fields = ["note", "commitment__text"]
    raw_id_fields = ["commitment"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["text", "value", "unit", "actual_value", "commitment"]
    search_fields = ["text", "commitment__text"]
    raw_id_fields = ["commitment"]


@admin.action(description="重新发送所选失败的提醒 / Retry the selected failed reminders")
def retry_failed(modeladmin, request, queryset):
    """Failed rows go back to pending with a fresh attempt count; the delivery is enqueued after commit."""
    from django.db import transaction

    from .choices import ReminderState
    from .tasks import reminder_deliver, webhook_deliver

    failed = queryset.filter(state=ReminderState.FAILED)
    is_webhook = queryset.model is WebhookDelivery
    keys = list(failed.order_by().values_list("pk" if is_webhook else "digest_key", flat=True).distinct())
    count = failed.update(state=ReminderState.PENDING, attempts=0, retry_at=None)
    task = webhook_deliver if is_webhook else reminder_deliver
    transaction.on_commit(lambda: [task.delay(key) for key in keys])
    modeladmin.message_user(request, f"已重新排队 {count} 条 / {count} requeued.")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = [
        "recipient",
        "kind",
        "subject_type",
        "subject_id",
        "due_on",
        "channel",
        "state",
        "attempts",
        "short_error",
        "retry_at",
        "sent_at",
    ]
    list_filter = ["state", "kind", "channel", "subject_type", "due_on"]
    search_fields = ["recipient__username", "last_error", "digest_key"]
    readonly_fields = [
        "recipient",
        "subject_type",
        "subject_id",
        "kind",
        "due_on",
        "channel",
        "scan",
        "digest_key",
        "created_at",
        "sent_at",
        "last_error",
        "attempts",
        "retry_at",
    ]
    list_select_related = ["recipient"]
    date_hierarchy = "due_on"
    actions = [retry_failed]

    @admin.display(description="最近错误")
    def short_error(self, obj):
        return obj.last_error[:80]


# A tuple: the stubs type list_display and readonly_fields as different (invariant) lists.
_SCAN_FIELDS = ("as_of", "window_start", "started_at", "finished_at", "candidates", "recorded", "digests")


@admin.register(ReminderScan)
class ReminderScanAdmin(admin.ModelAdmin):
    list_display = _SCAN_FIELDS
    readonly_fields = _SCAN_FIELDS


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["agency", "scan", "state", "attempts", "last_error", "retry_at", "sent_at"]
    list_filter = ["state"]
    readonly_fields = ["agency", "scan", "items", "attempts", "last_error", "retry_at", "created_at", "sent_at"]
    actions = [retry_failed]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "title", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["title", "recipient__username"]


# ------------------------------------------------------------------------------------------------ integrity


def check_scope_view(request):
    """Admin page: what no supervisor or no agency can see, and commitments no one will be reminded of."""
    if not (request.user.is_superuser or request.user.has_perm("proposals.view_all_items")):
        raise PermissionDenied
    limit = 200
    gaps = []
    for gap in scope_gaps():
        rows = list(gap.rows.order_by("pk")[:limit])
        gaps.append(
            {
                "label": gap.label,
                "count": gap.rows.count(),
                "rows": [
                    {"pk": r.pk, "text": str(r)[:80], "url": reverse(f"admin:{gap.admin}_change", args=[r.pk])}
                    for r in rows
                ],
            }
        )
    context = {
        **admin.site.each_context(request),
        "title": _("数据完整性检查"),
        "intro": _("每类最多列出 %(n)d 条；命令行：manage.py check_scope") % {"n": limit},
        "gaps": gaps,
    }
    return TemplateResponse(request, "admin/check_scope.html", context)


# The admin index links to the integrity page (commitments/templates/admin/luoshi_index.html).
admin.site.index_template = "admin/luoshi_index.html"
