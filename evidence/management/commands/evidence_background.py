"""Write the evidence matcher's word-rareness background from its named list of texts (evidence/background.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence import background


class Command(BaseCommand):
    help = (
        "由文本清单生成落实佐证匹配的词频背景文件 / Write the evidence matcher's n-gram background from a list of texts "
        "(then retrain the scorer: python -m benchmarks.train_evidence)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list", type=Path, default=background.LIST, help="file naming the texts, one a line")
        parser.add_argument("--out", type=Path, default=background.SHIPPED, help="background file to write")
        parser.add_argument(
            "--check", action="store_true", help="write nothing; exit 1 when --out is not what the list builds"
        )

    def handle(self, *args, **options):
        try:
            payload = background.build(background.read_list(options["list"]))
        except OSError as exc:
            raise CommandError(f"无法读取文本 / Cannot read a text: {exc}") from exc
        if options["check"]:
            try:
                shipped = background.read(options["out"])
            except (OSError, ValueError) as exc:
                raise CommandError(f"{options['out']}: {exc}") from exc
            if shipped.sha256 != payload["sha256"]:
                raise CommandError(
                    f"{options['out']} is {shipped.sha256[:12]}, the list builds {payload['sha256'][:12]}: regenerate"
                )
            self.stdout.write(f"{options['out']}: up to date ({payload['n']} texts, {payload['sha256'][:12]})")
            return
        background.write(payload, options["out"])
        self.stdout.write(
            f"{options['out']}: {payload['n']} texts, {len(payload['df'])} n-grams, sha256 {payload['sha256'][:12]}"
        )
