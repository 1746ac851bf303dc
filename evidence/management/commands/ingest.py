"""Load documents (files or folders) through the extraction pipeline and suggest the commitments they report on."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence.services import evidence_document_ingest
from proposals.models import Agency
from proposals.selectors import agency_find
from responses.files import upload_limit

SUFFIXES = {".txt", ".docx", ".pdf", ".html", ".htm"}


def _files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        else:
            out.append(path)
    return out


class Command(BaseCommand):
    help = "载入文档（答复、新闻、工作报告、完成情况报告；文件或文件夹）并提示其报告的此前承诺。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or folders (.txt/.docx/.pdf/.html)")
        parser.add_argument(
            "--confirm", action="store_true", help="save the extracted reply and commitments as they stand (archives)"
        )
        parser.add_argument(
            "--agency", action="append", default=[], help="only match commitments of this agency (repeatable)"
        )

    def handle(self, *args, **options):
        from responses.extraction import ExtractionError

        agencies: list[Agency] = []
        for name in options["agency"]:
            agency = agency_find(name)
            if agency is None:
                raise CommandError(f"未知单位 / Unknown agency: {name}")
            agencies.append(agency)
        files = _files(options["paths"])
        failed = 0
        for path in files:
            try:
                # At most one byte past the upload limit: the pipeline refuses that with its own message, and a device
                # or a pipe named by mistake (/dev/zero) is not read until memory runs out (session 20).
                with path.open("rb") as handle:
                    data = handle.read(upload_limit() + 1)
            except OSError as exc:
                failed += 1
                self.stderr.write(f"{path}: 无法读取文件 / Cannot read the file: {exc.strerror or exc}")
                continue
            try:
                result = evidence_document_ingest(
                    data=data,
                    filename=path.name,
                    confirm=options["confirm"],
                    source=str(path),
                    agency_ids=[a.pk for a in agencies] or None,
                    agency_names=tuple(a.name for a in agencies),
                )
            except ExtractionError as exc:
                failed += 1
                self.stderr.write(f"{path}: {exc.message_zh} / {exc.message_en}")
                continue
            state = "新增" if result.created else "已存在"
            self.stdout.write(
                f"{path}: #{result.document.pk} {result.document.title[:40]} — {state}，"
                f"{result.commitments} 项承诺，{len(result.links)} 条佐证建议"
            )
        self.stdout.write(
            f"完成：{len(files) - failed} 份成功，{failed} 份失败 / {len(files) - failed} ok, {failed} failed"
        )
        if failed and failed == len(files):
            raise CommandError("没有文件载入成功 / No file could be loaded.")
