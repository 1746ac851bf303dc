from django.db import models
from django.utils.translation import gettext_lazy as _


class LinkState(models.TextChoices):
    SUGGESTED = "suggested", _("待确认")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("已驳回")


class Outcome(models.TextChoices):
    DONE = "done", _("已完成")
    IN_PROGRESS = "in_progress", _("推进中")
    DELAYED = "delayed", _("延期")
    PARTLY = "partly", _("部分完成")
    UNKNOWN = "unknown", _("未判断")
