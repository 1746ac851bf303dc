"""Load the seed documents in fixtures/documents/ through the extraction pipeline; running it twice adds nothing."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from commitments.reply_logging import seed_document_load

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "documents"


class Command(BaseCommand):
    help = "载入种子文档（fixtures/documents/）：建议提案、答复、承诺。可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(FIXTURES), help="folder of .txt/.docx/.pdf/.html documents")

    def handle(self, *args, **options):
        folder = Path(options["dir"])
        from responses.extraction import ExtractionError

        created = failed = 0
        for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
            try:
                document, was_new, count = seed_document_load(data=path.read_bytes(), filename=path.name)
            except ExtractionError as e:  # one bad file is reported and skipped; nothing of it is stored
                failed += 1
                self.stderr.write(f"{path.name}: {e} [{e.code}]")
                continue
            created += was_new
            state = f"新增，{count} 项承诺" if was_new else "已存在，跳过"
            self.stdout.write(f"{path.name}: {document.title[:40]} — {state}")
        self.stdout.write(self.style.SUCCESS(f"完成：新增 {created} 份文档 / {created} new documents"))
        if failed:
            self.stderr.write(f"{failed} 个文件未能载入 / {failed} file(s) could not be loaded")
            sys.exit(2)
