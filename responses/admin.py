from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from proposals.admin import ProposalAdmin
from proposals.models import Proposal

from .models import Document, ExtractionFeedback, ExtractorModel, Response


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


@admin.register(ExtractorModel)
class ExtractorModelAdmin(admin.ModelAdmin):
    """Trained rankers: which one is in use (promoted) and its leave-one-set-out scores."""

    list_display = [
        "version",
        "promoted",
        "loso_dated_f1",
        "loso_all_f1",
        "baseline_dated_f1",
        "documents",
        "corrections",
        "trained_at",
        "labels_short",
    ]
    list_filter = ["promoted"]
    readonly_fields = [f.name for f in ExtractorModel._meta.fields]

    @admin.display(description="标注哈希")
    def labels_short(self, obj: ExtractorModel) -> str:
        return obj.labels_hash[:12]

    def has_add_permission(self, request) -> bool:
        return False  # rows come from the retraining service only

    def changelist_view(self, request, extra_context=None):
        from django.contrib import messages

        from responses.extraction import ranker

        current = ExtractorModel.objects.filter(promoted=True).first()
        if current is not None:
            messages.info(
                request,
                f"在用模型 / model in use: v{current.version}（留一集 dated F1 {current.loso_dated_f1:.3f}，"
                f"all F1 {current.loso_all_f1:.3f}）",
            )
            if ranker.current_model().labels_hash != current.labels_hash:
                messages.warning(
                    request, "模型文件不可用，流程正在使用随附模型 / the file is unusable: the shipped model runs"
                )
        else:
            shipped = ranker.read_model(ranker.SHIPPED)
            messages.info(
                request,
                f"在用模型 / model in use: 随附模型 shipped（{shipped.trained_on[:60]}，{shipped.labels_hash[:12]}）",
            )
        return super().changelist_view(request, extra_context)


@admin.register(ExtractionFeedback)
class ExtractionFeedbackAdmin(admin.ModelAdmin):
    """What clerks kept, edited, removed and added against the extraction (training data for the ranker)."""

    list_display = ["document", "action", "proposed", "extracted_score", "final_text", "source", "created_at"]
    list_filter = ["action", "proposed", "source"]
    readonly_fields = [f.name for f in ExtractionFeedback._meta.fields]
    list_select_related = ["document"]

    def has_add_permission(self, request) -> bool:
        return False
