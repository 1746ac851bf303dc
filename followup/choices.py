from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundState(models.TextChoices):
    OPEN = "open", _("待填报")
    SUBMITTED = "submitted", _("待核实")
    VERIFIED = "verified", _("已核实")
    # A scheduled round whose open commitments were all being asked by a manual round not yet verified: recorded (so
    # the beat does not retry it) with no lines and `covered_by` naming that round; nothing to fill in.
    SKIPPED = "skipped", _("无需填报")


class RoundOrigin(models.TextChoices):
    SCHEDULED = "scheduled", _("按期自动开启")
    MANUAL = "manual", _("督办人员开启")


class ReportedState(models.TextChoices):
    """What the agency says became of a commitment at a 回头看."""

    DONE = "done", _("已完成")
    IN_PROGRESS = "in_progress", _("推进中")
    DELAYED = "delayed", _("滞后")
    PARTLY = "partly", _("部分完成")
    NOT_STARTED = "not_started", _("未启动")


class Verdict(models.TextChoices):
    ACCEPTED = "accepted", _("核实通过")
    RETURNED = "returned", _("退回重报")


class RatingValue(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class CollectedBy(models.TextChoices):
    """Who entered a rating: the proposer himself, or staff (the rated agency, or the congress/CPPCC office)."""

    PROPOSER = "proposer", _("提出人本人")
    AGENCY = "agency", _("承办单位代录")
    BODY = "body", _("人大/政协代录")
