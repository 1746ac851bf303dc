"""``python manage.py purge_orphan_files [--dry-run]``: remove uploaded files that no row refers to."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand

from responses.files import orphan_files


class Command(BaseCommand):
    help = "删除 MEDIA_ROOT 下无任何记录引用的上传文件（文档、佐证材料）/ Remove uploaded files no row refers to."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list the files without removing them")

    def handle(self, *args, **options):
        media = os.path.abspath(settings.MEDIA_ROOT)
        dry = options["dry_run"]
        orphans = orphan_files()
        freed = 0
        for name in orphans:
            path = os.path.join(media, name)
            try:
                size = os.path.getsize(path)
                if not dry:
                    os.remove(path)
            except OSError as e:
                self.stderr.write(f"{name}: {e.strerror}")
                continue
            freed += size
            self.stdout.write(f"{'would remove' if dry else 'removed'} {name} ({size} bytes)")
        if not dry:
            _remove_empty_folders(media, {name.split("/", 1)[0] for name in orphans})
        verb = "将删除 / would remove" if dry else "已删除 / removed"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(orphans)} 个文件 / files, {freed} 字节 / bytes"))


def _remove_empty_folders(media: str, roots: set[str]) -> None:
    for root in roots:
        for folder, _dirs, _files in os.walk(os.path.join(media, root), topdown=False):
            if folder != os.path.join(media, root) and not os.listdir(folder):
                os.rmdir(folder)
