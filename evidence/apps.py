from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evidence"
    verbose_name = _("落实佐证")

    def ready(self) -> None:
        # The proposal page shows earlier items on the same subject through the panel hook proposals owns,
        # so that proposals never imports evidence.
        from proposals import panels

        from .views import similar_items_panel

        panels.register(similar_items_panel)
