"""Metadata on every seed: the PREDICTION.md fields equal the hand-annotated gold, plus the extras."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from responses.extraction import extract_text

from .conftest import GOLD


def _gold() -> list[dict]:
    if not GOLD.exists():
        return []
    return json.loads(GOLD.read_text(encoding="utf-8"))


def _norm(v):
    if isinstance(v, list):
        return sorted("".join(x.split()) for x in v)
    return "".join(v.split()) if isinstance(v, str) else v


@pytest.mark.parametrize("doc", _gold(), ids=lambda d: d["file"])
def test_seed_metadata_matches_gold(doc, seed_texts):
    result = extract_text(seed_texts[doc["file"]])
    got = result.to_prediction()["metadata"]
    for field, expected in doc["metadata"].items():
        assert _norm(got[field]) == _norm(expected), field


def test_extra_fields_of_a_key_proposal(seed_texts):
    meta = extract_text(seed_texts["002_e65f0660b84e1379.txt"]).metadata
    assert meta.is_draft is True
    assert meta.disclosure == "公开"
    assert (meta.session_jurisdiction, meta.session_term, meta.session_meeting) == ("昆明市", 14, 1)
    assert meta.lead_official == "市政府常务副市长夏俊松"
    assert meta.supervising_official == "市政协副主席和丽川"
    assert meta.issued_date == dt.date(2022, 10, 13)


def test_extra_fields_of_a_suggestion(seed_texts):
    result = extract_text(seed_texts["000_e488b48de0fcacd5.txt"])
    meta = result.metadata
    assert meta.is_draft is False
    assert (meta.session_jurisdiction, meta.session_term, meta.session_meeting) == ("昆明市", 15, 3)
    assert meta.lead_official is None
    # every recorded span points at the value in the cleaned text
    for span in meta.spans:
        value = getattr(meta, span.name)
        piece = result.text[span.start : span.end]
        if isinstance(value, str) and span.name != "lead_agency":
            assert value in piece, span.name


def test_cppcc_session_without_di(seed_texts):
    meta = extract_text(seed_texts["003_df7fedfa74e46271.txt"]).metadata
    assert (meta.session_jurisdiction, meta.session_term, meta.session_meeting) == ("楚雄州", 11, 2)
    assert meta.body == "政协" and meta.proposal_kind == "提案"


def test_news_report_has_no_reply_metadata(seed_texts):
    meta = extract_text(seed_texts["004_c9519bf765dc77e1.txt"]).metadata
    assert meta.doc_number is None and meta.reply_date is None and meta.proposers == ()


SYNTHETIC = """湖南省交通运输厅

【B类】【主动公开】

湘交函〔２０２４〕１２３号

关于省十四届人大二次会议第0456号建议的答复

李明代表、王芳委员：

您提出的《关于加快农村公路建设的建议》收悉。该建议由我厅主办，省财政厅、省自然资源厅会办。现答复如下：

一、基本情况

近年来我省农村公路建设成效明显。

二、下一步工作打算

我厅将于２０２４年底前完成全省农村公路普查，力争明年上半年出台补助办法。

湖南省交通运输厅

二〇二四年五月二十日

联系人：张伟，联系电话：0731-88888888

抄送：省人大常委会选任联工委，省政府办公厅
"""


def test_synthetic_letter_full_width_and_chinese_date():
    result = extract_text(SYNTHETIC)
    meta = result.metadata
    assert meta.agency == "湖南省交通运输厅"
    assert meta.doc_number == "湘交函〔２０２４〕１２３号"
    assert meta.category == "B" and meta.disclosure == "公开"
    assert meta.session == "省十四届人大二次会议"
    assert meta.proposal_number == "0456"
    assert meta.proposers == ("李明", "王芳")
    assert meta.lead_agency == "湖南省交通运输厅"
    assert meta.co_agencies == ("省财政厅", "省自然资源厅")
    assert meta.reply_date == dt.date(2024, 5, 20)
    assert meta.contact_name == "张伟"
    assert meta.contact_phones == ("0731-88888888",)
    assert meta.cc == ("省人大常委会选任联工委", "省政府办公厅")
    deadlines = [(c.deadline, c.precision) for c in result.commitments]
    assert (dt.date(2024, 12, 31), "year") in deadlines
    assert (dt.date(2025, 6, 30), "half") in deadlines
