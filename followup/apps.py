from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("回头看与评价")

    def ready(self) -> None:
        # Rounds and periods are reminded by the one reminder scan (commitments.reminders; docs/followup.md).
        from commitments import tracking
        from proposals import panels

        from .panels import rounds_to_report_panel, rounds_to_verify_panel
        from .reminder_sources import register_sources
        from .services import commitment_has_reports

        register_sources()
        # A commitment with a 回头看 report or a period reported is withdrawn, not deleted, when its reply is edited.
        tracking.register(commitment_has_reports)
        # A clerk's home lists the rounds his agencies must report (the board is the supervisors').
        panels.register(rounds_to_report_panel, page="home")
        # A supervisor's home lists the submitted rounds awaiting his verdicts (session 13).
        panels.register(rounds_to_verify_panel, page="home")
