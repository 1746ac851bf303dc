from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from proposals import scoping
from proposals.constraints import in_choices
from proposals.models import Agency, Assignment, Proposal, own_items
from search.fields import ScopeAgenciesField, SearchIndexed

from .choices import (
    Disclosure,
    DocumentKind,
    FeedbackAction,
    FeedbackProposed,
    FeedbackSource,
    ReplyCategory,
    ReviewState,
    Satisfaction,
    SatisfactionChannel,
)


def document_upload_to(instance: "Document", filename: str) -> str:
    return f"documents/{instance.content_hash[:2]}/{instance.content_hash}/{filename}"


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DocumentQuerySet":
        """Visible with its reply; one without a reply (an unconfirmed upload, news, a report) belongs to its uploader's
        agencies: their clerks and the supervisors of bodies that assign items to them (and the uploader)."""
        if scoping.sees_everything(user):
            return self
        if not user.is_authenticated:
            return self.none()
        replies = Response.objects.visible_to(user).filter(document=models.OuterRef("pk"))
        # NOT EXISTS rather than `response__isnull`: the LEFT JOIN that the latter adds made PostgreSQL hash every
        # reply (1,000,000 at 5M, ~170 ms) for a search that reads a few hundred letters.
        no_reply = ~models.Exists(Response.objects.filter(document=models.OuterRef("pk")))
        # The uploader is tested before "has no reply", and the order matters: inside an OR PostgreSQL plans that
        # NOT EXISTS as a hashed SubPlan, a hash of every reply's document (1,000,000 at 5M, ~100 ms) built the
        # first time it is evaluated. Written after a test that is FALSE (not NULL: "NULL IN (…)" is NULL, and an
        # AND goes on past a NULL) for other uploaders, it is evaluated only for documents of an uploader in scope
        # (plan in docs/search.md): a clerk's search over other agencies' letters never builds the hash.
        uploader = Q(uploaded_by__isnull=False) & (
            Q(uploaded_by=user) | Q(uploaded_by__in=scoping.uploaders_in_scope(user))
        )
        if scoping.body_ids(user):
            # Loaded by the system (manage.py load_seed_fixtures: news and reports): open to every supervisor, like
            # the commitments they carry.
            uploader |= Q(uploaded_by__isnull=True)
        return self.filter(models.Exists(replies) | (uploader & no_reply))


class DocumentManager(models.Manager.from_queryset(DocumentQuerySet)):  # type: ignore[misc]
    """Documents without their search columns unless asked for: a letter's n-grams are several times its text."""

    def get_queryset(self):
        return super().get_queryset().defer("search_text", "search_vector")


class Document(SearchIndexed):
    """Any ingested text (reply letter, news report, work report): the original file and its cleaned text."""

    kind = models.CharField(_("类别"), max_length=16, choices=DocumentKind.choices, default=DocumentKind.REPLY)
    title = models.CharField(_("标题"), max_length=300, blank=True)
    original = models.FileField(_("原始文件"), upload_to=document_upload_to, blank=True)
    original_name = models.CharField(_("原始文件名"), max_length=255, blank=True)
    source = models.CharField(_("来源"), max_length=500, blank=True, help_text=_("网址或文件名"))
    text = models.TextField(_("清洗后文本"))
    content_hash = models.CharField(_("内容哈希（SHA-256）"), max_length=64)
    size = models.PositiveIntegerField(_("文件大小（字节）"), default=0)
    extraction = models.JSONField(_("抽取结果"), default=dict, blank=True)
    # The whole Extraction (sections, spans, offsets …) as responses.extraction.storage keeps it, computed
    # once on upload; the preview reads it while extraction_version is the running pipeline's.
    extraction_detail = models.JSONField(_("抽取详情"), default=dict, blank=True)
    extraction_version = models.CharField(_("抽取版本"), max_length=32, blank=True)
    # SHA-256 of the normalised cleaned text: the same letter in another encoding or format is one document.
    text_hash = models.CharField(_("文本哈希"), max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("上传人"),
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    search_fields = ("title", "text")

    objects = DocumentManager()

    # The agencies whose clerks see the letter through its reply (the reply's agency and its item's assigned
    # agencies; {0} without a reply), kept by triggers (search/scope.py) for the clerk's search (docs/search.md).
    scope_agencies = ScopeAgenciesField()

    class Meta:
        verbose_name = _("文档")
        verbose_name_plural = _("文档")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["content_hash"], name="%(app_label)s_%(class)s_unique_hash"),
            models.UniqueConstraint(
                fields=["text_hash"], condition=~Q(text_hash=""), name="%(app_label)s_%(class)s_unique_text_hash"
            ),
            models.CheckConstraint(
                condition=in_choices("kind", DocumentKind), name="%(app_label)s_%(class)s_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name or f"#{self.pk}"

    def search_source(self) -> str:
        """Title, the reply's 文号 (when logged as a reply) and the full text."""
        try:
            doc_number = self.response.doc_number if self.pk else ""
        except Document.response.RelatedObjectDoesNotExist:
            doc_number = ""
        return "\n".join([self.title, doc_number, self.text])


class ResponseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ResponseQuerySet":
        """Clerks see their agencies' replies and replies to items assigned to them; supervisors their bodies';
        proposers the replies to their own items.

        A reply not linked to an item belongs to its agency: its clerks and the supervisors of the bodies that assign
        items to that agency."""
        if scoping.sees_everything(user):
            return self
        bodies, agencies, proposers = scoping.body_ids(user), scoping.agency_ids(user), scoping.proposer_ids(user)
        if not bodies and not agencies and not proposers:
            return self.none()
        assigned = Assignment.objects.filter(proposal=models.OuterRef("proposal_id"), agency_id__in=agencies)
        scope = Q(agency_id__in=agencies) | models.Exists(assigned) | Q(proposal__session__body_id__in=bodies)
        if bodies:
            scope |= Q(proposal__isnull=True, agency_id__in=scoping.supervised_agencies(bodies))
        if proposers:
            scope |= Q(models.Exists(own_items(proposers, models.OuterRef("proposal_id"))))
        return self.filter(scope)


class Response(models.Model):
    """An agency's reply letter (答复函) to a proposal, with its 文号, dates, category and the proposer's rating."""

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="response", verbose_name=_("文档"))
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="responses", verbose_name=_("建议/提案")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="responses", verbose_name=_("答复单位"))
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    signed_on = models.DateField(_("签发日期"), null=True, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    category = models.CharField(_("答复类别"), max_length=1, choices=ReplyCategory.choices, blank=True)
    disclosure = models.CharField(_("公开属性"), max_length=16, choices=Disclosure.choices, default=Disclosure.UNKNOWN)
    is_draft = models.BooleanField(_("送审稿"), default=False)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phones = models.JSONField(_("联系电话"), default=list, blank=True)
    cc = models.JSONField(_("抄送"), default=list, blank=True)
    review_state = models.CharField(
        _("核对状态"), max_length=16, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    satisfaction = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.choices, blank=True)
    satisfaction_channel = models.CharField(
        _("满意度征询方"), max_length=16, choices=SatisfactionChannel.choices, blank=True
    )
    satisfaction_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("满意度登记人"),
    )
    satisfaction_recorded_at = models.DateTimeField(_("满意度登记时间"), null=True, blank=True)
    rehandling_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rehandlings",
        verbose_name=_("重新办理自"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["-signed_on", "-pk"]
        indexes = [
            # The per-agency page's 满意率 counts the rated replies only (a province's million replies, most of
            # them not rated yet, are not read): commitments.selectors._performance_rates, followup's rating rates.
            models.Index(fields=["agency"], condition=~Q(satisfaction=""), name="response_rated_idx"),
            # The reply list's order (newest first, views.reply_list): a backward scan stopped by the LIMIT instead
            # of sorting every visible reply (74,012 for the largest agency's clerk at 5M, 2.3 s).
            models.Index(fields=["created_at", "id"], name="response_created_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "doc_number"],
                condition=~Q(doc_number=""),
                name="%(app_label)s_%(class)s_unique_doc_number",
            ),
            models.CheckConstraint(
                condition=in_choices("category", ReplyCategory, blank=True),
                name="%(app_label)s_%(class)s_category_valid",
            ),
            models.CheckConstraint(
                condition=in_choices("disclosure", Disclosure), name="%(app_label)s_%(class)s_disclosure_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("review_state", ReviewState), name="%(app_label)s_%(class)s_review_state_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("satisfaction", Satisfaction, blank=True),
                name="%(app_label)s_%(class)s_satisfaction_valid",
            ),
            models.CheckConstraint(
                condition=in_choices("satisfaction_channel", SatisfactionChannel, blank=True),
                name="%(app_label)s_%(class)s_satisfaction_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.doc_number or f"{self.agency} 答复 #{self.pk}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "doc_number" in update_fields:
            # The 文号 is part of the letter's search document (Document.search_source): the reply list's `q`.
            document = Document.objects.get(pk=self.document_id)
            document.search_refresh()
            document.save(update_fields=["search_text", "search_vector"])


class ExtractionFeedback(models.Model):
    """One item of a confirmed reply set against the extraction: kept, edited, removed or added by the clerk."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="extraction_feedback", verbose_name=_("文档")
    )
    source = models.CharField(_("来源"), max_length=16, choices=FeedbackSource.choices)
    action = models.CharField(_("操作"), max_length=16, choices=FeedbackAction.choices)
    proposed = models.CharField(_("抽取结果"), max_length=16, choices=FeedbackProposed.choices)
    extracted_text = models.TextField(_("抽取原文"), blank=True)
    extracted_start = models.PositiveIntegerField(_("抽取起点"), null=True, blank=True)
    extracted_end = models.PositiveIntegerField(_("抽取终点"), null=True, blank=True)
    extracted_score = models.FloatField(_("模型评分"), null=True, blank=True)
    extracted_deadline = models.DateField(_("抽取期限"), null=True, blank=True)
    final_text = models.TextField(_("确认原文"), blank=True)
    final_deadline = models.DateField(_("确认期限"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("确认人"),
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("抽取纠正")
        verbose_name_plural = _("抽取纠正")
        ordering = ["document_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=in_choices("action", FeedbackAction), name="%(app_label)s_%(class)s_action_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("proposed", FeedbackProposed), name="%(app_label)s_%(class)s_proposed_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("source", FeedbackSource), name="%(app_label)s_%(class)s_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}：{(self.final_text or self.extracted_text)[:30]}"


class ExtractorModel(models.Model):
    """A commitment ranker trained on the corpus plus clerks' corrections, with its leave-one-set-out score."""

    version = models.PositiveIntegerField(_("版本"))
    path = models.CharField(_("模型文件"), max_length=500)
    trained_at = models.DateTimeField(_("训练时间"), auto_now_add=True)
    labels_hash = models.CharField(_("标注哈希"), max_length=64)
    documents = models.PositiveIntegerField(_("训练文档数"), default=0)
    corrections = models.PositiveIntegerField(_("纠正文档数"), default=0)
    loso_dated_f1 = models.FloatField(_("留一集 dated F1"))
    loso_all_f1 = models.FloatField(_("留一集 all F1"))
    baseline_dated_f1 = models.FloatField(_("当时在用模型 dated F1"), null=True, blank=True)
    promoted = models.BooleanField(_("在用"), default=False)

    class Meta:
        verbose_name = _("抽取模型")
        verbose_name_plural = _("抽取模型")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["version"], name="%(app_label)s_%(class)s_unique_version"),
            models.UniqueConstraint(
                fields=["promoted"], condition=Q(promoted=True), name="%(app_label)s_%(class)s_one_promoted"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version}{' ✓' if self.promoted else ''}"
