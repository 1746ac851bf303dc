from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    NPC = "npc", _("人大")
    CPPCC = "cppcc", _("政协")


class ProposalKind(models.TextChoices):
    SUGGESTION = "suggestion", _("建议")
    PROPOSAL = "proposal", _("提案")
    MOTION = "motion", _("议案")


class ProposerKind(models.TextChoices):
    DEPUTY = "deputy", _("人大代表")
    MEMBER = "member", _("政协委员")
    ORGANISATION = "organisation", _("组织")


class ProposerRole(models.TextChoices):
    LEAD = "lead", _("领衔")
    CO = "co", _("联名")


class ProposalStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ASSIGNED = "assigned", _("已交办")
    REPLIED = "replied", _("已答复")
    REHANDLING = "rehandling", _("重新办理")
    CLOSED = "closed", _("已办结")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("协办")
    JOINT = "joint", _("会办")
    SPLIT = "split", _("分办")


class WebhookKind(models.TextChoices):
    NONE = "none", _("无")
    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")


# Labels as the letters write them, for mapping extracted text to stored values.
BODY_BY_LABEL = {"人大": BodyKind.NPC, "政协": BodyKind.CPPCC}
KIND_BY_LABEL = {"建议": ProposalKind.SUGGESTION, "提案": ProposalKind.PROPOSAL, "议案": ProposalKind.MOTION}
