"""``python manage.py extract FILE [--json]``: run the extraction pipeline on one file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from responses.extraction import ExtractionError, extract_bytes
from responses.services import extraction_budgets


class Command(BaseCommand):
    help = "Extract metadata and commitments from a reply letter (.txt/.docx/.pdf/.html)."
    requires_system_checks: list[str] = []  # pure text processing: no database, no app checks needed

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the document")
        parser.add_argument("--json", action="store_true", help="print the PREDICTION.md JSON object")
        parser.add_argument(
            "--max-bytes", type=int, default=None, help="size limit in bytes (default: UPLOAD_MAX_BYTES, 20 MB)"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as e:
            raise CommandError(f"无法读取文件 / Cannot read file: {path} ({e.strerror})", returncode=2) from None
        try:
            result = extract_bytes(data, path.name, max_bytes=options["max_bytes"], budgets=extraction_budgets())
        except ExtractionError as e:
            self.stderr.write(f"{e} [{e.code}]")
            sys.exit(2)
        if options["json"]:
            self.stdout.write(json.dumps(result.to_prediction(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._summary(result))

    @staticmethod
    def _summary(result) -> str:
        meta = result.metadata
        lines = [
            (
                f"文件 / file: {result.source_format}, {len(result.text)} 字 / chars, "
                f"参考日期 / reference date: {result.reference_date}"
            )
        ]
        labels = [
            ("doc_number", "文号"),
            ("agency", "发文机关"),
            ("category", "类别"),
            ("disclosure", "公开"),
            ("is_draft", "送审稿"),
            ("body", "来源"),
            ("proposal_kind", "类型"),
            ("session", "会议"),
            ("proposal_number", "编号"),
            ("proposal_title", "标题"),
            ("proposers", "提出人"),
            ("lead_agency", "主办"),
            ("co_agencies", "协办"),
            ("lead_official", "领办"),
            ("supervising_official", "督办"),
            ("reply_date", "答复日期"),
            ("contact_name", "联系人"),
            ("contact_phones", "电话"),
            ("cc", "抄送"),
        ]
        for name, label in labels:
            v = getattr(meta, name)
            if v in (None, (), False):
                continue
            if isinstance(v, tuple):
                v = "、".join(v)
            lines.append(f"  {label} / {name}: {v}")
        lines.append(f"章节 / sections: {len(result.sections)}")
        for s in result.sections:
            lines.append(f"  {'  ' * (s.level - 1)}[{s.kind}] {s.number} {s.heading[:40]}")
        lines.append(f"承诺 / commitments: {len(result.commitments)}")
        for i, c in enumerate(result.commitments, 1):
            dl = c.deadline.isoformat() if c.deadline else "—"
            extra = f" ({c.recurring})" if c.recurring else ""
            score = f" {c.score:.2f}" if c.score is not None else ""
            lines.append(f"  {i:>2}.{score} [{c.strength}] {dl} {c.precision}{extra} {c.deadline_text or ''}")
            lines.append(f"      {c.text[:120]}")
            if c.targets:
                lines.append("      目标 / targets: " + "; ".join(f"{t.text} = {t.value} {t.unit}" for t in c.targets))
            if c.agencies:
                lines.append("      责任单位 / agencies: " + "、".join(c.agencies))
        if result.candidates:
            lines.append(f"候选 / candidates (below the threshold): {len(result.candidates)}")
            for c in result.candidates:
                dl = c.deadline.isoformat() if c.deadline else "—"
                lines.append(f"   ? {c.score:.2f} {dl} {c.text[:110]}")
        if result.declined:
            lines.append(f"不予采纳 / declined: {len(result.declined)}")
            for d in result.declined:
                lines.append(f"  - {d.text[:120]}")
        return "\n".join(lines)
