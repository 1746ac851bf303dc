from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment, ProgressUpdate, Target
from proposals.constraints import in_choices
from responses.models import Document

from .choices import LinkState, Outcome


class EvidenceLinkQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EvidenceLinkQuerySet":
        """Visible with its commitment, when the document is visible too or is no reply (a news item, a report).

        A news item uploaded by someone else is shown to the clerk whose commitment it reports on; another
        agency's reply letter is never shown through a link.
        """
        return self.filter(
            Q(document__in=Document.objects.visible_to(user).values("pk")) | Q(document__response__isnull=True),
            commitment__in=Commitment.objects.visible_to(user).values("pk"),
        )


class EvidenceLink(models.Model):
    """A passage of a later document that reports on an earlier commitment: suggested, then accepted or rejected."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="evidence_links", verbose_name=_("承诺")
    )
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="evidence_links", verbose_name=_("佐证文档")
    )
    start = models.PositiveIntegerField(_("佐证起始位置"))
    end = models.PositiveIntegerField(_("佐证结束位置"))
    evidence_text = models.TextField(_("佐证原文"))
    shared = models.JSONField(_("共同要素"), default=list, blank=True, help_text=_("两段文字共有的名称、数字"))
    score = models.FloatField(_("匹配分"))
    outcome = models.CharField(_("进展判断"), max_length=16, choices=Outcome.choices, default=Outcome.UNKNOWN)
    target = models.ForeignKey(
        Target, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("量化目标")
    )
    actual_value = models.DecimalField(_("实际值"), max_digits=24, decimal_places=4, null=True, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=LinkState.choices, default=LinkState.SUGGESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("确认人"),
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    progress_update = models.OneToOneField(
        ProgressUpdate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_link",
        verbose_name=_("进展记录"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = EvidenceLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("佐证关联")
        verbose_name_plural = _("佐证关联")
        ordering = ["-score", "pk"]
        constraints = [
            # Accepting twice, or suggesting the same passage again, touches the one row.
            models.UniqueConstraint(
                fields=["commitment", "document", "start"], name="%(app_label)s_%(class)s_unique_evidence"
            ),
            models.CheckConstraint(
                condition=in_choices("state", LinkState), name="%(app_label)s_%(class)s_state_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("outcome", Outcome), name="%(app_label)s_%(class)s_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="%(app_label)s_%(class)s_span_ordered"
            ),
        ]
        indexes = [
            # Document page and ?document=&state=: a document's suggestions, best first.
            models.Index(fields=["document", "state", "-score"], name="evidencelink_doc_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.commitment_id} ({self.score:.2f})"
