"""`manage.py send_reminders [--now 2025-12-01T09:00] [--dry-run]`: the periodic reminder scan, by hand."""

import datetime as dt
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments import tasks
from commitments.choices import ReminderKind
from commitments.models import Reminder
from commitments.reminders.scan import reminders_scan


class Command(BaseCommand):
    help = "扫描到期提醒并发送（与定时任务相同）/ Run the reminder scan now and print what it records."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="扫描时刻（本地时间，ISO 格式，如 2025-12-01T09:00）")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的提醒，不记录、不发送")

    def handle(self, *args, now=None, dry_run=False, **options):
        moment = timezone.now()
        if now:
            try:
                moment = dt.datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(
                    _("--now 格式无效：%(value)s（应为 2025-12-01T09:00 这样的本地时间）") % {"value": repr(now)}
                )
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)

        def report(result):
            rows = (
                Reminder.objects.filter(scan_id=result.scan_id)
                .select_related("recipient")
                .order_by("recipient__username", "kind", "subject_type", "subject_id")
            )
            per_recipient = Counter()
            for row in rows:
                per_recipient[(row.recipient.username, row.recipient.email)] += 1
                self.stdout.write(
                    f"  {row.recipient.username:<16} {ReminderKind(row.kind).label:<10} "
                    f"{row.subject_type}#{row.subject_id} due {row.due_on} via {row.channel}"
                )
            for (username, email), count in sorted(per_recipient.items()):
                self.stdout.write(f"digest → {username} <{email or '站内通知'}>: {count} item(s)")

        result = reminders_scan(
            now=moment,
            dry_run=dry_run,
            report=report,
            enqueue=lambda keys, hooks: tasks.deliveries_enqueue(keys, hooks),
        )
        if result.skipped:
            raise CommandError(_("另一次扫描正在进行"))
        verb = "would send" if dry_run else "scheduled"
        self.stdout.write(
            self.style.SUCCESS(
                f"as of {result.as_of} (window from {result.since or 'the beginning'}): {result.candidates} candidates, "
                f"{result.recorded} reminders, {len(result.digests)} digests and {len(result.webhooks)} webhook posts "
                f"{verb}; {result.superseded} older pending reminders superseded; "
                f"{result.bad_rows} rows skipped (date out of range, see the log)"
            )
        )
