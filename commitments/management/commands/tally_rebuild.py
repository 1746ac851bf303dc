"""Recount the commitment tally (CommitmentTally) from the commitments, e.g. after a bulk load without triggers."""

from django.core.management.base import BaseCommand

from commitments.services import commitment_tally_rebuild


class Command(BaseCommand):
    help = "重新统计承诺计数表（批量导入绕过触发器之后） / Recount the commitment tally from scratch."

    def handle(self, *args, **options):
        rows = commitment_tally_rebuild()
        self.stdout.write(f"{rows} tally rows")
