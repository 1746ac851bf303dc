from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A revocable API key of one user, read-only or read-write; only a SHA-256 hash of the key is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户")
    )
    name = models.CharField(_("名称"), max_length=100, help_text=_("如 督办大屏、数据中心同步"))
    prefix = models.CharField(_("前缀"), max_length=12, help_text=_("密钥的前几位，便于识别"))
    key_hash = models.CharField(_("密钥哈希（SHA-256）"), max_length=64, editable=False)
    read_only = models.BooleanField(_("只读"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key_hash"], name="%(app_label)s_%(class)s_unique_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CalendarToken(models.Model):
    """The secret in a user's calendar-feed URL; revoking it stops the feed. Only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens", verbose_name=_("用户")
    )
    prefix = models.CharField(_("前缀"), max_length=12)
    key_hash = models.CharField(_("密钥哈希（SHA-256）"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("日历订阅令牌")
        verbose_name_plural = _("日历订阅令牌")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key_hash"], name="%(app_label)s_%(class)s_unique_hash"),
        ]
        indexes = [
            # "Does this user already have a live feed?" in the UI.
            models.Index(fields=["user"], condition=Q(revoked_at__isnull=True), name="calendar_token_live_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
