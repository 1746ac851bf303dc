"""Assignment-list import: flexible headers, a dry run with per-row errors, then an all-or-nothing import."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals import importing
from proposals.models import Agency, Assignment, Proposal
from tests import factories
from tests.ui.helpers import xlsx_bytes

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
