"""Session 18's speed round (s18speed): the benchmarks find the shared folder from a git worktree too; a few candidates
are scored without numpy (``ranker._score_plain``) and the batch orders its grams with two plain sorts, to the same
floats; ``metadata._fw`` skips a text without full-width characters, to the same strings."""

from __future__ import annotations

import math
import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from benchmarks import paths
from responses.extraction import ranker


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


def _cand(text: str, start: int, end: int, heading: str, signals: tuple[str, ...], section_kind: str = "other"):
    unit = SimpleNamespace(heading=heading, section_kind=section_kind)
    return SimpleNamespace(start=start, end=end, clause=SimpleNamespace(unit=unit), signals=signals)


def test_the_plain_scores_are_the_batch_scores():
    """Random weights of many magnitudes (a different order of the additions shows in the last bits) for own, opening
    and heading grams; short texts and long ones (cut to their ends), whitespace, "^" inside the text, a character
    outside the BMP, empty and repeated headings, signals with and without their "P:" copies. Also the check of the
    batch's two plain sorts (session 18) against the per-candidate reading."""
    rng = random.Random(18)
    chars = "一二三四五六七八九十年月将推进建设^𠀀a"
    n = 0
    for _ in range(300):
        grams: dict[str, float] = {}
        for _ in range(rng.randint(1, 150)):
            g = "".join(rng.choice(chars) for _ in range(2))
            key = rng.choice([g, "h:" + g, "^" + g, "^" + g[0], "^"])
            grams[key] = rng.uniform(-1, 1) * 10 ** rng.randint(-8, 3)
        signals = {"s": 0.3, "t": -1.7, "P:s": 0.01 * rng.random(), "scope:heading": 0.2}
        table = ranker._GramTable.build(grams)
        assert table is not None
        copies = ranker.copy_weights(signals)
        text = "".join(rng.choice(chars + "，。 \n") for _ in range(rng.randint(1, 160)))
        headings = ["", *("".join(rng.choice(chars) for _ in range(rng.randint(1, 30))) for _ in range(3))]
        cands = []
        for _ in range(rng.randint(1, 40)):  # (the batch's sort keys are rank × n + candidate)
            a = rng.randint(0, len(text) - 1)
            sig = tuple(rng.sample(["s", "t", "u", "scope:heading", "scope:past"], rng.randint(0, 4)))
            kind = rng.choice(["other", "programme"])
            cands.append(_cand(text, a, rng.randint(a + 1, len(text)), rng.choice(headings), sig, kind))
        b = rng.uniform(-2, 2)
        want = ranker._score_batch(table, signals, b, text, cands, copies)
        assert ranker._score_plain(grams, signals, b, text, cands, copies) == want
        n += len(cands)
    assert n > 5000


def test_the_plain_sum_runs_in_code_order():
    """The test above can fail: the own grams' weights added in another order than their codes' give another float
    (三 U+4E09 comes before 二 U+4E8C; the text's order would be 一二, 二三, 三四)."""
    grams = {"一二": 1e16, "二三": 1.0, "三四": -1e16}
    c = _cand("一二三四", 0, 4, "", ())
    in_code_order = (1e16 + -1e16) + 1.0
    in_text_order = (1e16 + 1.0) + -1e16
    assert in_code_order != in_text_order
    want = ranker._sigmoid(in_code_order / math.sqrt(3))
    assert ranker._score_plain(grams, {}, 0.0, "一二三四", [c], {}) == [want]
    table = ranker._GramTable.build(grams)
    assert ranker._score_batch(table, {}, 0.0, "一二三四", [c], {}) == [want]


def test_a_few_candidates_take_the_plain_path_and_more_the_batch(monkeypatch):
    model = ranker.Model(grams={"一二": 0.5}, signals={}, intercept=0.0, threshold=0.5)
    calls: list[str] = []
    monkeypatch.setattr(ranker, "_score_plain", lambda *a: calls.append("plain") or [0.0] * len(a[4]))
    monkeypatch.setattr(ranker, "_score_batch", lambda *a: calls.append("batch") or [0.0] * len(a[4]))
    for n in (1, ranker.PLAIN_MAX, ranker.PLAIN_MAX + 1):
        model.score("一二三", [_cand("一二三", 0, 3, "", ())] * n)
    assert calls == ["plain", "plain", "batch"]


def _old_fw(s: str) -> str:
    return s.translate(str.maketrans("０１２３４５６７８９ＡＢＣＤ", "0123456789ABCD"))


def test_full_width_digits_are_mapped_as_before():
    """``metadata._fw`` skips ``translate`` on a text without a full-width digit or A–D: the same strings, over every
    corpus text and random text of those characters and their neighbours (Ｅ, ／, 0-9, ｚ)."""
    from responses.extraction import metadata

    from .conftest import ROOT

    for p in sorted((ROOT / "corpus").rglob("*.txt")):
        text = p.read_text(encoding="utf-8", errors="replace")
        assert metadata._fw(text) == _old_fw(text)
    mapped = 0
    rng = random.Random(18)
    chars = "０１２３４５６７８９ＡＢＣＤＥ／0９ｚ年月日号第 "
    for _ in range(2000):
        s = "".join(rng.choice(chars) for _ in range(rng.randint(0, 12)))
        assert metadata._fw(s) == _old_fw(s)
        mapped += _old_fw(s) != s
    assert mapped > 1000


def test_the_header_patterns_are_found_from_their_first_characters_as_by_the_patterns():
    """``_HEADER_STAMP`` and ``_HEADER_DATE`` through ``scan.Prefiltered``: the same first match as the pattern's
    ``search`` from every start of every corpus text's and seed's header (raw and cleaned, the 600 characters the
    code searches), and of random headers made of their characters."""
    from responses.extraction import metadata
    from responses.extraction.cleaning import clean

    from .conftest import ROOT, seed_paths

    def same(text: str, step: int) -> int:
        found = 0
        for rx, pf in (
            (metadata.HEADER_STAMP_RE, metadata._HEADER_STAMP),
            (metadata.HEADER_DATE_RE, metadata._HEADER_DATE),
        ):
            for pos in range(0, min(len(text), 600) + 1, step):
                a, b = rx.search(text, pos, 600), pf.search(text, pos, 600)
                assert (a.span(), a.groupdict()) == (b.span(), b.groupdict()) if a else b is None
                found += a is not None
        return found

    found = 0
    for p in sorted((ROOT / "corpus").rglob("*.txt")) + seed_paths():
        raw = p.read_text(encoding="utf-8", errors="replace")
        for text in (raw, clean(raw) if raw.strip() else raw):
            found += same(text, 7)
    assert found > 1000  # headers hold stamps and dates
    rng = random.Random(18)
    chars = [
        "2024",
        "-",
        "05",
        ".",
        "/",
        " ",
        "\u3000",
        "\t",
        "\n",
        "10:16",
        "发布",
        "时间",
        "日期",
        "：",
        "来源",
        "年",
        "月",
        "日",
        "新闻",
        "١٢٣٤",
    ]
    for _ in range(3000):
        same("".join(rng.choice(chars) for _ in range(rng.randint(0, 20))), 1)
