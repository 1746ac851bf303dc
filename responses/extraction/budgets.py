"""Budgets: how much work one file may cost the pipeline, in one place.

Contract: ``Budgets`` (frozen dataclass, documented defaults) is passed to ``extract_bytes``; every
stage that can be made to expand (a PDF drawing a million characters at one spot, a .docx holding
50 MB of paragraphs in 180 KB, an HTML page nested ten thousand deep, a text of a hundred thousand
commitment-like lines) checks its budget while it works and raises ``BudgetExceeded`` (413 for
size-like budgets, 422 for time and commitment count) with a message saying which limit and what to
do. ``Budgets.with_overrides(mapping)`` builds one from Django's ``EXTRACTION_BUDGETS`` setting
(the Django side lives in ``responses.services.extraction_budgets``; this module imports no Django).

The defaults were measured on this machine (docs/extraction.md "Budgets"): 1,000,000 characters of
dense commitment lines take about 4 s through every stage, so the 10 s wall time leaves room for a
loaded machine; a real reply letter is 2,000–30,000 characters.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, cast

from .errors import BudgetExceeded

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Budgets:
    """Limits on one extraction; 0 switches a limit off (tests and benchmarks only)."""

    max_bytes: int = 20 * MB  # the uploaded file itself (FileTooLarge)
    max_text_chars: int = 1_000_000  # decoded text, any format
    max_seconds: float = 8.0  # wall time (8 s leaves the request 2 s of the 10 s bar), checked between stages and inside the PDF/.docx/HTML loops
    max_pdf_pages: int = 300
    max_pdf_chars_per_page: int = 20_000  # characters drawn on one page (each Tj/TJ glyph counts)
    max_pdf_stream_bytes: int = 20 * MB  # one content stream after decompression
    max_docx_uncompressed: int = 100 * MB  # all zip entries together, as declared in the zip directory
    max_docx_xml_bytes: int = 10 * MB  # one XML part (word/document.xml …) after decompression
    max_docx_ratio: int = 100  # uncompressed / compressed size of one entry above 1 MB
    max_docx_entries: int = 1000
    max_html_chars: int = 5_000_000  # the page's markup after decoding
    max_html_elements: int = 200_000
    max_html_depth: int = 250
    # A whole 政府工作报告 states 600–750 (corpus/fresh31 p01: 718 gold entries, 740 extracted): 500 refused the
    # upload of every whole 2026 provincial report once the model cut their plan sentences per task (session 18).
    # The reply forms post 15 fields a commitment (CommitmentFormSet's max_num and DATA_UPLOAD_MAX_NUMBER_FIELDS
    # follow this figure).
    max_commitments: int = 2000
    # Clauses holding a commitment word, counted before the commitment stage (which cannot stop
    # midway: 6,000 numbered commitment lines take 3–5 s there).
    max_candidates: int = 5000
    # Date words (年 月 日 季度 旬), counted in the same pass: the date stage resolves every one (~40 µs
    # each), 150,000 of them took 10 s; a 30,000-character letter holds a few hundred.
    max_date_words: int = 20_000

    def with_overrides(self, overrides: Mapping[str, float] | None) -> Budgets:
        """A copy with the named limits changed; an unknown name is a configuration error."""
        if not overrides:
            return self
        known = {f.name for f in fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise ValueError(f"unknown extraction budget(s): {', '.join(sorted(unknown))}")
        return replace(self, **cast(dict[str, Any], overrides))

    def deadline(self) -> Deadline:
        return Deadline(self.max_seconds)


DEFAULT_BUDGETS = Budgets()


class Deadline:
    """The wall-time budget of one extraction; ``check()`` raises once it has passed."""

    __slots__ = ("seconds", "expires")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires = time.monotonic() + seconds if seconds else float("inf")

    def check(self) -> None:
        if time.monotonic() > self.expires:
            raise over_time(self.seconds)


def over_time(seconds: float) -> BudgetExceeded:
    return BudgetExceeded(
        "seconds",
        f"文件处理超过 {seconds:g} 秒仍未完成，请删去无关内容或拆分后重新上传",
        f"Processing the file took longer than {seconds:g} s; remove unrelated content or split it and upload again",
        http_status=422,
    )


def too_big(limit: str, what_zh: str, what_en: str, value: float, cap: float, unit_zh: str, unit_en: str):
    """A size-like budget (413): "<what> 超过上限 <cap>，请拆分后上传"."""
    return BudgetExceeded(
        limit,
        f"{what_zh}超过上限（{value:,.0f} {unit_zh}，上限 {cap:,.0f} {unit_zh}），请拆分文件或删去无关内容后重新上传",
        f"{what_en} exceeds the limit ({value:,.0f} {unit_en}; the limit is {cap:,.0f} {unit_en}); "
        "split the file or remove unrelated content and upload again",
    )


def check_text(text: str, budgets: Budgets) -> None:
    """The decoded text of any format against ``max_text_chars``."""
    cap = budgets.max_text_chars
    if cap and len(text) > cap:
        raise too_big("text_chars", "文件解码后的文字", "The decoded text", len(text), cap, "字", "characters")


_CLAUSE_END = re.compile(r"[。；;！!？?\n]")
_COMMITMENT_WORD = re.compile(r"将|计划|力争|确保|争取|拟|预计|要|推进|完成|前")


_DATE_WORD = re.compile(r"[年月日旬]|季度")


def check_candidates(text: str, budgets: Budgets) -> None:
    """Clauses with a commitment word against ``max_candidates``, date words against ``max_date_words``.

    Linear passes before the stages that cannot stop midway (metadata, dates, commitments).
    """
    # A word is at least one character: a text no longer than a cap cannot hold more words than it.
    cap = budgets.max_date_words
    if cap and len(text) > cap:
        words = len(_DATE_WORD.findall(text))
        if words > cap:
            raise BudgetExceeded(
                "date_words",
                f"日期用语超过 {cap:,} 处（{words:,} 处），文件不像一份答复函，请拆分后上传或手工登记",
                f"More than {cap:,} date words ({words:,}); this does not look like one reply letter, "
                "split it or log it by hand",
                http_status=422,
            )
    cap = budgets.max_candidates
    if not cap or len(text) <= cap:
        return
    if len(_COMMITMENT_WORD.findall(text)) <= cap:
        return  # no more clauses with a word than words: the clause count below cannot exceed the cap
    count = 0
    for clause in _CLAUSE_END.split(text):
        if _COMMITMENT_WORD.search(clause):
            count += 1
            if count > cap:
                raise too_many_commitments(count, cap, candidates=True)


def too_many_commitments(count: int, cap: int, *, candidates: bool = False) -> BudgetExceeded:
    if candidates:
        return BudgetExceeded(
            "candidates",
            f"含承诺用语的句子超过 {cap:,} 句，文件不像一份答复函，请拆分后上传或手工登记",
            f"More than {cap:,} clauses hold a commitment word; this does not look like one reply letter, "
            "split it or log it by hand",
            http_status=422,
        )
    return BudgetExceeded(
        "commitments",
        f"识别出的承诺超过 {cap:,} 项（{count:,} 项），文件不像一份答复函，请拆分后上传或手工登记",
        f"More than {cap:,} commitments were found ({count:,}); this does not look like one reply letter, "
        "split it or log it by hand",
        http_status=422,
    )
