from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Document, Response


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "original_name", "size", "uploaded_by", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["title", "original_name", "content_hash", "text"]
    readonly_fields = ["content_hash", "size", "created_at", "extraction"]


def _commitment_inline():
    from commitments.models import Commitment

    class CommitmentInline(admin.TabularInline):
        model = Commitment
        extra = 0
        fields = ["text", "strength", "deadline", "precision", "status"]
        readonly_fields = ["text"]
        show_change_link = True

    return CommitmentInline


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
    inlines = [_commitment_inline()]
