"""Fuzzing the reading stage: random and mutated .docx/.pdf/.html/.txt bytes give a result or a documented
``ExtractionError``, never another exception, each within its time and memory budget.

The seeds of the mutations are small real files built here (a reply letter as .txt, .docx, .pdf,
.html); mutations flip bytes, truncate, splice, repeat and insert, and for .docx also duplicate,
drop or corrupt zip entries. The example count is bounded so the module runs in well under 60 s.
"""

from __future__ import annotations

import io
import resource
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import hostile_files as hostile
from responses.extraction import Budgets, ExtractionError, extract_bytes
from responses.extraction.errors import (
    BudgetExceeded,
    EmptyDocument,
    FileTooLarge,
    NulBytes,
    ScannedPDF,
    UnsupportedFormat,
)

DOCUMENTED = (BudgetExceeded, EmptyDocument, FileTooLarge, NulBytes, ScannedPDF, UnsupportedFormat)
LETTER = [
    "测试市第一局文件",
    "测一函〔2024〕7号",
    "关于测试市第十五届人大三次会议第150777号建议答复的函",
    "张三代表：",
    "一、工作开展情况",
    "近年来，我局持续推进社区养老服务设施建设。",
    "二、下一步工作",
    "我局将于2025年底前建成10个社区养老服务中心，力争到2026年6月底前实现街道全覆盖。",
    "测试市第一局",
    "2024年5月20日",
]
# Budgets a little tighter than the defaults, so that a mutation that expands is stopped fast.
BUDGETS = Budgets(max_seconds=3.0, max_text_chars=200_000, max_pdf_chars_per_page=5_000, max_candidates=1000)
SECONDS = 5.0  # per example: the 3 s budget plus the stage that cannot stop midway
MEMORY_MB = 500


def _pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    for i, line in enumerate(LETTER):
        pdf.drawString(72, 800 - i * 20, line.encode("ascii", "replace").decode() + f" {i} will finish by 2025")
    pdf.save()
    return buf.getvalue()


def _html() -> bytes:
    body = "".join(f"<p>{line}</p>" for line in LETTER)
    return f'<html><head><meta charset="utf-8"></head><body><div class="content">{body}</div></body></html>'.encode()


SEEDS = {
    "txt": "\n".join(LETTER).encode(),
    "docx": hostile.docx_with_paragraphs(LETTER),
    "pdf": _pdf(),
    "html": _html(),
}


def _mutate(data: bytes, ops: list[tuple[int, int, int]]) -> bytes:
    out = bytearray(data)
    for op, at, value in ops:
        if not out:
            out = bytearray(b"\x00")
        i = at % len(out)
        if op == 0:  # flip a byte
            out[i] ^= value or 1
        elif op == 1:  # truncate
            del out[i:]
        elif op == 2:  # insert a byte run
            out[i:i] = bytes([value]) * (value % 64 + 1)
        elif op == 3:  # repeat a slice
            out[i:i] = out[i : i + value % 512] * (value % 8 + 1)
        elif op == 4:  # delete a slice
            del out[i : i + value % 256 + 1]
    return bytes(out)


def _zip_mutate(data: bytes, op: int, pick: int, junk: bytes) -> bytes:
    """A .docx with an entry duplicated, dropped, replaced by junk, or stored uncompressed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    infos = source.infolist()
    target = infos[pick % len(infos)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            body = source.read(info)
            if info is target and op == 1:
                continue
            if info is target and op == 2:
                body = junk
            out.writestr(info.filename, body, compress_type=zipfile.ZIP_STORED if op == 3 else zipfile.ZIP_DEFLATED)
            if info is target and op == 0:
                import warnings

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # "Duplicate name": the point of the mutation
                    out.writestr(info.filename, junk or body)
    return buf.getvalue()


def _peak_mb() -> float:
    """The process's peak resident memory since the last `_reset_peak()` (Linux: VmHWM, reset through clear_refs),
    else the process's lifetime peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> float:
    """Reset the peak to the present resident size where the kernel allows it; returns the baseline to compare with.
    Session 17: the lifetime peak (ru_maxrss) counted whatever an earlier test in the same process had used, so
    these tests failed or passed by test order, not by what the example did."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return _BASELINE_MB
    return _peak_mb()


def _check(data: bytes, filename: str) -> None:
    baseline = _reset_peak()
    start = time.monotonic()
    try:
        result = extract_bytes(data, filename, budgets=BUDGETS)
    except ExtractionError as e:
        assert isinstance(e, DOCUMENTED), type(e)
        assert e.message_zh and e.message_en and 400 <= e.http_status < 500
    else:
        assert isinstance(result.text, str) and len(result.text) <= BUDGETS.max_text_chars
    elapsed = time.monotonic() - start
    assert elapsed <= SECONDS, f"{filename}: {elapsed:.1f} s"
    assert _peak_mb() <= baseline + MEMORY_MB, f"{filename}: {_peak_mb() - baseline:.0f} MB over the baseline"


_BASELINE_MB = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
OPS = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 2**31), st.integers(0, 255)), min_size=1, max_size=6)


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_the_seed_files_read(kind):
    result = extract_bytes(SEEDS[kind], f"letter.{kind}", budgets=BUDGETS)
    assert "2024" in result.text


@pytest.mark.parametrize("kind", sorted(SEEDS))
@FUZZ
@given(ops=OPS)
def test_mutated_files_fail_only_with_documented_errors(kind, ops):
    _check(_mutate(SEEDS[kind], ops), f"letter.{kind}")


@FUZZ
@given(op=st.integers(0, 3), pick=st.integers(0, 50), junk=st.binary(max_size=300))
def test_mutated_docx_entries(op, pick, junk):
    _check(_zip_mutate(SEEDS["docx"], op, pick, junk), "letter.docx")


@FUZZ
@given(
    data=st.binary(max_size=4096),
    name=st.sampled_from(["a.txt", "a.docx", "a.pdf", "a.html", "a", "a.doc", "a.png"]),
    head=st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe"]),
)
def test_random_bytes(data, name, head):
    _check(head + data, name)


def test_docx_whose_body_part_is_other_xml_is_a_damaged_document():
    # Found by the fuzzer: word/document.xml replaced by well-formed XML of another kind (AttributeError before).
    data = _zip_mutate(SEEDS["docx"], 2, 2, b"<x/>")
    with pytest.raises(EmptyDocument):
        extract_bytes(data, "letter.docx")
