from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, Assignment, AssignmentImport, Body, Proposal, ProposalProposer, Proposer, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "jurisdiction", "reply_months", "escalation_after_days"]
    list_filter = ["kind", "jurisdiction"]
    search_fields = ["name", "jurisdiction"]
    filter_horizontal = ["supervisors"]
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "term", "meeting", "year"]
    list_filter = ["body__kind", "body", "year"]
    search_fields = ["name", "body__name"]
    list_select_related = ["body"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "jurisdiction", "parent", "webhook_kind"]
    list_filter = ["jurisdiction", "webhook_kind"]
    search_fields = ["name", "short_name", "aliases"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["clerks"]


@admin.register(Proposer)
class ProposerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "email", "phone", "user"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["user"]
    actions = ["create_accounts"]

    @admin.action(description=_("为所选提出人创建账户（本人查看与评价）"))
    def create_accounts(self, request, queryset):
        """Create a sign-in account for each selected proposer without one; passwords are shown once."""
        from django.core.exceptions import ValidationError

        from .services import proposer_account_create

        for proposer in queryset.filter(user__isnull=True):
            try:
                user, password = proposer_account_create(proposer=proposer)
            except ValidationError as exc:
                self.message_user(request, f"{proposer}: {'; '.join(exc.messages)}", level="error")
                continue
            self.message_user(request, f"{proposer}: {user.username} / {password}")


class ProposalProposerInline(admin.TabularInline):
    model = ProposalProposer
    extra = 0
    autocomplete_fields = ["proposer"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "session", "kind", "is_key", "assigned_on", "reply_due_on", "status"]
    list_filter = ["kind", "status", "is_key", "session__body", "session"]
    search_fields = ["number", "title", "proposers__name"]
    date_hierarchy = "assigned_on"
    list_select_related = ["session"]
    autocomplete_fields = ["session"]
    # responses/admin.py adds the replies inline (ProposalWithRepliesAdmin): replies sit above proposals.
    inlines = [ProposalProposerInline, AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "agency", "role", "assigned_on", "due_on", "answered_on"]
    list_filter = ["role", "agency"]
    search_fields = ["proposal__number", "proposal__title", "agency__name"]
    list_select_related = ["proposal", "agency"]
    autocomplete_fields = ["proposal", "agency"]


@admin.register(AssignmentImport)
class AssignmentImportAdmin(admin.ModelAdmin):
    """Imported assignment lists, read-only: the record behind each import's result page."""

    list_display = ["session", "imported_at", "imported_by", "item_count", "created_count", "assignment_count"]
    list_filter = ["session__body"]
    list_select_related = ["session", "imported_by"]
    raw_id_fields = ["items"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
