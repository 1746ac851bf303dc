"""The second speed pass's prefilters (issue 10) keep exactly what the plain tests find.

Each prefilter is a necessary condition written next to what it guards; these tests compare the
guarded and the plain forms over every document of the corpus and the seeds, and over random text
made of the characters the patterns name (hypothesis), so that an edit of a pattern that breaks the
condition fails here instead of silently losing matches.
"""

from __future__ import annotations

import random
import re
from functools import cache
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from responses.extraction import cleaning, dates, ranker, targets
from responses.extraction.candidates import _CHROME_WORDS, CHROME_NEEDS, is_chrome
from responses.extraction.cleaning import clean
from responses.extraction.commitments import sentence_start
from responses.extraction.metadata import _YEAR_IN_TEXT, DOC_NO_RE
from responses.extraction.structure import _TABLE, _is_table_row
from responses.extraction.targets import TARGET_RE, TARGET_SCAN

from .conftest import ROOT, seed_paths

PLAIN_TIME_RE = re.compile(dates._TIME_PATTERN.replace(dates.ANCHOR_GUARD, ""), re.VERBOSE)


@cache
def _texts() -> tuple[str, ...]:
    paths = sorted((ROOT / "corpus").glob("*/*.txt")) + seed_paths()
    raw = [p.read_text(encoding="utf-8") for p in paths]
    return tuple(raw + [clean(t) for t in raw])


def _spans(it) -> list[tuple]:
    return [(m.span(), m.groupdict()) for m in it]


def test_the_anchor_guard_is_in_the_time_pattern():
    assert dates.ANCHOR_GUARD in dates.TIME_RE.pattern and PLAIN_TIME_RE.pattern != dates.TIME_RE.pattern


def test_time_expressions_are_those_of_the_plain_pattern_in_the_corpus():
    found = 0
    for text in _texts():
        want = _spans(PLAIN_TIME_RE.finditer(text))
        assert _spans(dates.TIME_RE.finditer(text)) == want
        found += len(want)
    assert found > 1000


# One expression of each kind the pattern reads, beside those the corpus holds.
_MADE_UP = [
    "三个星期内",
    "两周以内",
    "10个自然日内",
    "15 个工作日之内",
    "春节前",
    "2026年春节前",
    "元旦之前",
    "国庆节以前",
    "中秋节前",
    "本月底前",
    "下个月上旬",
    "每季度",
    "每 个 月",
    "一月一调度",
    "一季一通报",
    "第三季度末",
    "第 4 季度",
    "截止到2025年",
    "截至 2024 年底",
    "“十四五”期间",
    "展望“十五五”",
    "十三五末",
    "2025—2027年",
    "2025 年至 2026 年",
    "上半年",
    "下半年末",
    "今年年底前",
    "本年度",
    "明年一季度",
    "后年",
    "全年",
    "年内",
    "年中",
    "二〇二五年五月",
    "２０２６年３月",
    "12月中旬",
    "十一月底",
    "3月份前",
    "到2030年",
]


def _time_cases(n: int, seed: int = 0) -> list[str]:
    """Real and made-up expressions, joined and mutated (a character inserted, dropped or replaced)."""
    seeds = sorted({m.group() for t in _texts() for m in PLAIN_TIME_RE.finditer(t)} | set(_MADE_UP))
    runs = set(re.findall(r"[^\x00-\x7f]+", dates._TIME_PATTERN))
    tokens = sorted(
        runs | {c for r in runs for c in r} | {"2025", "12", "3", "２０２６", " ", "\u3000", "-", "，", "的"}
    )
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        chars = list("".join(rnd.choice(seeds) if rnd.random() < 0.6 else rnd.choice(tokens) for _ in range(4)))
        for _ in range(rnd.randint(0, 3)):
            i = rnd.randrange(len(chars))
            op = rnd.random()
            if op < 0.4:
                chars[i:i] = rnd.choice(tokens)
            elif op < 0.7:
                del chars[i]
            else:
                chars[i] = rnd.choice(tokens)
        out.append("".join(chars))
    return out


def test_time_expressions_are_those_of_the_plain_pattern_in_mutated_expressions():
    for text in _time_cases(20000):
        assert _spans(dates.TIME_RE.finditer(text)) == _spans(PLAIN_TIME_RE.finditer(text)), text


def _lines() -> list[str]:
    return [piece for text in _texts() for line in text.split("\n") for piece in re.split(r"(?<=[。；！？])", line)]


def test_every_chrome_line_holds_what_chrome_needs():
    lines = _lines() + [
        "（记者 张三 通讯员 李四）",
        "责任编辑：王五",
        "图为新建成的社区养老服务中心。",
        "▲ 新建成的道路",
        "分享到",
        "当前位置：首页",
        "新华社记者 李明 摄",
    ]
    chrome = [x for x in lines if is_chrome(x)]
    assert len(chrome) >= 7
    assert all(CHROME_NEEDS.search(x) for x in chrome)


_CHROME_ALPHABET = sorted(
    set("".join(_CHROME_WORDS)) | set("记者通讯员实习生摄影图为文编辑来源：:/|▲ 张三李四（）本报新华社的路。")
)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_CHROME_ALPHABET, max_size=20))
def test_text_without_what_chrome_needs_is_never_chrome(text):
    if not CHROME_NEEDS.search(text):
        assert not is_chrome(text)


def test_target_scan_finds_what_the_target_pattern_finds_in_mutated_quantities():
    seeds = sorted({m.group() for t in _texts() for m in TARGET_RE.finditer(t)})
    seeds += ["3,000,000元", "12.5 %", "1.5亿元", "２０万吨", "三千万元", "十二万人", "2025年", "5月", "第5位", "30 盏"]
    tokens = sorted({u for u in targets._UNITS} | set("0123456789.．,，万亿千百十一二两三第年月 \u3000的"))
    rnd = random.Random(1)
    for _ in range(20000):
        chars = list("".join(rnd.choice(seeds) if rnd.random() < 0.5 else rnd.choice(tokens) for _ in range(4)))
        for _ in range(rnd.randint(0, 3)):
            i = rnd.randrange(len(chars))
            chars[i : i + rnd.randint(0, 1)] = rnd.choice(tokens)
        text = "".join(chars)
        assert _spans(TARGET_SCAN.finditer(text)) == _spans(TARGET_RE.finditer(text)), text


def test_sentence_start_is_the_latest_sentence_end_before_the_position():
    texts = [*_texts()[:60], "", "无标点", "a!b?c\n。d", "\n\n。"]
    for text in texts:
        for pos in range(0, len(text) + 1, 7):
            plain = max(text.rfind(ch, 0, pos) for ch in "。！？!?\n") + 1
            assert sentence_start(text, pos) == plain


def test_the_year_pattern_opening_with_a_digit_finds_what_the_lookbehind_finds():
    plain = re.compile(r"(?<!\d)(\d{4})\s*年(?!\s*[—\-－~～至])")
    rnd = random.Random(2)
    made_up = ["".join(rnd.choice("0123456789２０年 —至，") for _ in range(rnd.randint(0, 16))) for _ in range(5000)]
    for text in [*_texts(), *made_up]:
        assert [(m.span(), m.group(1)) for m in _YEAR_IN_TEXT.finditer(text)] == [
            (m.span(), m.group(1)) for m in plain.finditer(text)
        ]


def test_the_doc_number_pattern_opening_with_its_bracket_finds_what_the_lookbehind_finds():
    plain = re.compile(DOC_NO_RE.pattern.replace(r"[〔\[［【(（](?<!\d.)", r"(?<!\d)[〔\[［【(（]", 1))
    assert plain.pattern != DOC_NO_RE.pattern
    rnd = random.Random(3)
    made_up = ["".join(rnd.choice("1２〔〕[]（）(2023第号 函") for _ in range(rnd.randint(0, 20))) for _ in range(5000)]
    for text in [*_texts(), *made_up, "昆发改函〔2023〕20号", "5〔2023〕20号", "x（二〇二三）第7号"]:
        assert [m.span() for m in DOC_NO_RE.finditer(text)] == [m.span() for m in plain.finditer(text)]


def _plain_grams(text: str, start: int, end: int, heading: str) -> set[str]:
    s = re.sub(r"\s+", "", text[start:end])
    if len(s) > ranker.MAX_GRAM_CHARS:
        s = s[: ranker.MAX_GRAM_CHARS - 20] + "|" + s[-20:]
    grams = {s[i : i + 2] for i in range(len(s) - 1)}
    grams.add("^" + s[:2])
    grams.add("^" + s[2:4])
    grams.update("h:" + heading[i : i + 2] for i in range(len(heading) - 1))
    return grams


def test_the_ranker_grams_are_the_plain_ones_in_the_same_order():
    # The same set built in the same order iterates in the same order: the weights sum to the same float.
    cases = []
    for text in _texts()[:80]:
        p = ranker.prepare(text)
        cases += [(p.work, c) for c in p.candidates]
    for n in range(70):
        text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(n)) + " \n"
        unit = SimpleNamespace(heading="二、下一步工作计划"[: n % 10], section_kind="other")
        cases.append((text, SimpleNamespace(start=0, end=len(text), clause=SimpleNamespace(unit=unit), signals=())))
    assert len(cases) > 400
    for text, c in cases:
        grams, _ = ranker.features(text, c)
        assert list(grams) == list(_plain_grams(text, c.start, c.end, c.clause.unit.heading))


def test_the_cleaning_guards_hold_for_every_line():
    rnd = random.Random(4)
    made_up = ["".join(rnd.choice("ab 　\t印发2023年5月日") for _ in range(rnd.randint(0, 30))) for _ in range(5000)]
    lines = [ln for t in _texts() for ln in t.split("\n")] + made_up
    for line in lines:
        if cleaning._ISSUE_LINE.search(line):
            assert "印发" in line
        if "\t" not in line and cleaning._FIELD_ROW.search(line):
            assert cleaning._has_wide_gap(line)


def test_str_split_whitespace_is_the_pattern_whitespace():
    # ranker.features removes whitespace with str.split: the same characters as re's \s, every one of them.
    ws = re.compile(r"\s")
    assert all((ws.fullmatch(chr(c)) is not None) == chr(c).isspace() for c in range(0x110000))


def test_a_table_row_is_what_the_table_pattern_finds():
    rnd = random.Random(5)
    made_up = ["".join(rnd.choice("ab |\t 　甲") for _ in range(rnd.randint(0, 12))) for _ in range(5000)]
    for line in [ln for t in _texts() for ln in t.split("\n")] + made_up:
        assert _is_table_row(line) == (_TABLE.search(line.strip()) is not None), line


# ---------------------------------------------------------------- the ranker's batched gram look-ups


def _sum_in_code_order(model: ranker.Model, text: str, c) -> float:
    """``score_one`` with the weights of the grams summed in the order of their codes (what ``score`` does)."""
    grams, signals = ranker.features(text, c)
    ws = [model.grams[g] for g in sorted(grams, key=ranker._gram_code) if g in model.grams]
    z = model.intercept + (sum(ws) / ranker.math.sqrt(len(ws)) if ws else 0.0)
    z += sum(model.signals.get(s, 0.0) for s in signals)
    return 1.0 / (1.0 + ranker.math.exp(-max(-30.0, min(30.0, z))))


def _cand(text: str, heading: str, signals=(), section_kind="other"):
    unit = SimpleNamespace(heading=heading, section_kind=section_kind)
    return SimpleNamespace(start=0, end=len(text), clause=SimpleNamespace(unit=unit), signals=signals)


def test_the_gram_table_is_every_gram_code_and_weight_in_code_order():
    model = ranker.current_model()
    table = model._gram_table()
    ref = sorted((ranker._gram_code(g), w) for g, w in model.grams.items())
    assert table.codes.tolist() == [c for c, _ in ref] and table.weights.tolist() == [w for _, w in ref]
    assert len(ref) == len(model.grams) > 10_000 and len({c for c, _ in ref}) == len(ref)


def test_the_batched_scores_are_the_gram_sums_of_each_candidate_in_the_corpus():
    model = ranker.current_model()
    assert model._gram_table() is not None
    n = 0
    for text in _texts()[::8]:
        p = ranker.prepare(text)
        if not p.candidates:
            continue
        batched = model.score(p.work, p.candidates)
        assert batched == [_sum_in_code_order(model, p.work, c) for c in p.candidates]
        one = [model.score_one(*ranker.features(p.work, c)) for c in p.candidates]
        assert max(abs(a - b) for a, b in zip(batched, one, strict=True)) < 1e-12  # the set's order: the last bits
        n += len(p.candidates)
    assert n > 2000


def test_the_batched_scores_on_strings_of_every_length_and_odd_characters():
    rnd = random.Random(13)
    alphabet = "^h:|一二三四五六七八九十标题𠀀\ud800a"
    grams = {a + b: rnd.uniform(-1, 1) for a in alphabet for b in alphabet if rnd.random() < 0.7}
    grams.update({"^" + a + b: rnd.uniform(-1, 1) for a in alphabet for b in alphabet if rnd.random() < 0.3})
    grams.update({"^" + a: 0.25 for a in alphabet} | {"^": -0.5})
    grams.update({"h:" + a + b: rnd.uniform(-1, 1) for a in alphabet for b in alphabet if rnd.random() < 0.5})
    model = ranker.Model(grams=grams, signals={"s1": 0.3, "s2": -0.2}, intercept=-0.1, threshold=0.5)
    assert model._gram_table() is not None
    assert model.score("一二", []) == []
    # One candidate a batch: the text's every length, whitespace inside, a heading or none.
    for length in [*range(8), *rnd.choices(range(8, 90), k=300)]:
        text = "".join(rnd.choice(alphabet + " \n\u3000") for _ in range(length))
        heading = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 6)))
        c = _cand(text, heading, tuple(rnd.sample(["s1", "s2", "s3"], rnd.randint(0, 3))))
        assert model.score(text, [c]) == [_sum_in_code_order(model, text, c)]
    # 200 candidates of one text in one batch, some of them empty, neighbours sharing grams across their border.
    texts = ["".join(rnd.choice(alphabet + " ") for _ in range(rnd.randint(0, 90))) for _ in range(200)]
    whole = "".join(texts)
    batch, pos = [], 0
    for t in texts:
        c = _cand(whole, rnd.choice(["", "标题", "h:h:", "一一一"]), ("s1",))
        c.start, c.end = pos, pos + len(t)
        pos += len(t)
        batch.append(c)
    assert model.score(whole, batch) == [_sum_in_code_order(model, whole, c) for c in batch]


def test_the_batched_scores_weigh_the_signal_copies_of_a_live_scope():
    """A candidate in a next-steps or programme section, or under a live ``scope:``, is scored with its signals'
    "P:" copies (``ranked_signals``) on the batched path as on ``score_one``'s."""
    model = ranker.Model(
        grams={"一二": 0.5, "二三": -0.25},
        signals={"s1": 0.3, "P:s1": 1.7, "scope:year": 0.1, "P:scope:year": -0.9},
        intercept=-0.1,
        threshold=0.5,
    )
    assert model._gram_table() is not None
    cands = [
        _cand("一二三", "", ("s1",)),
        _cand("一二三", "", ("s1",), section_kind="next_steps"),
        _cand("一二三", "", ("s1",), section_kind="programme"),
        _cand("一二三", "", ("s1", "scope:year")),
        _cand("一二三", "", ("s1", "scope:past")),
    ]
    scores = model.score("一二三", cands)
    assert scores == [_sum_in_code_order(model, "一二三", c) for c in cands]
    assert scores[0] == scores[4] != scores[1] == scores[2]  # the copies weigh in a live scope only
    assert ranker.ranked_signals(cands[3]) == ("s1", "scope:year", "P:s1", "P:scope:year")


def test_a_model_with_a_gram_that_has_no_code_scores_one_by_one():
    model = ranker.Model(grams={"一二": 0.5, "太长的一个键": 1.0}, signals={}, intercept=0.0, threshold=0.5)
    assert model._gram_table() is None
    c = _cand("一二三", "")
    assert model.score("一二三", [c]) == [model.score_one(*ranker.features("一二三", c))]
    assert ranker.FALLBACK._gram_table() is None  # no grams: the dictionary path, as before
