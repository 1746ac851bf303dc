"""Session 17 (branch s17ev): a shared name that is only a number with a generic head counts as the project's name only
where the commitment and the later document share its place (``LUOSHI_EVIDENCE_NUMBERED=place``; invented sentences)."""

import pytest

from evidence import matching, ranker
from evidence.matching import Candidate


@pytest.mark.parametrize(
    "name",
    ["号线首期", "地铁4号线", "4号线", "医院二期", "二期", "三标段", "3号楼", "第二水厂", "号线西北延", "一号工程"],
)
def test_a_number_with_a_generic_head_is_numbered_only(name):
    assert matching.numbered_only(name)


@pytest.mark.parametrize("name", ["广吉线二期", "宜遂大", "长沙市第四医院", "苏大附一院", "三峡", "昆明", "二期塘子"])
def test_a_name_with_its_own_characters_is_not_numbered_only(name):
    assert not matching.numbered_only(name)


def test_places_are_read_as_two_characters_of_the_place_or_owner():
    assert matching.places("昆明地铁4号线将于2020年通车") == {"昆明"}
    assert matching.places("南宁市轨道交通4号线") == {"南宁"}
    assert matching.places("云南省昆明市呈贡区") == {"昆明", "呈贡"}  # a province is no place of its own
    assert matching.places("郑州市第二水厂") == {"郑州"}
    assert matching.places("昆明轨道交通集团") == {"昆明"}
    assert matching.places("东湖高新区") == {"东湖"} and matching.places("黄州区") == {"黄州"}


def test_a_pronoun_or_a_kind_is_no_place():
    assert matching.places("推进全市地铁建设") == set()
    assert matching.places("我市地铁5号线") == set()
    assert matching.places("医院二期项目") == set()


CAND = Candidate(3, "医院二期项目预计2024年投用", "关于青州市人民医院二期项目的答复", group=3)
OTHER_CITY = "桐城市人民医院二期项目今日投用。"
SAME_CITY = "医院二期项目今日投用,青州市民就医更方便,医院位于青州市东城区。"


def test_without_the_switch_a_numbered_name_counts_wherever_it_is(monkeypatch):
    monkeypatch.delenv(matching.NUMBERED_SWITCH, raising=False)
    [match] = matching.rank(OTHER_CITY, [CAND], model=ranker.HAND)
    assert match.features["name"] > 0 and match.features["named"] is True


def test_with_the_switch_a_numbered_name_of_another_place_is_no_name(monkeypatch):
    monkeypatch.setenv(matching.NUMBERED_SWITCH, "place")
    [match] = matching.rank(OTHER_CITY, [CAND], model=ranker.HAND)
    assert match.features["name"] == 0 and match.features["named"] is False
    assert "医院二期" not in match.shared


def test_with_the_switch_a_numbered_name_of_the_same_place_still_counts(monkeypatch):
    monkeypatch.setenv(matching.NUMBERED_SWITCH, "place")
    [match] = matching.rank(SAME_CITY, [CAND], model=ranker.HAND)
    assert match.features["name"] > 0 and match.features["named"] is True


def test_the_switch_is_read_at_call_time(monkeypatch):
    monkeypatch.setenv(matching.NUMBERED_SWITCH, "place")
    assert matching.rank(OTHER_CITY, [CAND], model=ranker.HAND)[0].features["name"] == 0
    monkeypatch.setenv(matching.NUMBERED_SWITCH, "")
    assert matching.rank(OTHER_CITY, [CAND], model=ranker.HAND)[0].features["name"] > 0


LINE = Candidate(4, "预计2020年底开通试运营", "关于青州地铁9号线进展的答复 青州地铁9号线", group=4)
LINE_ELSEWHERE = "桐城地铁9号线今日开通试运营。"


def test_place_rare_also_drops_a_numbered_rare_string_of_another_place(monkeypatch):
    monkeypatch.setenv(matching.NUMBERED_SWITCH, "place")
    [match] = matching.rank(LINE_ELSEWHERE, [LINE], model=ranker.HAND)
    assert any("9号线" in piece for piece in match.shared)  # "place" reads names only
    monkeypatch.setenv(matching.NUMBERED_SWITCH, "place_rare")
    [match] = matching.rank(LINE_ELSEWHERE, [LINE], model=ranker.HAND)
    assert not any("9号线" in piece for piece in match.shared)
    [match] = matching.rank("青州地铁9号线今日开通试运营。", [LINE], model=ranker.HAND)
    assert any("9号线" in piece for piece in match.shared)


def test_an_unknown_switch_value_is_off(monkeypatch):
    monkeypatch.setenv(matching.NUMBERED_SWITCH, "yes")
    assert matching.numbered_switch() == ""
    assert matching.rank(OTHER_CITY, [CAND], model=ranker.HAND)[0].features["name"] > 0
