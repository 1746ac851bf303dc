"""manage.py ingest and link_evidence: bad files reported per file, JSON best first, found again by hash."""

import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from commitments.models import Commitment
from responses.models import Document
from tests.evidence.conftest import CORPUS

pytestmark = pytest.mark.django_db


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_ingest_a_folder_with_a_bad_file_continues(tmp_path):
    shutil.copy(CORPUS / "e01_changsha_siyuan_reply_2019.txt", tmp_path / "a.txt")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4 broken")
    shutil.copy(CORPUS / "l01b_changsha_siyuan_2022.txt", tmp_path / "c.txt")
    out, err = _run("ingest", str(tmp_path), "--confirm")
    assert "b.pdf" in err and " / " in err  # the pipeline's Chinese / English message
    assert "2 份成功，1 份失败" in out
    assert Document.objects.count() == 2
    # --confirm stored the reply's commitments; the later news then got a suggestion.
    assert Commitment.objects.filter(document__original_name="a.txt").exists()
    assert "1 条佐证建议" in out


def test_ingest_without_confirm_stores_no_commitments(tmp_path):
    out, _ = _run("ingest", str(CORPUS / "e01_changsha_siyuan_reply_2019.txt"))
    assert Document.objects.count() == 1
    assert not Commitment.objects.exists()
    assert "0 项承诺" in out


def test_ingest_only_bad_files_fails(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"nothing")
    with pytest.raises(CommandError):
        _run("ingest", str(tmp_path / "x.pdf"))


def test_link_evidence_json_best_first(hospital, bridge):
    out, _ = _run("link_evidence", str(CORPUS / "l01b_changsha_siyuan_2022.txt"), "--json")
    links = json.loads(out)["links"]
    assert links[0]["commitment"] == hospital.pk
    assert links[0]["suggested"] is True
    assert links[0]["outcome"] in {"done", "unknown", "in_progress"}
    assert set(links[0]) == {
        "commitment",
        "commitment_text",
        "document",
        "evidence_text",
        "score",
        "outcome",
        "suggested",
    }
    assert [link["score"] for link in links] == sorted((link["score"] for link in links), reverse=True)
    assert all(not link["suggested"] for link in links if link["commitment"] == bridge.pk)
    # A second run finds the document by its content hash.
    again = json.loads(_run("link_evidence", str(CORPUS / "l01b_changsha_siyuan_2022.txt"), "--json")[0])
    assert again["links"][0]["document"] == links[0]["document"]
    assert Document.objects.filter(original_name="l01b_changsha_siyuan_2022.txt").count() == 1


def test_link_evidence_unreadable_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError):
        _run("link_evidence", str(tmp_path / "missing.txt"), "--json")


def test_ingest_agency_limits_the_candidates(hospital, bridge):
    out, _ = _run("ingest", str(CORPUS / "l01b_changsha_siyuan_2022.txt"), "--agency", bridge.agency.name)
    assert "0 条佐证建议" in out
    with pytest.raises(CommandError):
        _run("ingest", str(CORPUS / "l01b_changsha_siyuan_2022.txt"), "--agency", "不存在的单位")


def test_ingest_confirm_keeps_a_weekly_schedule_in_words_not_as_periods(tmp_path):
    # The pipeline reads 每周 as a "weekly" schedule; stored periods are monthly … yearly only, and saving "weekly"
    # broke the recurrence check constraint (an IntegrityError, the whole file lost). Found on session 11's evidence9.
    (tmp_path / "r.txt").write_text(
        "关于加强校园周边交通管理的建议的答复\n张代表：\n您提出的关于加强校园周边交通管理的建议收悉。现答复如下：\n"
        "近年来，我局持续开展校园周边交通整治。\n"
        "下一步，我局将每周开展一次校园周边交通秩序专项整治，力争年底前实现学校周边交通秩序明显好转。\n"
        "市交通运输局\n2025年6月1日\n",
        encoding="utf-8",
    )
    out, err = _run("ingest", str(tmp_path / "r.txt"), "--confirm")
    assert not err and "1 份成功" in out
    weekly = Commitment.objects.get(text__contains="每周")
    assert weekly.recurrence == "" and weekly.deadline is None and weekly.deadline_text == "每周"
    assert Commitment.objects.filter(deadline="2025-12-31").exists()


def test_ingest_a_deep_path_and_a_device_are_per_file_results_not_a_crash(tmp_path, settings):
    """Session 20: a path over the 500-character source column stopped the whole run with a DataError after the file
    was read and extracted; a device named by mistake was read until memory ran out. Now the path is cut to the column
    and a file is read one byte past the upload limit at most (the pipeline's “文件过大”)."""
    deep = tmp_path
    for n in range(12):
        deep = deep / (f"{n:02d}_" + "深" * 40)
    deep.mkdir(parents=True)
    shutil.copy(CORPUS / "e01_changsha_siyuan_reply_2019.txt", deep / "a.txt")
    assert len(str(deep / "a.txt")) > 500
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    out, err = _run("ingest", str(deep / "a.txt"), "/dev/zero")
    assert "1 份成功，1 份失败" in out and "/dev/zero: 文件过大" in err
    document = Document.objects.get()
    assert len(document.source) == 500 and document.source == str(deep / "a.txt")[:500]
