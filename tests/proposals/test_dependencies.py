"""Dependencies point proposals <- responses <- commitments (docs/architecture.md): no import, at module level or
inside a function, points back up that order."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ORDER = ["proposals", "responses", "commitments", "followup"]


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


@pytest.mark.parametrize("app", ORDER[:-1])
def test_no_import_points_back_up_the_dependency_order(app):
    later = ORDER[ORDER.index(app) + 1 :]
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, module in _imports(path):
            if module.split(".")[0] in later:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert found == []


def test_the_scan_sees_a_backward_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("def f():\n    from commitments.models import Commitment\n", encoding="utf-8")
    assert list(_imports(sample)) == [(2, "commitments.models")]
