from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ChangeRequest, Commitment, Notification, ProgressUpdate, Reminder, Target


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
    list_filter = ["status", "strength", "precision", "section_kind", "is_vague", "agency",
                   "proposal__session__body"]
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


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["commitment", "kind", "requested_deadline", "state", "requested_by", "requested_at",
                    "decided_by"]
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


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "subject_type", "subject_id", "due_on", "channel", "state", "attempts",
                    "sent_at"]
    list_filter = ["state", "kind", "channel", "subject_type"]
    search_fields = ["recipient__username", "last_error"]
    readonly_fields = ["created_at", "sent_at", "last_error", "attempts"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "title", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["title", "recipient__username"]
