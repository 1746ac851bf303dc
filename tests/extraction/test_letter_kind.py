"""benchmarks.letter_kind: the letter decisions against the gold kind, counted both ways."""

from __future__ import annotations

from pathlib import Path

from benchmarks.letter_kind import confusion, read_kinds

LETTER = (
    "关于对政协第十届委员会第二次会议第14号提案的答复\n崔银雷委员：\n"
    "您提出的《关于加快建设乡村道路维修及维护的提案》收悉。现答复如下：\n下一步，我局将加快建设。\n"
)
NOTICE = (
    "某府发〔2026〕3号\n某区人民政府关于印发2026年为民办实事项目的通知\n各镇（街道）、区政府各部门：\n"
    "现将项目印发给你们，请认真组织实施。\n一、新建幼儿园3所。\n"
)


def test_read_kinds_counts_each_decision_against_the_gold_kind(tmp_path: Path):
    (tmp_path / "a.txt").write_text(LETTER, encoding="utf-8")
    (tmp_path / "b.txt").write_text(NOTICE, encoding="utf-8")
    gold = [{"file": "a.txt", "kind": "reply"}, {"file": "b.txt", "kind": "other"}]
    rows = read_kinds({"s": (tmp_path, gold)})
    assert [(r["file"], r["is_letter"], r["is_reply"]) for r in rows] == [("a.txt", True, True), ("b.txt", False, True)]
    assert "doc_number" in rows[1]["fields"]
    # a numbered notice is not a letter (no period lost) but is read as a reply (the doc:reply signal)
    assert confusion(rows, "is_letter") == {"reply→letter": 1, "other→not": 1}
    assert confusion(rows, "is_reply") == {"reply→letter": 1, "other→letter": 1, "wrong:other": 1}
