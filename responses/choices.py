from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    REPLY = "reply", _("答复函")
    NEWS = "news", _("新闻报道")
    REPORT = "report", _("工作报告")
    OTHER = "other", _("其他")


class ReplyCategory(models.TextChoices):
    A = "a", _("A类（已解决或采纳）")
    B = "b", _("B类（正在解决或列入计划）")
    C = "c", _("C类（留作参考）")
    D = "d", _("D类")


class Disclosure(models.TextChoices):
    PUBLIC = "public", _("公开")
    NOT_PUBLIC = "not_public", _("不公开")
    UNKNOWN = "unknown", _("未标明")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("待确认")
    CONFIRMED = "confirmed", _("已确认")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class SatisfactionChannel(models.TextChoices):
    """Who collected the rating: one collected by the rated agency itself is known to be inflated."""

    AGENCY = "agency", _("承办单位征询")
    BODY = "body", _("人大/政协征询")
    PROPOSER = "proposer", _("提出人直接反馈")


class FeedbackAction(models.TextChoices):
    KEPT = "kept", _("保留")
    EDITED = "edited", _("修改")
    REMOVED = "removed", _("删除")
    ADDED = "added", _("新增")


class FeedbackProposed(models.TextChoices):
    COMMITMENT = "commitment", _("抽取为承诺")
    CANDIDATE = "candidate", _("候选")
    NONE = "none", _("未抽取")


class FeedbackSource(models.TextChoices):
    PREVIEW = "preview", _("核对页面")
    API = "api", _("接口")
