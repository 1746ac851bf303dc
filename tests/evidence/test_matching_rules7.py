"""General matcher rules of session 7 (retrieval), each on small invented sentences (no corpus text)."""

from evidence import matching, ranker
from evidence.matching import Candidate

# --- pinyin printed after characters is dropped before n-grams and names ---------------------------------------


def test_pinyin_after_a_character_is_dropped():
    assert matching.unannotated("青枫水厂(chǎng)将于10月通水(shuǐ),设(shè)站3座") == "青枫水厂将于10月通水,设站3座"
    # Not pinyin: no tone mark, or not after a Chinese character.
    assert matching.unannotated("学(xue) 代号(AB) 年份(2024) x(chǎng)") == "学(xue) 代号(AB) 年份(2024) x(chǎng)"


def test_an_annotated_page_matches_as_the_clean_one_and_shows_its_own_sentence():
    clause = Candidate(id=1, text="青枫水厂预计10月通水", context="关于青枫水厂建设的答复", group=1)
    other = Candidate(id=2, text="云栖路小学预计2025年秋季开学", context="关于云栖路小学的答复", group=2)
    clean = "本报讯 昨日,青枫水厂正式通水,日供水10万吨。"
    annotated = "本报讯 昨日,青枫水厂(chǎng)正式通水(shuǐ),日供水10万吨。"
    a = matching.rank(clean, [clause, other], model=ranker.HAND)[0]
    b = matching.rank(annotated, [clause, other], model=ranker.HAND)[0]
    assert a.candidate_id == b.candidate_id == 1
    assert b.features["cosine"] == a.features["cosine"] and b.features["name"] == a.features["name"] > 0
    # The passage shown is the page's own sentence, its span valid in the page.
    assert "(chǎng)" in b.passage.text
    assert annotated[b.passage.start : b.passage.end] == b.passage.text


# --- a date promises a stage as a future word does; 开通 and 通水 put a thing in use -----------------------------


def test_a_dated_clause_promises_the_stage_after_its_date():
    assert matching._promised_stage("3 青枫线一期:全长30公里,由甲站至乙站,2017年底开通") == "use"
    assert matching._promised_stage("12 青枫线二期:起于乙站,至丙站。2016年开工") == "start"
    assert matching._promised_stage("青枫水厂2019年7月建成通水") == "use"
    # Neither a future word nor a date: no stage promised.
    assert matching._promised_stage("青枫线一期签约仪式暨开工活动举行") is None


def test_a_report_of_the_dated_stage_counts_as_the_same_stage():
    dated = Candidate(id=1, text="青枫隧道全长2公里,2017年底开通", context="青枫隧道", group=1)
    match = matching.rank("今天上午,青枫隧道正式开通,市民出行更方便。", [dated], model=ranker.HAND)[0]
    assert match.features["stage"] is True
    # The same clause, reported as started, is not the stage it promised.
    started = matching.rank("今天上午,青枫隧道正式动工,工期三年。", [dated], model=ranker.HAND)[0]
    assert started.features["stage"] is False
