"""List-level decisions (lists.py): which items are siblings, and how their scores are blended."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from responses.extraction import lists, ranker
from responses.extraction.cleaning import clean
from responses.extraction.sections import find_sections
from responses.extraction.structure import read_structure

REF = dt.date(2025, 3, 1)
TEXT = """2025年民生实事项目

今年将重点办好以下民生实事：
1.新建改建农村公路120公里，年底前完工。
2.新增城镇就业岗位5000个，分两批落实。
（1）其中高校毕业生2000个。
（2）其中退役军人500个。
3.改造老旧小区30个，惠及居民一万户。

二、其他工作
一是加强组织领导。
"""


def _read(text: str):
    work = clean(text)
    structure = read_structure(work, find_sections(work), REF)
    return work, structure


def _item(work, structure, prefix):
    return next(u for u in structure.units if work[u.start : u.end].startswith(prefix))


def test_marker_families_fold_numbers():
    work, st = _read(TEXT)
    assert lists.family(work, _item(work, st, "1.")) == lists.family(work, _item(work, st, "3.")) == "D."
    assert lists.family(work, _item(work, st, "（1）")) == "（D）"
    assert lists.family(work, _item(work, st, "一是")) == "C是"


def test_siblings_share_a_list_and_a_nested_list_is_its_own():
    work, st = _read(TEXT)
    ids = lists.list_ids(work, st.units)
    one, two, three = (_item(work, st, p).index for p in ("1.", "2.", "3."))
    sub1, sub2 = (_item(work, st, p).index for p in ("（1）", "（2）"))
    assert ids[one] == ids[two] == ids[three]  # the nested run does not break the outer list
    assert ids[sub1] == ids[sub2] != ids[one]
    assert ids[_item(work, st, "一是").index] not in {ids[one], ids[sub1]}  # another heading, another list


def test_blend_moves_items_towards_their_list_and_leaves_the_rest():
    work, st = _read(TEXT)
    cands = ranker.prepare(TEXT, reference_date=REF).candidates
    in_list = {_item(work, st, p).index for p in ("1.", "2.", "3.")}
    assert sum(c.clause.unit.index in in_list for c in cands) == 3
    scores = [0.9 if work[c.start : c.end].startswith("新建") else 0.3 for c in cands]
    out = lists.blend(work, st.units, cands, scores, 0.5, "mean")
    mean = (0.9 + 0.3 + 0.3) / 3
    for c, before, after in zip(cands, scores, out, strict=True):
        if c.clause.unit.index in in_list:
            assert after == pytest.approx(0.5 * before + 0.5 * mean)
        else:
            assert after == before
    assert lists.blend(work, st.units, cands, scores, 0.0, "mean") == scores
    idx = [i for i, c in enumerate(cands) if c.clause.unit.index in in_list]
    spread = list(scores)
    for i, v in zip(idx, (0.9, 0.8, 0.1), strict=True):
        spread[i] = v
    top = lists.blend(work, st.units, cands, spread, 1.0, "top3")  # weight 1: every item takes the list's score
    assert [top[i] for i in idx] == pytest.approx([0.6, 0.6, 0.6])


def test_the_model_file_keeps_the_list_weight_and_an_older_file_reads_as_none(tmp_path):
    m = ranker.Model({"新建": 1.0}, {}, 0.0, 0.5, list_weight=0.5, list_aggregate="top3")
    path = tmp_path / "m.json"
    ranker.save_model(m, path)
    back = ranker.read_model(path)
    assert (back.list_weight, back.list_aggregate) == (0.5, "top3")
    doc = json.loads(path.read_text(encoding="utf-8"))
    del doc["lists"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert ranker.read_model(path).list_weight == 0.0
    doc["lists"] = {"weight": 0.5, "aggregate": "median"}
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValueError):
        ranker.read_model(path)


def test_the_shipped_model_decides_lists_together():
    shipped = ranker.read_model(ranker.SHIPPED)
    assert (shipped.list_weight, shipped.list_aggregate) == (ranker.LIST_WEIGHT, ranker.LIST_AGGREGATE)
    assert shipped.list_weight > 0


BULLETS = """金凤区2025年民生实事

▶新建改建城市道路5条，打通断头路，改善群众出行条件。
▶改造老旧小区12个，完善水电气暖等配套设施，惠及居民3000户。
▶新增公办幼儿园学位900个，缓解入园难问题，方便群众就近入园。
● 开展免费健康体检两万人次，覆盖全区65岁以上老年人群。
"""


def test_a_bullet_run_is_one_list_and_another_symbol_another():
    work, st = _read(BULLETS)
    items = [u for u in st.units if work[u.start : u.end].startswith(("▶", "●"))]
    assert [u.kind for u in items] == ["list_item"] * 4
    ids = lists.list_ids(work, st.units)
    assert ids[items[0].index] == ids[items[1].index] == ids[items[2].index] != ids[items[3].index]
    assert lists.family(work, items[0]) == "▶" and lists.family(work, items[3]) == "●"
    quotes = [work[c.start : c.end] for c in ranker.prepare(BULLETS, reference_date=REF).candidates]
    assert not any(q.startswith(("▶", "●")) for q in quotes)  # the symbol is not part of the quote
