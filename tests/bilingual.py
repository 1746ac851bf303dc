"""Find “中文 / English” literals left in modules whose messages must be one language (session 16–17 tests)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

BILINGUAL = re.compile(r"[\u4e00-\u9fff][^\"\n]*\s?/ [A-Z]")


def bilingual_lines(
    root: Path, paths: Iterable[Path | str], *, allowed: Callable[[str], bool] = lambda line: False
) -> list[str]:
    """`path:line` of every line under `root` that holds a bilingual literal and is neither a comment nor allowed."""
    found = []
    for path in paths:
        path = root / path
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if BILINGUAL.search(line) and not line.lstrip().startswith("#") and not allowed(line):
                found.append(f"{path.relative_to(root)}:{n}")
    return found
