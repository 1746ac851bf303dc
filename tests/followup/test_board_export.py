"""Session 20: the 回头看 board as .xlsx and CSV (rounds, findings per agency and per session), scoped as the board."""

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from followup import services
from tests import factories

from .conftest import at

D = dt.date


def _verified_round(world):
    """The 6-month round of the world's reply: one line verified done, one in progress; and a formula-like title."""
    [round_] = services.review_rounds_open_due(today=D(2025, 7, 15))
    first, second = round_.items.order_by("commitment__deadline")
    with at(D(2025, 7, 20)):
        services.review_item_report(item=first, user=world["clerk"], state="done", evidence_url="https://gov.cn/a")
        services.review_item_report(item=second, user=world["clerk"], state="in_progress", note="推进中")
        services.review_round_submit(round_=round_, user=world["clerk"])
        services.review_round_verify(
            round_=round_, user=world["supervisor"], verdicts=[(first.pk, True, ""), (second.pk, True, "")]
        )
    round_.title = "=HYPERLINK(1)"
    round_.save(update_fields=["title"])
    return round_


def test_the_board_exports_its_rounds_and_findings_as_xlsx_and_csv(world, client):
    round_ = _verified_round(world)
    client.force_login(world["supervisor"])
    with at(D(2025, 8, 1)):
        answer = client.get("/followup/export.xlsx")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    assert book.sheetnames == ["回头看", "各单位", "各会议"]
    rounds = list(book["回头看"].values)
    assert rounds[0][:4] == ("编号", "名称", "来源", "状态") and len(rounds) == 2
    row = dict(zip(rounds[0], rounds[1], strict=True))
    assert row["编号"] == round_.pk and row["状态"] == "已核实" and row["名称"] == "=HYPERLINK(1)"
    assert (row["条目"], row["已填报"], row["核实通过"], row["核实已完成"]) == (2, 2, 2, 1)
    assert row["链接"].endswith(f"/followup/rounds/{round_.pk}/")
    assert book["回头看"].cell(row=2, column=2).data_type == "s"  # text, never a formula
    agency = list(book["各单位"].values)
    assert agency[1] == (world["agency"].name, 2, 2, 1, 1, 1, 0, 0, 50.0)
    assert list(book["各会议"].values)[1][:5] == (world["session"].name, 2, 2, 1, 1)

    text = client.get("/followup/export.csv?table=agency").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1] == [world["agency"].name, "2", "2", "1", "1", "1", "0", "0", "50.0"]
    rounds_csv = list(csv.reader(io.StringIO(client.get("/followup/export.csv").content.decode("utf-8-sig"))))
    assert rounds_csv[1][1] == "'=HYPERLINK(1)"
    assert client.get("/followup/export.csv?table=x").status_code == 400


def test_the_export_is_the_supervisors_and_scoped_like_the_board(world, client):
    _verified_round(world)
    client.force_login(world["clerk"])
    assert client.get("/followup/export.xlsx").status_code == 403
    assert client.get("/followup/export.csv").status_code == 403
    client.force_login(factories.supervisor_of(factories.BodyFactory(), "sup_other"))
    rows = list(csv.reader(io.StringIO(client.get("/followup/export.csv").content.decode("utf-8-sig"))))
    assert len(rows) == 1  # the header only: another body's rounds are not his
