from django.db import models
from django.utils.translation import gettext_lazy as _


class Strength(models.TextChoices):
    ENSURE = "ensure", _("确保")
    STRIVE = "strive", _("力争")
    SEEK = "seek", _("争取")
    WILL = "will", _("将")
    PLAN = "plan", _("计划")
    EXPECT = "expect", _("预计")
    OTHER = "other", _("其他")


class Precision(models.TextChoices):
    DAY = "day", _("日")
    MONTH = "month", _("月")
    QUARTER = "quarter", _("季度")
    HALF = "half", _("半年")
    YEAR = "year", _("年")
    NONE = "none", _("无期限")


class Recurrence(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half-yearly", _("每半年")
    YEARLY = "yearly", _("每年")


class SectionKind(models.TextChoices):
    PAST = "past", _("已开展工作")
    RESPONSE = "response", _("办理意见")
    NEXT = "next", _("下步工作")
    OTHER = "other", _("其他")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    FULFILLED = "fulfilled", _("已兑现")
    PARTLY_FULFILLED = "partly_fulfilled", _("部分兑现")
    MISSED = "missed", _("未兑现")
    WITHDRAWN = "withdrawn", _("已撤回")


CLOSED_STATUSES = (
    CommitmentStatus.FULFILLED,
    CommitmentStatus.PARTLY_FULFILLED,
    CommitmentStatus.MISSED,
    CommitmentStatus.WITHDRAWN,
)


class ChangeKind(models.TextChoices):
    EXTENSION = "extension", _("延期")
    WITHDRAWAL = "withdrawal", _("撤回")


class ChangeState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("已驳回")


class ReminderKind(models.TextChoices):
    REPLY_DUE = "reply_due", _("答复即将到期")
    REPLY_OVERDUE = "reply_overdue", _("答复已逾期")
    DEADLINE_DUE = "deadline_due", _("承诺即将到期")
    DEADLINE_OVERDUE = "deadline_overdue", _("承诺已逾期")
    ESCALATION = "escalation", _("逾期升级督办")
    CHANGE_PENDING = "change_pending", _("延期/撤回待审批")
    ROUND_DUE = "round_due", _("回头看即将到期")
    ROUND_OVERDUE = "round_overdue", _("回头看已逾期")


class ReminderSubject(models.TextChoices):
    ASSIGNMENT = "assignment", _("交办")
    COMMITMENT = "commitment", _("承诺")
    CHANGE_REQUEST = "change_request", _("变更申请")
    # The weekly escalation to supervisors: one row per (supervisor, primary agency), subject_id the agency's id
    # (0: commitments without one), the count and oldest deadline in Reminder.summary.
    AGENCY = "agency", _("单位逾期汇总")
    # Registered by followup (followup/reminder_sources.py); the scan and digests only know them as strings.
    ROUND = "round", _("回头看")
    PERIOD = "period", _("周期任务")


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    IN_APP = "in_app", _("站内通知")
    WEBHOOK = "webhook", _("群机器人")


class ReminderState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SUPERSEDED = "superseded", _("已被更新提醒取代")


# Strength labels as the letters write them.
STRENGTH_BY_LABEL = {
    "确保": Strength.ENSURE,
    "力争": Strength.STRIVE,
    "争取": Strength.SEEK,
    "将": Strength.WILL,
    "计划": Strength.PLAN,
    "预计": Strength.EXPECT,
}


# The longest note, reason or comment a person may type (progress, closing, requests, decisions, 回头看 reports), the
# same in the forms and the API's serializers (session 20: the forms took any length).
NOTE_MAX_LENGTH = 5000
