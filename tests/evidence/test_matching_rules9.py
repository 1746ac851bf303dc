"""Matcher rules kept in session 9 (routes, non-name conflicts, phases, descriptors), on invented sentences."""

from evidence import matching, ranker
from evidence.matching import Candidate

# --- a route is also named by the first characters of its ends ---------------------------------------------------


def test_a_route_is_named_by_its_ends():
    assert "青柳高速公路" in matching.route_aliases("青石至柳溪高速公路预计年底通车")
    assert "青柳高速公路" in matching.route_aliases("青(石)柳(溪)高速公路全线通车")
    assert matching.route_aliases("截至目前已完成投资") == []


def test_the_short_name_of_a_route_matches_and_is_no_conflict():
    cand = Candidate(1, "青石至柳溪高速公路预计2025年建成通车", "关于青石至柳溪高速公路的答复", group=1)
    [match] = matching.rank("昨日,青柳高速全线建成通车。", [cand], model=ranker.HAND)
    assert match.features["name"] > 0
    assert match.features["conflicts"] == []


# --- a "name" that is a place, a pronoun with one or a verb phrase names no other thing; a campus does -----------


def test_a_pronoun_with_a_place_is_no_conflicting_name():
    weight = matching._Rareness({}, {}, 1)
    assert not matching._names_a_thing("我省高速", weight)
    assert not matching._names_a_thing("实现县县通高速", weight)
    assert matching._names_a_thing("丙丁医院通州院区", weight)


# --- another extension or section of the same thing is another phase -------------------------------------------


def test_phases_by_class():
    assert matching.phases("青湖线北延(云栖线)全长20公里") == {"延": {"北"}}
    assert matching.phases("9号线东段二期、12号线(柳溪段)") == {"段": {"东", "柳溪"}}
    assert matching.phases("该路段已延期") == {}


def test_another_section_of_the_same_line_is_a_conflict_one_side_only_is_none():
    assert matching.phase_conflicts("9号线柳溪段预计年底通车", "9号线青石段今日开通") == ["段 青石≠柳溪"]
    assert matching.phase_conflicts("9号线北延预计年底通车", "9号线南延线今日开通") == ["延 南≠北"]
    assert matching.phase_conflicts("9号线预计年底通车", "9号线青石段今日开通") == []
    cand = Candidate(1, "云栖线北延预计年底开通", "关于云栖线北延的答复", group=1)
    [match] = matching.rank("云栖线南延今日开通初期运营。", [cand], model=ranker.HAND)
    assert "延 南≠北" in match.features["conflicts"]


# --- a design's description makes no name and no shared quantity -----------------------------------------------


def test_descriptions_are_blanked_for_names_and_quantities():
    text = "线路全长20公里,设计速度100公里/小时,双向四车道,路基宽26米,其中高架站9座、地下站4座"
    blank = matching.undescribed(text)
    assert len(blank) == len(text)
    assert "设计速度" not in blank and "车道" not in blank and "高架站" not in blank and "路基宽" not in blank
    assert "线路全长20公里" in blank
    assert not [q for q in matching.quantities(text) if q[1] == "公里/小时" or q[0] == 100]
    assert "高架" not in matching.names(text)


def test_two_lines_sharing_only_a_description_are_not_named_alike():
    cand = Candidate(1, "青湖线预计年底开通,全线设高架站6座", "关于青湖线的答复", group=1)
    [match] = matching.rank("柳溪线今日开通,全线设高架站6座。", [cand], model=ranker.HAND)
    # Neither a name nor a quantity: the shipped scorer's gate ("named") cannot pass on the description alone.
    assert match.features["name"] == 0 and match.features["quantities"] == 0
    assert not match.features["named"]
