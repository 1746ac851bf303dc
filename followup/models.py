from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment
from proposals import scoping
from proposals.constraints import in_choices
from proposals.models import Agency, Proposer, Session
from responses.models import Response

from .choices import (
    CollectedBy,
    RatingValue,
    ReportedState,
    RoundOrigin,
    RoundState,
    Verdict,
)


class ReviewRoundQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReviewRoundQuerySet":
        """Staff see a round that asks about a commitment they may act on (`Commitment.editable_by`: a clerk's
        agencies as lead or co-responsible, a supervisor's bodies), and the rounds of their agency or their bodies'
        sessions; proposers none.

        By its lines, not only its own agency (session 20): a reply of agency A whose letter makes agency B lead of
        a commitment gets a round for A with B's line in it, and B's clerks, who alone can report that line, did not
        see the round (A's could not report it, so the round could not be submitted). And a round over one agency
        across every session was shown to every supervisor, another body's too. A visible round shows only the
        lines whose commitments the user may see (`selectors.round_lines`)."""
        if scoping.sees_everything(user):
            return self
        bodies, agencies = scoping.body_ids(user), scoping.agency_ids(user)
        if not bodies and not agencies:
            return self.none()
        mine = Commitment.objects.editable_by(user).values("pk")
        scope = Q(Exists(ReviewItem.objects.filter(round=OuterRef("pk"), commitment__in=mine)))
        if agencies:
            scope |= Q(agency_id__in=agencies)
        if bodies:
            scope |= Q(session__body_id__in=bodies)
        return self.filter(scope)


class ReviewRound(models.Model):
    """A 回头看: the agency reports the state of each open commitment in scope by a due date; a supervisor verifies."""

    origin = models.CharField(_("来源"), max_length=16, choices=RoundOrigin.choices, default=RoundOrigin.SCHEDULED)
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.CASCADE, related_name="review_rounds", verbose_name=_("答复")
    )
    offset_months = models.PositiveSmallIntegerField(_("答复后月数"), null=True, blank=True)
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="review_rounds", verbose_name=_("会议")
    )
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_rounds",
        verbose_name=_("承办单位"),
    )
    title = models.CharField(_("名称"), max_length=200)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("开启人"),
    )
    opened_on = models.DateField(_("开启日期"))
    due_on = models.DateField(_("填报期限"))
    state = models.CharField(_("状态"), max_length=16, choices=RoundState.choices, default=RoundState.OPEN)
    covered_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("已在该回头看中询问"),
        help_text=_("无需填报的按期回头看：其承诺当时已在这一尚未核实的回头看中。"),
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ReviewRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")
        ordering = ["due_on", "pk"]
        constraints = [
            # The beat task may run any number of times: one round per reply and offset, ever.
            models.UniqueConstraint(
                fields=["response", "offset_months"],
                condition=Q(response__isnull=False),
                name="%(app_label)s_%(class)s_unique_reply_offset",
            ),
            models.CheckConstraint(
                condition=in_choices("state", RoundState), name="%(app_label)s_%(class)s_state_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("origin", RoundOrigin), name="%(app_label)s_%(class)s_origin_valid"
            ),
            models.CheckConstraint(
                condition=~Q(origin=RoundOrigin.SCHEDULED) | Q(response__isnull=False, offset_months__isnull=False),
                name="%(app_label)s_%(class)s_scheduled_has_reply",
            ),
            models.CheckConstraint(
                condition=Q(response__isnull=False) | Q(session__isnull=False) | Q(agency__isnull=False),
                name="%(app_label)s_%(class)s_has_scope",
            ),
        ]
        indexes = [
            # Board and reminder scan: rounds by state and due date.
            models.Index(fields=["state", "due_on"], name="reviewround_state_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title


def review_evidence_upload_to(instance: "ReviewItem", filename: str) -> str:
    return f"evidence/{instance.commitment_id}/review/{filename}"


class ReviewItem(models.Model):
    """One open commitment in a round: what the agency reported, with evidence, and the supervisor's verdict."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="items", verbose_name=_("回头看"))
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="review_items", verbose_name=_("承诺")
    )
    reported_state = models.CharField(_("落实情况"), max_length=16, choices=ReportedState.choices, blank=True)
    note = models.TextField(_("情况说明"), blank=True)
    evidence_file = models.FileField(_("佐证材料"), upload_to=review_evidence_upload_to, blank=True)
    evidence_url = models.URLField(_("佐证链接"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(_("填报时间"), null=True, blank=True)
    verdict = models.CharField(_("核实结论"), max_length=16, choices=Verdict.choices, blank=True)
    verdict_note = models.TextField(_("核实意见"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("回头看条目")
        verbose_name_plural = _("回头看条目")
        ordering = ["round", "commitment__deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "commitment"], name="%(app_label)s_%(class)s_unique_commitment"),
            models.CheckConstraint(
                condition=in_choices("reported_state", ReportedState, blank=True),
                name="%(app_label)s_%(class)s_reported_state_valid",
            ),
            models.CheckConstraint(
                condition=in_choices("verdict", Verdict, blank=True), name="%(app_label)s_%(class)s_verdict_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.commitment_id}"


def period_evidence_upload_to(instance: "CommitmentPeriod", filename: str) -> str:
    return f"evidence/{instance.commitment_id}/periods/{filename}"


class CommitmentPeriod(models.Model):
    """One period of a recurring duty (每月/每季度/每半年/每年): its own due date, reminded and reported on its own."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="periods", verbose_name=_("承诺"))
    number = models.PositiveSmallIntegerField(_("期次"))
    starts_on = models.DateField(_("起始日期"))
    due_on = models.DateField(_("到期日期"))
    met_at = models.DateTimeField(_("完成登记时间"), null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("情况说明"), blank=True)
    evidence_file = models.FileField(_("佐证材料"), upload_to=period_evidence_upload_to, blank=True)
    evidence_url = models.URLField(_("佐证链接"), blank=True)

    class Meta:
        verbose_name = _("周期任务期次")
        verbose_name_plural = _("周期任务期次")
        ordering = ["commitment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "number"], name="%(app_label)s_%(class)s_unique_number"),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("starts_on")), name="%(app_label)s_%(class)s_dates_ordered"
            ),
        ]
        indexes = [
            # Reminder scan: periods not yet met, by due date.
            models.Index(fields=["met_at", "due_on"], name="commitmentperiod_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} #{self.number} ({self.due_on})"


class Rating(models.Model):
    """One rating of a reply, attitude (态度) and result (结果) apart, with who entered it and after which round."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("答复"))
    proposer = models.ForeignKey(
        Proposer, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("提出人")
    )
    round = models.ForeignKey(
        ReviewRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="ratings", verbose_name=_("回头看")
    )
    attitude = models.CharField(_("办理态度"), max_length=16, choices=RatingValue.choices)
    result = models.CharField(_("办理结果"), max_length=16, choices=RatingValue.choices)
    comment = models.TextField(_("意见"), blank=True)
    collected_by = models.CharField(_("录入方"), max_length=16, choices=CollectedBy.choices)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("录入人")
    )
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A proposer rates a reply once at the start and once after each round (NULL round = the first).
            models.UniqueConstraint(
                fields=["response", "proposer", "round"],
                condition=Q(collected_by=CollectedBy.PROPOSER),
                nulls_distinct=False,
                name="%(app_label)s_%(class)s_once_per_round",
            ),
            models.CheckConstraint(
                condition=~Q(collected_by=CollectedBy.PROPOSER) | Q(proposer__isnull=False),
                name="%(app_label)s_%(class)s_proposer_named",
            ),
            models.CheckConstraint(
                condition=in_choices("attitude", RatingValue), name="%(app_label)s_%(class)s_attitude_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("result", RatingValue), name="%(app_label)s_%(class)s_result_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("collected_by", CollectedBy), name="%(app_label)s_%(class)s_collected_by_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} {self.get_result_display()} ({self.get_collected_by_display()})"


class ReplyRatingTally(models.Model):
    """How many replies share one agency, session and rating state: what the per-agency page's 满意率 read.

    The state of a reply: its `Response.satisfaction` (`sat`: "" not rated, "ok" 满意/基本满意, "no" 不满意) and
    whether the proposer gave it (`sat_own`), and the result of its latest proposer's own rating (`own`) and of
    its latest staff-entered rating (`staff`), each "", "ok" or "no". A province holds a million replies; their
    rates counted live took 1–2 s each at 5,000,000 commitments (docs/deployment.md), from here a few thousand
    rows. Kept exact by PostgreSQL triggers on replies, ratings and an item's session (migration followup 0003),
    through ReplyRatingState, each reply's current state; `rating_tally_rebuild()` recounts both. SQLite (`make
    run`) has no triggers: the selectors count live there.
    """

    agency = models.ForeignKey(
        Agency, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("答复单位")
    )
    session = models.ForeignKey(
        Session, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("会议")
    )
    sat = models.CharField(_("满意度"), max_length=2)
    sat_own = models.BooleanField(_("提出人直接反馈"))
    own = models.CharField(_("本人评价"), max_length=2)
    staff = models.CharField(_("代录评价"), max_length=2)
    n = models.BigIntegerField(_("数量"), default=0)

    class Meta:
        verbose_name = _("满意度计数")
        verbose_name_plural = _("满意度计数")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "session", "sat", "sat_own", "own", "staff"],
                name="%(app_label)s_%(class)s_key",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.session_id}/{self.sat}/{self.own}/{self.staff}: {self.n}"


class ReplyRatingState(models.Model):
    """One reply's counted state in ReplyRatingTally (kept by the triggers: what to subtract when it changes)."""

    response = models.OneToOneField(
        Response,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("答复"),
    )
    agency_id = models.BigIntegerField(null=True)
    session_id = models.BigIntegerField(null=True)
    sat = models.CharField(max_length=2, default="")
    sat_own = models.BooleanField(default=False)
    own = models.CharField(max_length=2, default="")
    staff = models.CharField(max_length=2, default="")
    counted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("答复满意度状态")
        verbose_name_plural = _("答复满意度状态")

    def __str__(self) -> str:
        return f"{self.response_id}: {self.sat}/{self.own}/{self.staff}"
