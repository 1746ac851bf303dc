from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("承诺事项")

    def ready(self) -> None:
        # The reminder scan's own sources (docs/reminders.md); other apps register theirs in their ready().
        from .choices import ReminderSubject
        from .reminders import digest, scan
        from .reminders.sources import ReminderSource, register

        register(ReminderSource(ReminderSubject.ASSIGNMENT, scan.scan_assignments, digest.describe_assignments))
        register(ReminderSource(ReminderSubject.COMMITMENT, scan.scan_commitments, digest.describe_commitments))
        # The per-agency escalation rows are recorded by the commitments source; this one only describes them.
        register(ReminderSource(ReminderSubject.AGENCY, scan.scan_nothing, digest.describe_agencies))
        register(
            ReminderSource(ReminderSubject.CHANGE_REQUEST, scan.scan_change_requests, digest.describe_change_requests)
        )
