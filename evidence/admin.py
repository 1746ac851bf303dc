from django.contrib import admin

from .models import EvidenceLink


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(admin.ModelAdmin):
    list_display = ("id", "document", "commitment", "score", "outcome", "state", "decided_by", "decided_at")
    list_filter = ("state", "outcome")
    search_fields = ("evidence_text", "commitment__text")
    raw_id_fields = ("commitment", "document", "target", "progress_update", "decided_by")
    readonly_fields = ("created_at",)
