"""Property tests: the pipeline never raises on arbitrary text except its documented errors, and
its running time grows linearly with the input (no catastrophic regex backtracking)."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from responses.extraction import ExtractionError, extract_bytes, extract_text

# Characters that exercise the patterns: digits (ASCII and full-width), Chinese numerals, date and
# modality words, punctuation, brackets, newlines.
ALPHABET = st.sampled_from(
    list(
        "0123456789０１２３４５６７８９〇一二三四五六七八九十百千万亿年月日号季度上下半旬底末内前到至"
        "将计划预计力争争取确保努力每一调度近期尽快下步一是（）()〔〕《》“”【】、，。；：:,.;—-～ \n\t\u3000"
        "关于第届人大政协次会议建议提案答复函联系人电话抄送局委办元吨亩户个%GW代表委员主办协办领办督办"
    )
)
TEXT = st.text(alphabet=ALPHABET, max_size=400) | st.text(max_size=300)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_extract_text_never_raises_unexpectedly(text):
    try:
        result = extract_text(text)
    except ExtractionError:
        return
    pred = result.to_prediction()
    assert len(pred["candidates"]) <= 5
    for c in pred["commitments"] + pred["candidates"]:
        assert result.text[c["start"] : c["end"]] == c["text"]
        assert c["precision"] in ("day", "month", "quarter", "half", "year", "none")
        assert (c["deadline"] is None) == (c["precision"] == "none")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600), st.sampled_from(["a.txt", "a.docx", "a.pdf", "a.html", "a.doc", "a", "a.png"]))
def test_extract_bytes_raises_only_documented_errors(data, name):
    try:
        extract_bytes(data, name)
    except ExtractionError as e:
        assert e.http_status in (413, 415, 422)


def _best_time(text: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        extract_text(text)
        best = min(best, time.perf_counter() - t)
    return best


ADVERSARIAL = [
    "建议" * 2000,  # a declined-point keyword search over one long sentence
    "，" * 8000,
    "2023" * 3000,
    "《" * 4000 + "》" * 10,
    "“" * 4000,
    "将" * 6000,
    "一二三四五六七八九十" * 800,
    "主办" + "、市局" * 3000,
    "（一）" * 3000,
    "第" * 5000 + "届",
    "联系人：" + "张" * 5000,
    "2023年" + "1" * 6000,
]


def test_time_grows_linearly_on_adversarial_inputs():
    for unit in ADVERSARIAL:
        small = unit
        big = unit * 4
        t_small = max(_best_time(small), 1e-4)
        t_big = _best_time(big)
        assert t_big < 4 * t_small * 3 + 0.05, (unit[:10], t_small, t_big)


def test_time_grows_linearly_on_letters(seed_texts):
    text = "\n\n".join(seed_texts.values())
    t1 = max(_best_time(text), 1e-3)
    t8 = _best_time(text * 8)
    assert t8 < 8 * t1 * 2.5
