"""manage.py rebuild_search_index [--kind document …]: refill the search columns (after a bulk import, an upgrade)."""

from django.core.management.base import BaseCommand

from search.services import MODELS, search_index_rebuild


class Command(BaseCommand):
    help = "Recompute search_text and search_vector of every searchable row (agencies, items, documents, commitments)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", choices=sorted(MODELS), help="only this kind (repeatable)")
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, **options):
        done = search_index_rebuild(kinds=options["kind"], batch=options["batch"])
        for kind, count in done.items():
            self.stdout.write(f"{kind}: {count} rows")
