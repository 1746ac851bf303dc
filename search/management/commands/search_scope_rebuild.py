"""Recompute `scope_agencies` of every commitment and letter (search/scope.py), e.g. after a bulk load without
triggers (benchmarks/bench_data.py calls it too)."""

from django.core.management.base import BaseCommand

from search.scope import rebuild


class Command(BaseCommand):
    help = "重新计算检索的单位范围列 / Recompute the search's scope_agencies of commitments and letters."

    def handle(self, *args, **options):
        changed = rebuild()
        for kind, rows in changed.items():
            self.stdout.write(f"{rows} {kind} rows changed")
