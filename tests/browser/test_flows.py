"""End-to-end flows in a real browser: log a reply from a .docx; supervise an overdue commitment; scope."""

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from commitments.choices import CommitmentStatus
from commitments.models import Commitment
from responses.models import Response
from tests import factories
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "000_e488b48de0fcacd5.txt"


def _seed_as_docx(path: Path) -> Path:
    from docx import Document

    document = Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    out = path / "000_答复函.docx"
    document.save(str(out))
    return out


def test_clerk_logs_a_reply_from_docx(page, live_server, shot, tmp_path):
    agency = factories.AgencyFactory(name="昆明市发展和改革委员会", jurisdiction="昆明市", aliases=["市发展改革委"])
    factories.clerk_of(agency, "ndrc")
    # The letter's body exists and has a supervisor: a clerk may not create one no supervisor would see.
    factories.supervisor_of(factories.BodyFactory(name="昆明市人大", jurisdiction="昆明市"), "km_sup")
    login(page, live_server, "ndrc")
    shot(page, "01_clerk_home_empty")
    page.click("nav >> text=登记答复")
    page.set_input_files("input[type=file]", str(_seed_as_docx(tmp_path)))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#preview-form")
    assert page.locator(".letter mark.c").count() >= 5
    assert page.locator(".letter .tg", has_text="300 亿元").count() == 1
    assert page.input_value("#id_proposal_number") == "153018"
    shot(page, "02_reply_preview")
    # Correct the deadline of the commitment that mentions the 300 亿元 park.
    forms = page.locator(".cform", has=page.locator("textarea", has_text="300 亿元"))
    deadline = forms.first.locator("input[type=date]")
    assert deadline.input_value() == "2026-12-31"
    deadline.fill("2026-06-30")
    page.click("#confirm")
    page.wait_for_selector("#letter")
    assert "答复已登记" in page.content()
    shot(page, "03_reply_letter")
    reply = Response.objects.get()
    assert reply.doc_number == "昆发改易地函〔2023〕20号"
    park = reply.commitments.get(text__contains="300 亿元")
    assert park.deadline == dt.date(2026, 6, 30)
    assert park.targets.get().value == 30000000000
    page.goto(f"{live_server.url}/")
    assert page.locator("text=300 亿元").count() >= 1 or park.text[:15] in page.content()
    shot(page, "04_clerk_home")
    page.goto(f"{live_server.url}/commitments/{park.pk}/")
    assert "2026-06-30" in page.content()
    shot(page, "05_commitment_page")


def test_supervisor_finds_overdue_filters_exports_and_closes(page, live_server, shot, tmp_path):
    session = factories.SessionFactory(name="昆明市第十五届人大三次会议")
    late, other = factories.AgencyFactory(name="昆明市迟办局"), factories.AgencyFactory(name="昆明市另一局")
    past = dt.date.today() - dt.timedelta(days=40)

    def make(agency, text):
        response = factories.ResponseFactory(proposal=factories.ProposalFactory(session=session), agency=agency)
        return factories.CommitmentFactory(response=response, text=text, deadline=past)

    overdue = make(late, "力争年内建成园区道路一期工程")
    make(other, "另一局的逾期承诺")
    factories.supervisor_of(session.body, "duban")
    factories.clerk_of(factories.AgencyFactory(name="无关单位"), "outsider")

    login(page, live_server, "duban")
    page.click("nav >> text=督办看板")
    page.wait_for_selector("#commitments")
    assert page.locator("#commitments tbody tr").count() == 2
    page.select_option("#f-agency", str(late.pk))
    page.click("#filters button[type=submit]")
    page.wait_for_load_state()
    rows = page.locator("#commitments tbody tr")
    assert rows.count() == 1 and "园区道路" in rows.first.inner_text()
    assert "逾期 40 天" in rows.first.inner_text()
    shot(page, "06_dashboard_overdue_filtered")
    with page.expect_download() as info:
        page.click("#export")
    data = Path(info.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert (
        len(values) == 2 and values[1][0] == overdue.pk and values[1][1] == overdue.text and values[1][8] == late.name
    )

    page.click("text=力争年内建成园区道路一期工程")
    page.wait_for_selector("#close")
    page.select_option("#close select[name=status]", "fulfilled")
    page.click("#close button[type=submit]")
    assert "佐证材料" in page.locator(".form-error").first.inner_text()
    evidence = tmp_path / "验收报告.pdf"
    evidence.write_bytes(b"%PDF-1.4 test evidence")
    page.select_option("#close select[name=status]", "fulfilled")
    page.set_input_files("#close input[name=evidence_file]", str(evidence))
    page.click("#close button[type=submit]")
    page.wait_for_selector("#status")
    assert page.inner_text("#status") == "已兑现"
    shot(page, "07_commitment_closed")
    overdue.refresh_from_db()
    assert overdue.status == CommitmentStatus.FULFILLED
    assert overdue.progress_updates.get().evidence_file.name.endswith(".pdf")

    page.goto(f"{live_server.url}/dashboard/agencies/")
    assert page.locator("#agency-chart svg").count() == 1
    # Every deadline here is past: the month chart says so instead of drawing twelve empty bars.
    assert page.locator("#month-chart svg").count() == 0
    assert "未来 12 个月没有到期的进行中承诺" in page.inner_text("#month-chart")
    shot(page, "08_agency_stats")

    # A clerk of an unrelated agency gets 404 on the same commitment.
    page.context.clear_cookies()
    login(page, live_server, "outsider")
    result = page.goto(f"{live_server.url}/commitments/{overdue.pk}/")
    assert result.status == 404
    assert Commitment.objects.filter(pk=overdue.pk, status=CommitmentStatus.FULFILLED).exists()
