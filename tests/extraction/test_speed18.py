"""Session 18's speed round (s18speed): the benchmarks find the shared folder from a git worktree too."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import paths


def _layout(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A main checkout beside ``shared/``, and a worktree of it in another folder (as ``git worktree add`` makes)."""
    main, shared, wt = tmp_path / "main", tmp_path / "shared", tmp_path / "wt" / "branch"
    (shared / "seeds").mkdir(parents=True)
    (main / ".git" / "worktrees" / "branch").mkdir(parents=True)
    (main / ".git" / "worktrees" / "branch" / "commondir").write_text("../..\n", encoding="utf-8")
    wt.mkdir(parents=True)
    (wt / ".git").write_text(f"gitdir: {main / '.git' / 'worktrees' / 'branch'}\n", encoding="utf-8")
    return main, shared, wt


def test_the_bench_finds_the_shared_folder_beside_the_main_checkout_of_a_worktree(tmp_path, monkeypatch):
    monkeypatch.delenv("LUOSHI_SHARED", raising=False)
    main, shared, wt = _layout(tmp_path)
    assert paths.shared_dir(main) == shared.resolve()
    assert paths.shared_dir(wt) == shared.resolve()  # ../shared of the worktree does not exist


def test_the_environment_variable_comes_first(tmp_path, monkeypatch):
    _, _, wt = _layout(tmp_path)
    other = tmp_path / "elsewhere"
    other.mkdir()
    monkeypatch.setenv("LUOSHI_SHARED", str(other))
    assert paths.shared_dir(wt) == other.resolve()


@pytest.mark.parametrize("git", [None, "not a gitdir line\n"])
def test_without_a_worktree_it_is_the_folder_beside_the_repository(tmp_path, monkeypatch, git):
    monkeypatch.delenv("LUOSHI_SHARED", raising=False)
    repo = tmp_path / "repo"
    repo.mkdir()
    if git is not None:
        (repo / ".git").write_text(git, encoding="utf-8")
    assert paths.shared_dir(repo) == (tmp_path / "shared").resolve()
