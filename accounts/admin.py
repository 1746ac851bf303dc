from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, CalendarToken
from .services import api_token_create, api_token_revoke, calendar_token_create, calendar_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "read_only", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["read_only", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    autocomplete_fields = ["user"]
    fields = ["user", "name", "read_only", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        # A token is created or revoked, never edited: a changed scope must be a new key.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        token, key = api_token_create(user=obj.user, name=obj.name, read_only=obj.read_only)
        obj.pk = token.pk
        obj.refresh_from_db()
        self.message_user(
            request, _("令牌已创建，请立即复制，此后无法再次查看：%(key)s") % {"key": key}, messages.WARNING
        )

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "user__username"]
    autocomplete_fields = ["user"]
    fields = ["user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        token, key = calendar_token_create(user=obj.user)
        obj.pk = token.pk
        obj.refresh_from_db()
        self.message_user(request, _("日历订阅地址密钥（仅显示一次）：%(key)s") % {"key": key}, messages.WARNING)

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request, queryset):
        for token in queryset:
            calendar_token_revoke(token=token)
