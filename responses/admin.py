from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from proposals.admin import ProposalAdmin
from proposals.models import Proposal

from .models import Document, Response


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "original_name", "size", "uploaded_by", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["title", "original_name", "content_hash", "text"]
    readonly_fields = ["content_hash", "size", "created_at", "extraction"]


class ResponseInline(admin.TabularInline):
    """The replies on an item's admin page."""

    model = Response
    extra = 0
    fields = ["doc_number", "agency", "signed_on", "category", "satisfaction", "review_state"]
    readonly_fields = ["doc_number", "agency", "signed_on", "category", "satisfaction", "review_state"]
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


# The item's admin page (proposals/admin.py) with its replies: registered here because replies depend on
# items, never the other way round (docs/architecture.md).
admin.site.unregister(Proposal)


@admin.register(Proposal)
class ProposalWithRepliesAdmin(ProposalAdmin):
    inlines = [*ProposalAdmin.inlines, ResponseInline]


@admin.register(Response)
class ResponseAdmin(SimpleHistoryAdmin):
    list_display = [
        "doc_number",
        "agency",
        "proposal",
        "signed_on",
        "category",
        "disclosure",
        "satisfaction",
        "review_state",
    ]
    list_filter = ["category", "disclosure", "review_state", "satisfaction", "is_draft", "agency"]
    search_fields = ["doc_number", "proposal__title", "proposal__number", "agency__name"]
    date_hierarchy = "signed_on"
    list_select_related = ["agency", "proposal"]
    autocomplete_fields = ["proposal", "agency", "rehandling_of"]
    raw_id_fields = ["document"]
    # commitments/admin.py adds the commitments inline (ResponseWithCommitmentsAdmin).
