"""Recount the tallies (CommitmentTally, OpenDeadlineTally, followup's ReplyRatingTally) from the rows, e.g. after a
bulk load without triggers."""

from django.apps import apps
from django.core.management.base import BaseCommand

from commitments.services import commitment_tally_rebuild


class Command(BaseCommand):
    help = "重新统计承诺与满意度计数表（批量导入绕过触发器之后） / Recount the tallies from scratch."

    def handle(self, *args, **options):
        rows = commitment_tally_rebuild()
        self.stdout.write(f"{rows} commitment tally rows")
        if apps.is_installed("followup"):
            # An entry point may reach the app above commitments; the domain code never does.
            from followup.services import rating_tally_rebuild

            self.stdout.write(f"{rating_tally_rebuild()} reply rating tally rows")
