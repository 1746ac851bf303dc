from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("承诺事项")

    def ready(self) -> None:
        # psycopg decodes `json` values (the list pages' json_agg of agencies and targets: two per row) with orjson,
        # which the API already renders with: ~5x faster than the json module for these small arrays. Django's
        # JSONField decodes its own (jsonb) columns and is not affected.
        import orjson
        from psycopg.types.json import set_json_loads

        set_json_loads(orjson.loads)

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

        # An import's result page lists the replies its items now let link (session 15).
        from proposals import panels

        from .panels import import_replies_to_link_panel

        panels.register(import_replies_to_link_panel, page="import")
