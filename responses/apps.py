from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponsesConfig(AppConfig):
    name = "responses"
    verbose_name = _("答复")

    def ready(self) -> None:
        from responses.extraction import ranker

        from . import learning

        # The pipeline has no database access: it reads the promoted model's file (learning.py) when present.
        ranker.PROMOTED = learning.promoted_path()
