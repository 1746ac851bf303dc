from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evidence"
    verbose_name = _("落实佐证")

    def ready(self) -> None:
        # The item page shows earlier items on the same subject, the reply page a link to the commitments
        # the letter may report on, through the panel hook proposals owns: no lower app imports evidence.
        from proposals import panels

        from .views import reply_evidence_panel, similar_items_panel

        panels.register(similar_items_panel)
        panels.register(reply_evidence_panel, page="reply")
