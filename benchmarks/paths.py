"""Where the shared material is (``seeds/``, ``eval/``): one answer for every benchmark.

``shared_dir()``: the ``LUOSHI_SHARED`` environment variable when set (the tests read the same variable), else
``../shared`` beside the repository, else — in a git worktree (``git worktree add``), where ``..`` is the folder of
the worktrees — ``../shared`` beside the main checkout, found from the worktree's ``.git`` file (its ``gitdir`` and
that folder's ``commondir``); ``../shared`` beside the repository when none of them exists (the caller reports it).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _main_checkout(root: Path) -> Path | None:
    """The main checkout of the worktree at ``root`` (None when ``root`` is not a worktree)."""
    git = root / ".git"
    if not git.is_file():
        return None
    first = git.read_text(encoding="utf-8").strip()
    if not first.startswith("gitdir:"):
        return None
    gitdir = (root / first.split(":", 1)[1].strip()).resolve()
    common = gitdir / "commondir"
    if not common.is_file():
        return None
    return (gitdir / common.read_text(encoding="utf-8").strip()).resolve().parent


def shared_dir(root: Path = ROOT) -> Path:
    """See module docstring."""
    env = os.environ.get("LUOSHI_SHARED")
    if env:
        return Path(env).resolve()
    beside = (root / ".." / "shared").resolve()
    if beside.is_dir():
        return beside
    main = _main_checkout(root)
    if main is not None and (main.parent / "shared").is_dir():
        return (main.parent / "shared").resolve()
    return beside


SHARED = shared_dir()
