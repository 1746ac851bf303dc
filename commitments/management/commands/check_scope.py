"""List items, replies and commitments that escape supervision or reminders (commitments/integrity.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from commitments.integrity import scope_gaps


class Command(BaseCommand):
    help = "列出无督办人员或无单位可见的建议提案、答复、承诺，以及无人会收到提醒的承诺 / List what escapes supervision."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=20, help="每类最多列出的条数 / rows listed per kind")
        parser.add_argument(
            "--fail", action="store_true", help="发现问题时以状态 1 退出 / exit 1 when anything is found"
        )

    def handle(self, *args, limit: int, fail: bool, **options):
        found = 0
        for gap in scope_gaps():
            count = gap.rows.count()
            found += count
            style = self.style.WARNING if count else self.style.SUCCESS
            self.stdout.write(style(f"{gap.label}: {count}"))
            for row in gap.rows.order_by("pk")[:limit]:
                self.stdout.write(f"  #{row.pk} {str(row)[:60]}")
        self.stdout.write(_("合计：%(n)d") % {"n": found})
        if fail and found:
            raise CommandError(_("发现 %(n)d 处") % {"n": found})
