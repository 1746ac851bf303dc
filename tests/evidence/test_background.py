"""The matcher's word-rareness background is a fixed, versioned file (evidence/background.py), not corpus/."""

import builtins
import gzip
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from evidence import background, matching, ranker
from evidence.matching import Candidate

ROOT = Path(__file__).resolve().parents[2]

# Invented texts: a later news item and two commitments, one about its bridge.
LATER = "本报讯 昨日，全长1280米的青枫江特大桥建成通车，市民出行更加便利。\n据悉，大桥历时三年建成。"
CANDIDATES = [
    Candidate(id=1, text="青枫江特大桥计划于2024年底建成通车", context="关于加快青枫江特大桥建设的答复", group=1),
    Candidate(id=2, text="云栖路小学预计2025年秋季开学招生", context="关于云栖路小学建设的答复", group=2),
]


def _features() -> list[tuple[int, dict]]:
    """The features of the invented pair, with every cached background forgotten (read again as on a new process)."""
    background.current.cache_clear()
    for name in ("_background", "_background_df", "_background_rareness"):
        getattr(getattr(matching, name, None), "cache_clear", lambda: None)()
    return [(m.candidate_id, m.features) for m in matching.rank(LATER, CANDIDATES, model=ranker.HAND)]


@pytest.fixture
def _fresh_background():
    background.current.cache_clear()
    yield
    background.current.cache_clear()


def test_the_matcher_reads_the_shipped_file_and_never_corpus(monkeypatch, _fresh_background):
    opened: list[str] = []
    real_open, real_read_bytes, real_read_text = builtins.open, Path.read_bytes, Path.read_text

    def spy_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def spy_read_bytes(self):
        opened.append(str(self))
        return real_read_bytes(self)

    def spy_read_text(self, *args, **kwargs):
        opened.append(str(self))
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(Path, "read_bytes", spy_read_bytes)
    monkeypatch.setattr(Path, "read_text", spy_read_text)
    ranked = matching.rank(LATER, CANDIDATES, model=ranker.HAND)
    assert ranked[0].candidate_id == 1
    assert str(background.SHIPPED) in opened
    assert not [p for p in opened if "/corpus/" in p]


def test_adding_a_corpus_folder_changes_no_feature(_fresh_background):
    before = _features()
    folder = ROOT / "corpus" / "zz_test_background_added"
    assert not folder.exists()
    try:
        folder.mkdir()
        # A new set that names the bridge in every text: counted, it would make 青枫江 common and move the features.
        for k in range(40):
            (folder / f"t{k:02}.txt").write_text(f"青枫江特大桥建成通车。第{k}期简报。", encoding="utf-8")
        after = _features()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert after == before


def test_build_counts_the_listed_texts_only(tmp_path):
    (tmp_path / "a.txt").write_text("青枫江特大桥建成", encoding="utf-8")
    (tmp_path / "b.txt").write_text("青枫江湿地公园", encoding="utf-8")
    (tmp_path / "c.txt").write_text("青枫江青枫江", encoding="utf-8")  # not on the list
    payload = background.build(["a.txt", "b.txt"], root=tmp_path)
    assert payload["n"] == 2
    assert payload["df"]["青枫"] == 2 and payload["df"]["大桥"] == 1 and "湿地公" in payload["df"]
    assert [t["path"] for t in payload["texts"]] == ["a.txt", "b.txt"]
    out = tmp_path / "bg.json.gz"
    background.write(payload, out)
    read = background.read(out)
    assert (read.df, read.n, read.sha256) == (payload["df"], 2, payload["sha256"])
    # Written twice: the same bytes (no timestamp in the gzip header, sorted keys).
    first = out.read_bytes()
    background.write(background.build(["a.txt", "b.txt"], root=tmp_path), out)
    assert out.read_bytes() == first
    # Another text on the list: another version.
    assert background.build(["a.txt", "c.txt"], root=tmp_path)["sha256"] != payload["sha256"]


def test_a_damaged_or_foreign_file_is_refused(tmp_path):
    payload = background.build(["a.txt"], root=_one_text(tmp_path))
    payload["df"]["青枫"] += 1  # counts edited by hand: the digest no longer matches
    bad = tmp_path / "edited.json.gz"
    background.write(payload, bad)
    with pytest.raises(ValueError, match="sha256"):
        background.read(bad)
    foreign = tmp_path / "foreign.json.gz"
    foreign.write_bytes(gzip.compress(json.dumps({"kind": "something else"}).encode()))
    with pytest.raises(ValueError, match="not an evidence background"):
        background.read(foreign)
    plain = tmp_path / "plain.json.gz"
    plain.write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="not a background file"):
        background.read(plain)


def test_a_missing_background_is_logged_and_empty(monkeypatch, tmp_path, caplog, _fresh_background):
    monkeypatch.setattr(background, "SHIPPED", tmp_path / "missing.json.gz")
    assert background.current() == background.EMPTY
    assert "unusable" in caplog.text
    assert matching.rank(LATER, CANDIDATES, model=ranker.HAND)[0].candidate_id == 1


def test_the_command_writes_and_checks(tmp_path):
    root = _one_text(tmp_path)
    listed = tmp_path / "list.txt"
    listed.write_text(f"# a comment\n{root / 'a.txt'}\n\n", encoding="utf-8")
    out = tmp_path / "bg.json.gz"
    call_command("evidence_background", "--list", str(listed), "--out", str(out), stdout=open("/dev/null", "w"))
    assert background.read(out).n == 1
    call_command(
        "evidence_background", "--list", str(listed), "--out", str(out), "--check", stdout=open("/dev/null", "w")
    )
    (root / "a.txt").write_text("另一段文字", encoding="utf-8")
    with pytest.raises(CommandError, match="regenerate"):
        call_command("evidence_background", "--list", str(listed), "--out", str(out), "--check")


def test_the_shipped_background_is_what_its_list_builds():
    shipped = background.read(background.SHIPPED)
    assert shipped.n == len(background.read_list()) > 100
    assert background.build(background.read_list())["sha256"] == shipped.sha256


def test_the_shipped_scorer_was_trained_on_the_shipped_background():
    model = ranker.read_model(ranker.SHIPPED)
    assert model.meta["background"] == background.read(background.SHIPPED).sha256


def _one_text(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text("青枫江特大桥建成", encoding="utf-8")
    return tmp_path
