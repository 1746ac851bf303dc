"""Assignment-list import: flexible headers, a dry run with per-row errors, then an all-or-nothing import."""

import datetime as dt
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals import importing
from proposals.models import Agency, Assignment, Proposal
from tests import factories
from tests.ui.helpers import xlsx_bytes, xlsx_edited

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db):
    session = factories.SessionFactory()
    lead = factories.AgencyFactory(name="昆明市发展和改革委员会", aliases=["市发展改革委"])
    co = factories.AgencyFactory(name="昆明市工业和信息化局")
    supervisor = factories.supervisor_of(session.body, "import_sup")
    return session, lead, co, supervisor


GOOD = [
    ["昆明市人大交办清单"],
    ["序号", "建议编号", "案由", "领衔代表", "承办单位", "会办单位", "交办时间"],
    [
        1,
        153018,
        "关于支持振兴东川工业经济的建议",
        "张顺奎、兰亚琼",
        "市发展改革委",
        "昆明市工业和信息化局",
        dt.datetime(2023, 3, 1),
    ],
    [2, "第153019号", "关于某事的建议", "李四", "昆明市发展和改革委员会", None, "2023年3月2日"],
]


def test_parse_matches_headers_flexibly(setup):
    session, lead, co, _ = setup
    plan = importing.parse_workbook(xlsx_bytes(GOOD), session=session)
    assert plan.ok, [r.errors for r in plan.rows]
    first, second = plan.rows
    assert first.number == "153018" and first.proposers == ["张顺奎", "兰亚琼"]
    assert [(a.agency_id, a.role) for a in first.agencies] == [(lead.pk, "lead"), (co.pk, "joint")]
    assert first.assigned_on == dt.date(2023, 3, 1) and second.assigned_on == dt.date(2023, 3, 2)
    assert second.number == "153019"


def test_parse_reports_row_errors_without_creating_agencies(setup):
    session, *_ = setup
    rows = [
        ["编号", "标题", "主办单位", "交办日期"],
        ["1", "甲", "不存在的局", "2023-03-01"],
        ["1", "乙", "市发展改革委", "三月"],
        ["", "丙", "市发展改革委", None],
    ]
    plan = importing.parse_workbook(xlsx_bytes(rows), session=session)
    assert not plan.ok
    errors = [" ".join(r.errors) for r in plan.rows]
    assert "未知单位：不存在的局" in errors[0]
    assert "重复" in errors[1] and "日期无法识别" in errors[1]
    assert "缺少编号" in errors[2]
    assert not Agency.objects.filter(name="不存在的局").exists()


def test_dry_run_then_import(client, setup):
    session, lead, co, supervisor = setup
    client.force_login(supervisor)
    upload = SimpleUploadedFile("list.xlsx", xlsx_bytes(GOOD))
    preview = client.post(reverse("proposals:import"), {"session": session.pk, "file": upload})
    assert preview.status_code == 200
    assert Proposal.objects.count() == 0  # a dry run writes nothing
    token = preview.context["token"]
    done = client.post(reverse("proposals:import"), {"plan": token})
    assert done.status_code == 302
    proposal = Proposal.objects.get(session=session, number="153018")
    assert proposal.assigned_on == dt.date(2023, 3, 1) and proposal.reply_due_on == dt.date(2023, 6, 1)
    assert set(Assignment.objects.filter(proposal=proposal).values_list("agency_id", "role")) == {
        (lead.pk, "lead"),
        (co.pk, "joint"),
    }
    assert proposal.proposer_links.count() == 2


def test_plan_with_errors_cannot_be_imported(client, setup):
    session, _, _, supervisor = setup
    client.force_login(supervisor)
    rows = [["编号", "标题", "主办单位"], ["1", "甲", "不存在的局"], ["2", "乙", "市发展改革委"]]
    preview = client.post(
        reverse("proposals:import"), {"session": session.pk, "file": SimpleUploadedFile("l.xlsx", xlsx_bytes(rows))}
    )
    assert "未知单位" in preview.content.decode()
    assert "确认导入" not in preview.content.decode()
    from django.core import signing

    forged = signing.dumps(
        {"session": session.pk, "rows": importing.parse_workbook(xlsx_bytes(rows)).to_payload()},
        salt="luoshi.proposals.import",
        compress=True,
    )
    response = client.post(reverse("proposals:import"), {"plan": forged})
    assert response.status_code == 422
    assert Proposal.objects.count() == 0


def test_not_an_xlsx_is_a_400(client, setup):
    session, _, _, supervisor = setup
    client.force_login(supervisor)
    response = client.post(
        reverse("proposals:import"), {"session": session.pk, "file": SimpleUploadedFile("l.xlsx", b"not a zip")}
    )
    assert response.status_code == 400
    assert "无法读取" in response.content.decode()


def _dry_run(client, setup, data: bytes):
    session, _, _, supervisor = setup
    client.force_login(supervisor)
    started = time.monotonic()
    response = client.post(
        reverse("proposals:import"), {"session": session.pk, "file": SimpleUploadedFile("l.xlsx", data)}
    )
    return response, time.monotonic() - started


def test_a_list_declaring_the_whole_sheet_is_read_in_bounded_time(client, setup):
    """Session 20: openpyxl pads every row to the width the sheet's <dimension> declares and yields every missing row up
    to the next present one. A 5 KB list declaring A1:XFD1048576 with one cell in its last row never ended; a 53 KB one
    with 20,000 empty rows took 48 s. Now the dry run reads 64 columns and 10,000 rows at most and says so."""

    def declare_everything(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD12000"/>', xml)
        last = '<row r="12000"><c r="A12000" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace("</sheetData>", last + "</sheetData>")

    data = xlsx_edited([["编号", "标题", "主办单位"], ["1", "甲", "市发展改革委"]], sheet=declare_everything)
    response, seconds = _dry_run(client, setup, data)
    assert seconds < 5
    body = response.content.decode()
    assert "清单超过 10000 行（含空行）" in body and "确认导入" not in body
    assert Proposal.objects.count() == 0


def test_one_huge_shared_string_in_every_row_is_a_row_error_not_gigabytes(client, setup):
    """Session 20: a shared string is stored once and may fill every cell; a 23 KB list whose 1,000 titles were one
    100,000-character string took 16 s and 1.2 GB to read, and the dry run would have shown each. A cell longer than
    CELL_MAX characters is now a row error, and the plan keeps its first CELL_MAX characters."""
    rows = [["编号", "标题", "主办单位"]] + [[str(n), "SHARED", "市发展改革委"] for n in range(1, 201)]
    response, seconds = _dry_run(client, setup, xlsx_edited(rows, shared="长" * 100_000))
    assert response.status_code == 200 and seconds < 5
    plan = response.context["plan"]
    assert len(plan.rows) == 200 and not plan.ok
    assert all(len(row.title) == importing.CELL_MAX for row in plan.rows)
    assert "“标题”一格超过 1000 字（100000 字）" in plan.rows[0].errors
    assert len(response.content) < 2_000_000 and "确认导入" not in response.content.decode()


@pytest.mark.parametrize(
    "extra, words",
    [
        ({"xl/media/pad.xml": b" " * (40 * 1024 * 1024)}, "文件解压后过大（xl/media/pad.xml: 40 MB）"),
        ({f"xl/pad{n}.bin": b"" for n in range(1200)}, "文件内的部件过多（1209 个，上限 1000 个）"),
    ],
    ids=["inflating-part", "many-parts"],
)
def test_a_zip_bomb_list_is_refused_before_it_is_inflated(client, setup, extra, words):
    response, _ = _dry_run(client, setup, xlsx_edited(GOOD, extra=extra))
    assert response.status_code == 400
    body = response.content.decode()
    assert words in body
    assert Proposal.objects.count() == 0


def test_a_damaged_sheet_is_a_400_not_a_500(client, setup):
    """The sheet is streamed while the rows are read, after load_workbook succeeded: a truncated sheet part failed
    there, outside the refusal, and answered 500."""
    data = xlsx_edited(GOOD, sheet=lambda xml: xml[: len(xml) // 2])
    response, _ = _dry_run(client, setup, data)
    assert response.status_code == 400
    assert "无法读取" in response.content.decode()
    assert Proposal.objects.count() == 0


def test_tampered_plan_is_refused(client, setup):
    _, _, _, supervisor = setup
    client.force_login(supervisor)
    response = client.post(reverse("proposals:import"), {"plan": "garbage"})
    assert response.status_code == 400 and "已失效" in response.content.decode()
    assert Proposal.objects.count() == 0


def test_the_result_says_how_many_items_were_new(client, setup):
    """Session 15's walk-through: importing a list again read “已导入 2 件建议提案” as if the items were new (the dry run
    said 已存在，将补充). The result page says how many were new and how many existed."""
    session, _, _, supervisor = setup
    client.force_login(supervisor)
    for rows in (GOOD[:3], GOOD):  # one item, then the same list with one more row
        preview = client.post(
            reverse("proposals:import"), {"session": session.pk, "file": SimpleUploadedFile("l.xlsx", xlsx_bytes(rows))}
        )
        done = client.post(reverse("proposals:import"), {"plan": preview.context["token"]})
        page = client.get(done["Location"]).content.decode()
        assert f"已导入 {len(rows) - 2} 件建议提案" in page
        assert ("其中新建 1 件；1 件此前已登记，已按清单补充。" in page) == (len(rows) == len(GOOD))
    assert Proposal.objects.filter(session=session).count() == 2


def test_each_import_has_its_own_result_page(client, setup):
    """Session 16 (plan 1): the result lived in the user's session, so an import confirmed in a second tab replaced
    the first tab's result page (and signing in again lost it). Each import's result has its own address, which the
    body's supervisors may open and nobody else."""
    session, _, _, supervisor = setup
    client.force_login(supervisor)
    lists = (GOOD[:3], [GOOD[1], [3, "153020", "丙", "王五", "市发展改革委", None, "2023-03-03"], GOOD[3]])
    # Two tabs: both dry runs first, then both confirmations.
    tokens = [
        client.post(
            reverse("proposals:import"), {"session": session.pk, "file": SimpleUploadedFile("l.xlsx", xlsx_bytes(r))}
        ).context["token"]
        for r in lists
    ]
    first, second = (client.post(reverse("proposals:import"), {"plan": t})["Location"] for t in tokens)
    assert first != second
    page = client.get(first)
    assert page.status_code == 200 and "已导入 1 件建议提案，交办 2 次。" in page.content.decode()
    assert "已导入 2 件建议提案，交办 2 次。" in client.get(second).content.decode()
    assert "已导入 1 件建议提案，交办 2 次。" in client.get(first).content.decode()  # the second did not replace it
    # Signing in again keeps it; another supervisor of the body opens it; one of another body gets a 404.
    client.force_login(supervisor)
    assert client.get(first).status_code == 200
    client.force_login(factories.supervisor_of(session.body, "import_sup_2"))
    assert client.get(first).status_code == 200
    client.force_login(factories.supervisor_of(factories.BodyFactory(), "import_sup_other"))
    assert client.get(first).status_code == 404


def test_the_dry_runs_errors_are_in_the_pages_language_only(client, setup):
    """Session 16 (the walk-through's "left", as plan 2's 回头看 messages): the dry run's reasons were written
    “缺少编号 / Number missing”, “未知单位：不存在的局 / Unknown agency”: both halves on the Chinese page."""
    session, _, _, supervisor = setup
    client.force_login(supervisor)
    rows = [
        ["编号", "标题", "主办单位", "交办日期"],
        ["1", "甲", "不存在的局", "三月"],
        ["", "丙", "市发展改革委", None],
    ]

    def dry_run() -> str:
        upload = SimpleUploadedFile("l.xlsx", xlsx_bytes(rows))
        return client.post(reverse("proposals:import"), {"session": session.pk, "file": upload}).content.decode()

    page = dry_run()
    assert "未知单位：不存在的局" in page and "日期无法识别：三月" in page and "缺少编号" in page
    assert "Unknown agency" not in page and "Number missing" not in page and "Bad date" not in page
    client.cookies["django_language"] = "en"
    page = dry_run()
    assert "Unknown agency: 不存在的局" in page and "Bad date: 三月" in page and "Number missing" in page
    assert "未知单位" not in page and "缺少编号" not in page
