from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from search.fields import SearchIndexed

from . import scoping
from .choices import AssignmentRole, BodyKind, ProposalKind, ProposalStatus, ProposerKind, ProposerRole, WebhookKind
from .constraints import in_choices


class Body(models.Model):
    """An assembly that receives proposals: a people's congress (人大) or a CPPCC (政协) of one jurisdiction."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=16, choices=BodyKind.choices)
    jurisdiction = models.CharField(_("行政区"), max_length=50, help_text=_("如 昆明市、楚雄州"))
    reply_months = models.PositiveSmallIntegerField(_("答复期限（月）"), default=3)
    reply_reminder_days = models.JSONField(
        _("答复提醒（提前天数）"), default=list, blank=True, help_text=_("空则使用默认 30、14、7、1")
    )
    commitment_reminder_days = models.JSONField(
        _("承诺提醒（提前天数）"), default=list, blank=True, help_text=_("空则使用默认 90、30、7、1")
    )
    escalation_after_days = models.PositiveSmallIntegerField(_("逾期升级天数"), default=7)
    review_months = models.JSONField(
        _("回头看（答复后月数）"), default=list, blank=True, help_text=_("空则使用默认 6、12")
    )
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="supervised_bodies", verbose_name=_("督办人员")
    )

    class Meta:
        verbose_name = _("人大/政协")
        verbose_name_plural = _("人大/政协")
        ordering = ["jurisdiction", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="%(app_label)s_%(class)s_unique_name"),
            models.CheckConstraint(condition=in_choices("kind", BodyKind), name="%(app_label)s_%(class)s_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """A meeting of one term of a body: 第十五届人大三次会议 is term 15, meeting 3."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("人大/政协"))
    term = models.PositiveSmallIntegerField(_("届"))
    meeting = models.PositiveSmallIntegerField(_("次会议"))
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    name = models.CharField(_("名称（原文）"), max_length=100)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["body", "-term", "-meeting"]
        constraints = [
            models.UniqueConstraint(fields=["body", "term", "meeting"], name="%(app_label)s_%(class)s_unique_meeting"),
        ]

    def __str__(self) -> str:
        return self.name


class Agency(SearchIndexed):
    """A government unit that handles items and makes commitments; aliases hold the short names letters use."""

    search_fields = ("name", "short_name", "aliases")

    name = models.CharField(_("全称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    aliases = models.JSONField(_("别名"), default=list, blank=True, help_text=_("如 市发展改革委、我委"))
    jurisdiction = models.CharField(_("行政区"), max_length=50, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children", verbose_name=_("上级")
    )
    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="clerk_agencies", verbose_name=_("办理人员")
    )
    webhook_kind = models.CharField(
        _("群机器人类型"), max_length=16, choices=WebhookKind.choices, default=WebhookKind.NONE
    )
    webhook_url = models.URLField(_("群机器人地址"), blank=True)
    webhook_allow_private = models.BooleanField(
        _("允许内网地址"), default=False, help_text=_("仅管理员确认后开启：允许 webhook 指向内网或本机地址")
    )

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="%(app_label)s_%(class)s_unique_name"),
            models.CheckConstraint(
                condition=in_choices("webhook_kind", WebhookKind), name="%(app_label)s_%(class)s_webhook_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def search_source(self) -> str:
        """Full name, short name and every alias, one a line."""
        return "\n".join([self.name, self.short_name, *(str(a) for a in self.aliases or [])])

    def clean(self) -> None:
        """A group robot needs an address, and the address must be https and public unless allowed."""
        from django.core.exceptions import ValidationError

        from .webhooks import validate_webhook_url

        if self.webhook_kind != WebhookKind.NONE and not self.webhook_url:
            raise ValidationError({"webhook_url": _("请填写群机器人地址")})
        if self.webhook_url:
            try:
                validate_webhook_url(self.webhook_url, allow_private=self.webhook_allow_private)
            except ValidationError as exc:
                raise ValidationError({"webhook_url": exc.messages})


class Proposer(models.Model):
    """A deputy, a CPPCC member, or an organisation (such as 民建昆明市委) that submits items."""

    name = models.CharField(_("姓名/名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=16, choices=ProposerKind.choices)
    email = models.EmailField(_("电子邮箱"), blank=True)
    phone = models.CharField(_("电话"), max_length=50, blank=True)
    # A person's own account, or the contact person of an organisation: sees the proposer's items read-only.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposer_accounts",
        verbose_name=_("账户"),
    )

    class Meta:
        verbose_name = _("提出人")
        verbose_name_plural = _("提出人")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="%(app_label)s_%(class)s_unique_name_kind"),
            models.CheckConstraint(
                condition=in_choices("kind", ProposerKind), name="%(app_label)s_%(class)s_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProposalQuerySet":
        """Supervisors see their bodies' items; clerks items assigned to their agencies; proposers their own."""
        if scoping.sees_everything(user):
            return self
        bodies, agencies, proposers = scoping.body_ids(user), scoping.agency_ids(user), scoping.proposer_ids(user)
        if not bodies and not agencies and not proposers:
            return self.none()
        assigned = Assignment.objects.filter(proposal=models.OuterRef("pk"), agency_id__in=agencies)
        scope: Q = Q(session__body_id__in=bodies) | Q(models.Exists(assigned))
        if proposers:
            scope |= Q(models.Exists(own_items(proposers, models.OuterRef("pk"))))
        return self.filter(scope)


def own_items(proposer_ids: list[int], proposal_ref) -> models.QuerySet:
    """The proposer links of an item (`proposal_ref`, an OuterRef) to one of `proposer_ids`: for an EXISTS."""
    return ProposalProposer.objects.filter(proposal_id=proposal_ref, proposer_id__in=proposer_ids)


class Proposal(SearchIndexed):
    """A suggestion (建议) or proposal (提案) of one session, identified by its number within that session."""

    search_fields = ("number", "title", "summary")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("会议"))
    kind = models.CharField(_("类别"), max_length=16, choices=ProposalKind.choices)
    number = models.CharField(_("编号"), max_length=32)
    title = models.CharField(_("标题"), max_length=300)
    summary = models.TextField(_("内容摘要"), blank=True)
    proposers: "models.ManyToManyField[Proposer, ProposalProposer]" = models.ManyToManyField(
        Proposer, through="ProposalProposer", related_name="proposals", verbose_name=_("提出人")
    )
    is_key = models.BooleanField(_("重点建议/提案"), default=False)
    lead_official = models.CharField(_("领办领导"), max_length=100, blank=True)
    supervising_official = models.CharField(_("督办领导"), max_length=100, blank=True)
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    reply_due_on = models.DateField(_("答复期限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.REGISTERED
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "search_text", "search_vector"])

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("建议/提案")
        permissions = [("view_all_items", _("可查看全部建议提案与承诺"))]
        verbose_name_plural = _("建议/提案")
        ordering = ["-session__year", "session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="%(app_label)s_%(class)s_unique_number"),
            models.CheckConstraint(
                condition=in_choices("kind", ProposalKind), name="%(app_label)s_%(class)s_kind_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("status", ProposalStatus), name="%(app_label)s_%(class)s_status_valid"
            ),
        ]
        indexes = [
            # Reply-clock scan: unanswered items ordered by their due date.
            models.Index(fields=["status", "reply_due_on"], name="proposal_status_due_idx"),
            # The dashboard's 重点 filter (about 2% of the items): the key items without reading the others.
            models.Index(fields=["id"], condition=Q(is_key=True), name="proposal_key_idx"),
            # The proposal page's similar-items pool (evidence.selectors.similar_proposals: the 100 newest
            # earlier items sharing a bigram): walked backwards, the scan stops at the 100th match instead of
            # reading and sorting every item (docs/evidence.md).
            models.Index(fields=["created_at", "id"], name="proposal_created_idx"),
        ]

    def __str__(self) -> str:
        return f"第{self.number}号 {self.title}"

    def search_source(self) -> str:
        """Number, title, summary and the proposers' names (once the item is saved and has them)."""
        names = [link.proposer.name for link in self.proposer_links.all()] if self.pk else []
        return "\n".join([self.number, self.title, self.summary, *names])


class ProposalProposer(models.Model):
    """A proposer's place on an item: the lead (领衔) or a co-signer (联名)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="proposer_links")
    proposer = models.ForeignKey(Proposer, on_delete=models.PROTECT, related_name="proposal_links")
    role = models.CharField(_("角色"), max_length=8, choices=ProposerRole.choices, default=ProposerRole.LEAD)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("提出人")
        verbose_name_plural = _("提出人")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "proposer"], name="%(app_label)s_%(class)s_unique_pair"),
            models.CheckConstraint(
                condition=in_choices("role", ProposerRole), name="%(app_label)s_%(class)s_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposer} ({self.get_role_display()})"


class Assignment(models.Model):
    """An item handed to an agency (交办) in a role (主办/协办/会办/分办); its due date starts the reply clock."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("建议/提案")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("承办单位"))
    role = models.CharField(_("办理方式"), max_length=8, choices=AssignmentRole.choices, default=AssignmentRole.LEAD)
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["proposal", "role", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "agency"], name="%(app_label)s_%(class)s_unique_agency"),
            models.CheckConstraint(
                condition=in_choices("role", AssignmentRole), name="%(app_label)s_%(class)s_role_valid"
            ),
        ]
        indexes = [
            # Clerk home and reply reminders: an agency's unanswered items by due date.
            models.Index(fields=["agency", "answered_on", "due_on"], name="assignment_agency_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.get_role_display()} {self.proposal.number}"


class AssignmentImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssignmentImportQuerySet":
        """The imports into the sessions of the bodies a user supervises (every one for administrators)."""
        if scoping.sees_everything(user):
            return self
        return self.filter(session__body_id__in=scoping.body_ids(user))


class AssignmentImport(models.Model):
    """One imported assignment list (交办清单): its session, who imported it and when, its items; its result page."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="imports", verbose_name=_("会议"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("导入人")
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    items = models.ManyToManyField(Proposal, related_name="+", verbose_name=_("建议/提案"))
    item_count = models.PositiveIntegerField(_("导入件数"))
    created_count = models.PositiveIntegerField(_("新建件数"))
    assignment_count = models.PositiveIntegerField(_("交办次数"))

    objects = AssignmentImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("交办清单导入")
        verbose_name_plural = _("交办清单导入")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.session} {self.imported_at:%Y-%m-%d %H:%M}"
