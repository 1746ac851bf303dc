"""Recount the tallies (commitments' CommitmentTally, OpenDeadlineTally and ResponsibilityTally, followup's
ReplyRatingTally) from the rows, e.g. after a bulk load without triggers. In followup, the app that sees both
(docs/architecture.md)."""

from django.core.management.base import BaseCommand

from commitments.services import commitment_tally_rebuild
from followup.services import rating_tally_rebuild


class Command(BaseCommand):
    help = "重新统计承诺与满意度计数表（批量导入绕过触发器之后） / Recount the tallies from scratch."

    def handle(self, *args, **options):
        self.stdout.write(f"{commitment_tally_rebuild()} commitment tally rows")
        self.stdout.write(f"{rating_tally_rebuild()} reply rating tally rows")
