from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("账号与令牌")

    def ready(self):
        from . import checks, signals  # noqa: F401  (registers the deploy checks, connects the cache invalidation)
