from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from proposals import scoping
from proposals.constraints import in_choices
from proposals.models import Agency, Proposal, own_items
from responses.models import Document, Response
from search.fields import ScopeAgenciesField, SearchIndexed

from .choices import (
    CLOSED_STATUSES,
    ChangeKind,
    ChangeState,
    Channel,
    CommitmentStatus,
    Precision,
    Recurrence,
    ReminderKind,
    ReminderState,
    ReminderSubject,
    SectionKind,
    Strength,
)


class CommitmentQuerySet(models.QuerySet):
    """Commitment queries; visible_to is the one scope that UI, API, exports, feeds and reminders share."""

    def visible_to(self, user) -> "CommitmentQuerySet":
        """Clerks see commitments their agencies are responsible for; supervisors those of their bodies' items;
        proposers (read-only) those made in replies to their own items."""
        proposers = [] if scoping.sees_everything(user) else scoping.proposer_ids(user)
        staff = self.editable_by(user)
        if not proposers:
            return staff
        own = Q(models.Exists(own_items(proposers, models.OuterRef("proposal_id"))))
        if not (scoping.body_ids(user) or scoping.agency_ids(user)):
            return self.filter(own)
        return self.filter(Q(pk__in=staff.values("pk")) | own)

    def editable_by(self, user) -> "CommitmentQuerySet":
        """The staff scope: commitments a clerk or supervisor may act on (never a proposer's read-only view).

        The API list's SQL path writes the same scope by hand (`commitments.page_sql._scope`): a change here must be
        made there too; tests/api/test_page_sql.py compares the two paths for every kind of user."""
        if scoping.sees_everything(user):
            return self
        bodies, agencies = scoping.body_ids(user), scoping.agency_ids(user)
        if not bodies and not agencies:
            return self.none()
        scope = Q(pk__in=[])
        if agencies:
            # Every commitment's lead agency is also one of its `agencies` (commitment services `_fill`, the admin's
            # save_related, the factories; `check_scope` reports a violation), so the M2M alone is the clerk scope:
            # `id IN (SELECT commitment_id FROM commitments_commitment_agencies WHERE agency_id IN (…))`.
            # Plan (clerk alone): a semi-join driven by the M2M's agency index — Hash Semi Join for counts, Nested
            # Loop Semi Join under an ordered index scan with LIMIT for a page. The former
            # `agency_id IN (…) OR id = ANY(ARRAY(SELECT …))` built a 250,000-id array for the largest agency at
            # 5M rows and the planner tested every row against it (a parallel seq scan, > 5 minutes for a COUNT).
            scope |= Q(
                pk__in=Commitment.agencies.through.objects.filter(agency_id__in=agencies).values("commitment_id")
            )
        if bodies:
            # Commitments from news or reports (no proposal) are open to every supervisor.
            scope |= Q(proposal__session__body_id__in=bodies) | Q(proposal__isnull=True)
        return self.filter(scope)

    def open(self) -> "CommitmentQuerySet":
        return self.filter(status=CommitmentStatus.OPEN)

    def overdue(self, today) -> "CommitmentQuerySet":
        # Overdue is derived, never stored: the deadline has passed and the commitment is still open.
        return self.filter(status=CommitmentStatus.OPEN, deadline__lt=today)


class Commitment(SearchIndexed):
    """A forward-looking promise in a document: its clause and span, strength, deadline, targets and owner."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("来源文档")
    )
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("答复")
    )
    proposal = models.ForeignKey(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        verbose_name=_("建议/提案"),
        db_index=False,  # commitment_proposal_filter_idx below leads with it
    )
    start = models.PositiveIntegerField(_("起始位置"), null=True, blank=True)
    end = models.PositiveIntegerField(_("结束位置"), null=True, blank=True)
    section = models.CharField(_("所在章节"), max_length=200, blank=True)
    section_kind = models.CharField(
        _("章节类别"), max_length=16, choices=SectionKind.choices, default=SectionKind.OTHER
    )
    text = models.TextField(_("承诺原文"))
    strength = models.CharField(_("承诺强度"), max_length=16, choices=Strength.choices, default=Strength.OTHER)
    deadline = models.DateField(_("期限"), null=True, blank=True)
    deadline_text = models.CharField(_("期限原文"), max_length=100, blank=True)
    precision = models.CharField(_("期限精度"), max_length=16, choices=Precision.choices, default=Precision.NONE)
    is_vague = models.BooleanField(_("期限模糊"), default=False, help_text=_("如 尽快、近期、适时"))
    recurrence = models.CharField(_("周期"), max_length=16, choices=Recurrence.choices, blank=True)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_commitments",
        verbose_name=_("主责单位"),
    )
    agencies = models.ManyToManyField(Agency, blank=True, related_name="commitments", verbose_name=_("责任单位"))
    agency_names = models.JSONField(_("责任单位（原文）"), default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_commitments",
        verbose_name=_("责任人"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    # A closure by a clerk waits in the supervisors' inbox until one of them verifies it (closure_verify).
    closure_verified_at = models.DateTimeField(_("办结核实时间"), null=True, blank=True)
    closure_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("办结核实人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "search_text", "search_vector", "scope_agencies"])

    search_fields = ("text",)

    objects = CommitmentQuerySet.as_manager()

    # The agencies of `agencies` (the clerk scope), kept by triggers (search/scope.py): the clerk's search reads
    # `scope_agencies && ARRAY[…]` and the text from one GIN index (docs/search.md, "A scoped caller").
    scope_agencies = ScopeAgenciesField()

    class Meta:
        verbose_name = _("承诺")
        verbose_name_plural = _("承诺")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=in_choices("status", CommitmentStatus), name="%(app_label)s_%(class)s_status_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("strength", Strength), name="%(app_label)s_%(class)s_strength_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("precision", Precision), name="%(app_label)s_%(class)s_precision_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("section_kind", SectionKind), name="%(app_label)s_%(class)s_section_kind_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("recurrence", Recurrence, blank=True),
                name="%(app_label)s_%(class)s_recurrence_valid",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True, precision=Precision.NONE)
                | Q(deadline__isnull=False) & ~Q(precision=Precision.NONE),
                name="%(app_label)s_%(class)s_precision_matches_deadline",
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="%(app_label)s_%(class)s_span_ordered",
            ),
        ]
        indexes = [
            # Supervisor dashboard and reminder scan: open/overdue commitments by deadline.
            models.Index(fields=["status", "deadline"], name="commitment_status_deadline_idx"),
            # Per-agency overdue lists: ?overdue=true&agency=<id>, ordered by deadline then id (the id too: without
            # it the planner preferred commitment_agency_deadline_idx below, which gives the full order but has to
            # skip every closed row).
            models.Index(fields=["agency", "status", "deadline", "id"], name="commitment_agency_status_idx"),
            # The dashboard's 全部 tab (every status) in its order, deadline then id, with and without the primary
            # agency filter: an ordered index scan stopped by the page's LIMIT. Without them PostgreSQL sorted the
            # scope: 13 s for a supervisor's 全部 and 2.3 s for 全部 + the largest agency at 5,000,000 commitments.
            models.Index(fields=["deadline", "id"], name="commitment_deadline_idx"),
            models.Index(fields=["agency", "deadline", "id"], name="commitment_agency_deadline_idx"),
            # Filters on the item (重点 is_key, kind) with the commitment's own (status, strength, precision): the
            # list and its bounded count start from the matching items (proposals.proposal_key_idx for 重点) and
            # check these columns in this index alone (Index Only Scan). Without it, at 5,000,000 commitments,
            # 全部进行中 + 重点 + strength + precision walked the open commitments by deadline and read ~110,000 rows
            # from the heap to find 50 (0.5-0.9 s) and counted from the items through ~100,000 heap rows (0.5-0.6 s).
            # It also serves the item's foreign key (no separate index on proposal).
            models.Index(fields=["proposal", "status", "strength", "precision"], name="commitment_proposal_filter_idx"),
            # Incremental sync: ?updated_since=.
            models.Index(fields=["updated_at"], name="commitment_updated_idx"),
            # The supervisor's inbox: closures waiting for verification, oldest first (an ordered LIMIT 20; without
            # it, a sort of every closed commitment — millions in a freshly loaded province, docs/deployment.md).
            models.Index(
                fields=["closed_on", "id"],
                condition=Q(status__in=CLOSED_STATUSES, closure_verified_at__isnull=True),
                name="commitment_unverified_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class CommitmentTally(models.Model):
    """How many commitments share one lead agency, session, status, on-time/late outcome and "overdue at the pivot".

    What the supervisor's dashboard counts and the per-agency table read at scale: one row per agency × session ×
    outcome — ~30,000 rows for the synthetic 5,000,000 commitments instead of millions of commitments
    (docs/deployment.md). Kept exact by PostgreSQL triggers on `commitments_commitment` (insert, update, delete,
    truncate) and on the item's session (migrations commitments 0005, 0009): every write path — services, admin,
    bulk updates, cascades, raw SQL — moves the count in the same transaction, so a count read from here equals the
    live COUNT. A trigger rather than the write services because commitments change in many places (reply edits,
    closures, cascading deletes of a letter, the admin, `queryset.update`) and one forgotten path would make the
    counts drift silently; a beat-refreshed table would disagree with the lists between refreshes.

    `overdue` is "open with a deadline before TallyPivot.day": the pivot moves to today once a day
    (`commitment_tally_pivot_advance`, a beat task), which moves the day's newly overdue commitments' counts; a
    reader whose today differs from the pivot corrects by the open commitments due between the two (none, or one
    day's). `commitment_tally_rebuild()` (`manage.py tally_rebuild`) recomputes the tallies from scratch after a
    bulk load that bypassed triggers (`session_replication_role = replica`). SQLite (`make run`) has no triggers:
    the selectors count live there.
    """

    # No foreign-key constraints: a row of counts must never block deleting an agency or a session whose
    # commitments are gone (the triggers leave rows at n = 0 behind).
    agency = models.ForeignKey(
        Agency,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("主责单位"),
    )
    session = models.ForeignKey(
        "proposals.Session",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("会议"),
    )
    status = models.CharField(_("状态"), max_length=20)
    # Fulfilled with no deadline or closed by it / fulfilled after it (agency_performance's on_time and late).
    on_time = models.BooleanField(_("按期兑现"), default=False)
    late = models.BooleanField(_("逾期兑现"), default=False)
    # Open with a deadline before TallyPivot.day.
    overdue = models.BooleanField(_("已逾期"), default=False)
    n = models.BigIntegerField(_("数量"), default=0)

    class Meta:
        verbose_name = _("承诺计数")
        verbose_name_plural = _("承诺计数")
        constraints = [
            # The triggers' ON CONFLICT target; NULL agency / session are one key each.
            models.UniqueConstraint(
                fields=["agency", "session", "status", "on_time", "late", "overdue"],
                name="%(app_label)s_%(class)s_key",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.session_id}/{self.status}/{self.overdue}: {self.n}"


class OpenDeadlineTally(models.Model):
    """How many open commitments of one session fall due on one day (dated ones only).

    The dashboard's windows (overdue, due within 30/90 days) and the month chart are index-range sums over it: a
    session has at most one row per day of its deadlines (~58,000 rows for 20 sessions over 8 years). Kept by the
    same triggers as CommitmentTally; no agency, which would make it one row per commitment.
    """

    session = models.ForeignKey(
        "proposals.Session",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("会议"),
    )
    deadline = models.DateField(_("期限"))
    n = models.BigIntegerField(_("数量"), default=0)

    class Meta:
        verbose_name = _("到期承诺计数")
        verbose_name_plural = _("到期承诺计数")
        # The windows around today across a body's sessions: a range of days, not the whole table.
        indexes = [models.Index(fields=["deadline"], name="open_deadline_tally_day_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "deadline"], name="%(app_label)s_%(class)s_key", nulls_distinct=False
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.deadline}: {self.n}"


class ResponsibilityTally(models.Model):
    """How many commitments one agency is responsible for (one row of the `agencies` M2M each), per status, and for
    the open ones per deadline day.

    What a clerk's home and dashboard count at scale: a clerk of one agency sees the commitments whose `agencies`
    hold it (the lead agency is always among them), so the overdue, due within 30/90 days, open and per-status
    counts are index-range sums over that agency's rows (2,922 open for the largest agency at 5,000,000 commitments)
    instead of a semi-join over hundreds of thousands of commitments (docs/deployment.md). Open commitments are
    kept per deadline day, so every window around any "today" is exact without a pivot; the others per status
    only (`deadline` NULL), like open ones without a deadline. Kept exact by PostgreSQL triggers on the M2M
    (insert, update, delete, truncate) and on commitments (insert, delete, a change of status or deadline),
    migration commitments 0011; `commitment_tally_rebuild()` recounts it.
    """

    # No index of its own: the key below starts with it. No constraint: counts never block deleting an agency.
    agency = models.ForeignKey(
        Agency,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("责任单位"),
    )
    status = models.CharField(_("状态"), max_length=20)
    # The deadline of open commitments only (NULL: another status, or open without a deadline).
    deadline = models.DateField(_("期限"), null=True)
    n = models.BigIntegerField(_("数量"), default=0)

    class Meta:
        verbose_name = _("责任单位承诺计数")
        verbose_name_plural = _("责任单位承诺计数")
        constraints = [
            # The triggers' ON CONFLICT target and the readers' index: agency, status, then a range of days.
            models.UniqueConstraint(
                fields=["agency", "status", "deadline"], name="%(app_label)s_%(class)s_key", nulls_distinct=False
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.status}/{self.deadline}: {self.n}"


class TallyPivot(models.Model):
    """The one day against which CommitmentTally.overdue is counted (one row, id 1), moved to today daily."""

    day = models.DateField(_("基准日"))

    class Meta:
        verbose_name = _("计数基准日")
        verbose_name_plural = _("计数基准日")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="%(app_label)s_%(class)s_one_row")]

    def __str__(self) -> str:
        return str(self.day)


class Target(models.Model):
    """A quantity a commitment promises (300 亿元 → 3×10^10 元) and, later, the value actually reached."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="targets", verbose_name=_("承诺"))
    text = models.CharField(_("原文"), max_length=100)
    value = models.DecimalField(_("目标值"), max_digits=24, decimal_places=4)
    unit = models.CharField(_("单位"), max_length=20)
    actual_value = models.DecimalField(_("实际值"), max_digits=24, decimal_places=4, null=True, blank=True)
    actual_recorded_on = models.DateField(_("实际值登记日期"), null=True, blank=True)
    actual_note = models.CharField(_("实际值说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("量化目标")
        verbose_name_plural = _("量化目标")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


def evidence_upload_to(instance: "ProgressUpdate", filename: str) -> str:
    return f"evidence/{instance.commitment_id}/{filename}"


class ProgressUpdate(models.Model):
    """A note on a commitment's progress, with optional evidence and the status change it recorded."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="progress_updates", verbose_name=_("承诺")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("填报人")
    )
    note = models.TextField(_("进展说明"))
    percent = models.PositiveSmallIntegerField(_("完成比例（%）"), null=True, blank=True)
    evidence_file = models.FileField(_("佐证材料"), upload_to=evidence_upload_to, blank=True)
    evidence_url = models.URLField(_("佐证链接"), blank=True)
    status_from = models.CharField(_("原状态"), max_length=20, choices=CommitmentStatus.choices, blank=True)
    status_to = models.CharField(_("新状态"), max_length=20, choices=CommitmentStatus.choices, blank=True)
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进展")
        verbose_name_plural = _("进展")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="%(app_label)s_%(class)s_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return self.note[:40]


class ChangeRequest(models.Model):
    """A clerk's request to extend a commitment's deadline or withdraw it, and a supervisor's decision."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("承诺")
    )
    kind = models.CharField(_("类别"), max_length=16, choices=ChangeKind.choices)
    requested_deadline = models.DateField(_("申请延期至"), null=True, blank=True)
    reason = models.TextField(_("理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    state = models.CharField(_("状态"), max_length=16, choices=ChangeState.choices, default=ChangeState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("变更申请")
        verbose_name_plural = _("变更申请")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=in_choices("kind", ChangeKind), name="%(app_label)s_%(class)s_kind_valid"),
            models.CheckConstraint(
                condition=in_choices("state", ChangeState), name="%(app_label)s_%(class)s_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=ChangeKind.EXTENSION) | Q(requested_deadline__isnull=False),
                name="%(app_label)s_%(class)s_extension_has_deadline",
            ),
            # At most one pending request per commitment: a supervisor decides one thing at a time.
            models.UniqueConstraint(
                fields=["commitment"],
                condition=Q(state=ChangeState.PENDING),
                name="%(app_label)s_%(class)s_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.commitment_id}"


class ReminderScan(models.Model):
    """One pass of the reminder scan: the date it computed for and when it ran (the next scan's watermark)."""

    as_of = models.DateField(_("提醒日期"))
    window_start = models.DateField(_("补发起始日期"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    candidates = models.PositiveIntegerField(_("候选条目"), default=0)
    recorded = models.PositiveIntegerField(_("新增提醒"), default=0)
    digests = models.PositiveIntegerField(_("摘要数"), default=0)

    class Meta:
        verbose_name = _("提醒扫描")
        verbose_name_plural = _("提醒扫描")
        ordering = ["-started_at", "-pk"]
        indexes = [
            # Watermark: the latest finished scan.
            models.Index(fields=["finished_at"], name="reminderscan_finished_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.as_of} ({self.started_at:%Y-%m-%d %H:%M})"


class Reminder(models.Model):
    """One reminder owed to one recipient about one subject; the unique key makes sending exactly-once."""

    # No index of its own on recipient or scan: the unique key starts with recipient_id and reminder_scan_idx with
    # scan_id; each extra index was one more insertion per row for the scan (a million rows on a Monday at 5M).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("接收人"),
        db_index=False,
    )
    subject_type = models.CharField(_("对象类型"), max_length=20, choices=ReminderSubject.choices)
    subject_id = models.PositiveBigIntegerField(_("对象编号"))
    kind = models.CharField(_("提醒类别"), max_length=20, choices=ReminderKind.choices)
    due_on = models.DateField(_("提醒日期"))
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices, default=Channel.EMAIL)
    state = models.CharField(_("状态"), max_length=16, choices=ReminderState.choices, default=ReminderState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    scan = models.ForeignKey(
        ReminderScan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reminders",
        verbose_name=_("扫描"),
        db_index=False,
        # No database constraint: the scan row is written by the same transaction just before its reminders, and
        # a deferred foreign-key check per row at COMMIT cost seconds for a million rows (docs/reminders.md).
        # Deleting a scan still sets the column to NULL (Django's on_delete).
        db_constraint=False,
    )
    digest_key = models.CharField(_("摘要键"), max_length=64, blank=True, help_text=_("同一摘要的提醒一起发送"))
    retry_at = models.DateTimeField(_("下次重试"), null=True, blank=True)
    # Per-agency escalation rows only (subject_type "agency"): {"count", "oldest" (YYYY-MM-DD), "after_days"} as of
    # the scan that recorded it; NULL on every per-item row.
    summary = models.JSONField(_("汇总"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-due_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "subject_type", "subject_id", "kind", "due_on"],
                name="%(app_label)s_%(class)s_unique_key",
            ),
            models.CheckConstraint(
                condition=in_choices("subject_type", ReminderSubject), name="%(app_label)s_%(class)s_subject_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("kind", ReminderKind), name="%(app_label)s_%(class)s_kind_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("channel", Channel), name="%(app_label)s_%(class)s_channel_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("state", ReminderState), name="%(app_label)s_%(class)s_state_valid"
            ),
        ]
        indexes = [
            # Delivery: pending reminders, oldest first.
            models.Index(fields=["state", "due_on"], name="reminder_state_due_idx"),
            # Delivery task: claim one digest's pending rows.
            models.Index(fields=["digest_key", "state"], name="reminder_digest_idx"),
            # After a scan: the digests it created.
            models.Index(fields=["scan", "state"], name="reminder_scan_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.due_on})"


class WebhookDelivery(models.Model):
    """One digest posted to one agency's group robot (WeCom / DingTalk) for one scan; sent at most once."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="webhook_deliveries", verbose_name=_("承办单位")
    )
    scan = models.ForeignKey(
        ReminderScan, on_delete=models.CASCADE, related_name="webhook_deliveries", verbose_name=_("扫描")
    )
    items = models.JSONField(_("条目"), default=list)
    state = models.CharField(_("状态"), max_length=16, choices=ReminderState.choices, default=ReminderState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    retry_at = models.DateTimeField(_("下次重试"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("群机器人推送")
        verbose_name_plural = _("群机器人推送")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "scan"], name="%(app_label)s_%(class)s_unique_scan"),
            models.CheckConstraint(
                condition=in_choices("state", ReminderState), name="%(app_label)s_%(class)s_state_valid"
            ),
        ]
        indexes = [
            # Sweeper: pending posts, oldest first.
            models.Index(fields=["state", "created_at"], name="webhookdelivery_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} #{self.scan_id}"


class Notification(models.Model):
    """An in-app message for one user; unread until read_at is set."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Unread count in the page header.
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.title
