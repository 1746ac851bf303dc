"""Print the commitments a document reports on, best first, as JSON (ingesting the file first if it is new)."""

import json

from django.core.management.base import BaseCommand, CommandError

from evidence import selectors
from evidence.services import evidence_document_ingest


class Command(BaseCommand):
    help = "提示某文档报告了哪些此前的承诺（--json 输出）。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help='print {"links": [...]}')
        parser.add_argument("--limit", type=int, default=20, help="at most this many links (default 20)")
        parser.add_argument("--confirm", action="store_true", help="also store the file's own commitments")

    def handle(self, *args, **options):
        from responses.extraction import ExtractionError

        try:
            with open(options["file"], "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CommandError(f"无法读取文件 / Cannot read the file: {exc.strerror or exc}") from exc
        try:
            # Found by content hash when the file was ingested before.
            result = evidence_document_ingest(
                data=data, filename=options["file"].rsplit("/", 1)[-1], confirm=options["confirm"]
            )
        except ExtractionError as exc:
            raise CommandError(f"{exc.message_zh} / {exc.message_en}") from exc
        document = result.document
        links = [
            {
                "commitment": commitment.pk,
                "commitment_text": commitment.text,
                "document": document.pk,
                "evidence_text": match.passage.text,
                "score": round(match.score, 4),
                "outcome": match.outcome,
                "suggested": match.suggested,
            }
            for commitment, match in selectors.evidence_rank(document=document)[: options["limit"]]
        ]
        if options["json"]:
            self.stdout.write(json.dumps({"links": links}, ensure_ascii=False, indent=2))
            return
        for link in links:
            mark = "★" if link["suggested"] else " "
            self.stdout.write(
                f"{mark} {link['score']:.2f} [{link['outcome']}] #{link['commitment']} "
                f"{link['commitment_text'][:40]} ← {link['evidence_text'][:60]}"
            )
