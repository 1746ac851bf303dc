"""The deputy's own page on a phone (390x844): no sideways scrolling, his items, commitments with progress and
evidence, and rating the reply (attitude and result apart) from the phone."""

import datetime as dt

import pytest

from commitments.services import progress_record
from followup.models import Rating
from proposals.choices import ProposalStatus
from tests import factories

from .conftest import submit_unvalidated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    agency = factories.AgencyFactory(name="昆明市住房和城乡建设局")
    clerk = factories.clerk_of(agency, "zjj")
    user = factories.UserFactory(username="deputy_phone")
    deputy = factories.ProposerFactory(name="王代表", user=user)
    proposal = factories.ProposalFactory(
        title="关于加快老旧小区加装电梯的建议，涉及全市范围内多个行政区和街道的统筹推进"
    )
    proposal.proposer_links.create(proposer=deputy)
    response = factories.ResponseFactory(
        proposal=proposal, agency=agency, doc_number="昆建函〔2025〕88号", signed_on=dt.date(2025, 1, 15)
    )
    commitment = factories.CommitmentFactory(
        response=response, text="力争到2025年底前完成全市300部老旧小区加装电梯任务，并建立长效管理机制"
    )
    progress_record(
        commitment=commitment, user=clerk, note="已完成加装电梯126部", evidence_url="https://zfcxjsj.km.gov.cn/news/1"
    )
    other = factories.ProposalFactory(title="别人的建议不应出现")
    other.proposer_links.create(proposer=factories.ProposerFactory(name="赵代表"))
    return proposal, response


def _world_of_nine():
    """`_world()` with eight more long commitments: the reply's rating form is far down a phone's page."""
    proposal, response = _world()
    for n in range(8):
        factories.CommitmentFactory(
            response=response, text=f"第{n + 2}项：力争到2026年底前完成相关区县老旧小区改造任务，并逐项公开进展情况" * 3
        )
    return proposal, response


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-12345678")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/my/")  # a deputy's account lands on his own page, not the staff home


def test_the_deputy_reads_and_rates_on_a_phone(phone, live_server, shot):
    proposal, response = _world()
    _login(phone, live_server, "deputy_phone")
    shot(phone, "followup_proposer_phone")
    body = phone.locator("main").inner_text()
    assert "老旧小区加装电梯" in body and "已完成加装电梯126部" in body and "昆建函〔2025〕88号" in body
    assert "别人的建议不应出现" not in body
    assert phone.locator("nav >> text=登记答复").count() == 0  # a deputy logs no replies
    assert phone.locator("a[href='https://zfcxjsj.km.gov.cn/news/1']").count() == 1
    scroll, inner = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"horizontal scroll: {scroll} > {inner}"
    # Rate: attitude satisfied, result unsatisfied (the item goes back for re-handling).
    form = phone.locator(f"#reply-{response.pk} form.rate")
    form.locator("input[name=attitude][value=satisfied]").check()
    form.locator("input[name=result][value=unsatisfied]").check()
    form.locator("button[type=submit]").click()
    phone.wait_for_selector(".msg.warning")
    assert "重新办理" in phone.locator(".messages").inner_text()
    assert phone.locator(f"#reply-{response.pk} form.rate").count() == 0  # rated for this round
    rating = Rating.objects.get()
    assert (rating.attitude, rating.result, rating.collected_by) == ("satisfied", "unsatisfied", "proposer")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REHANDLING
    scroll, inner = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner


def test_the_rating_form_is_reached_from_the_top_of_the_deputys_page(phone, live_server, shot):
    """Session 16's walk-through: with a reply of nine commitments the form was 2,700 px down the phone's page. The
    page's top now names the replies awaiting his rating, each a link to its form."""
    proposal, response = _world_of_nine()
    _login(phone, live_server, "deputy_phone")
    link = phone.locator(f"#to-rate a[href='#rate-{response.pk}']")
    box = link.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box  # on the first screen
    form = phone.locator(f"#rate-{response.pk}")
    assert form.evaluate("f => f.getBoundingClientRect().top") > 1500  # the form itself is far below
    link.click()
    phone.wait_for_function(f"document.getElementById('rate-{response.pk}').getBoundingClientRect().top < 844")
    top = form.evaluate("f => f.getBoundingClientRect().top")
    assert 0 <= top < 844, top
    shot(phone, "followup_proposer_phone_to_rate")
    scroll, inner = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"horizontal scroll: {scroll} > {inner}"
    form.locator("input[name=attitude][value=satisfied]").check()
    form.locator("input[name=result][value=satisfied]").check()
    form.locator("button[type=submit]").click()
    phone.wait_for_selector(".msg.success")
    assert phone.locator("#to-rate").count() == 0 and Rating.objects.count() == 1  # nothing left to rate


def test_a_refused_rating_lands_on_its_form_with_the_reasons(phone, live_server, shot):
    """Session 16's "left": a refused rating re-rendered `/my/` at its top, the reasons on the bound form 1,500 px
    further down the phone's page and nothing at the top saying so. The form's action names the form, so the page that
    answers lands on it. (A browser that validates the form never sends it without both choices; `noValidate` stands
    for one that does not, the server's 400 being what is tested.)"""
    proposal, response = _world_of_nine()
    _login(phone, live_server, "deputy_phone")
    form = phone.locator(f"#rate-{response.pk}")
    form.locator("input[name=attitude][value=basically]").check()
    form.locator("textarea[name=comment]").fill("电梯进度请按季度公开")
    assert submit_unvalidated(phone, form) == 400
    form = phone.locator(f"#rate-{response.pk}")
    errors = form.locator(".errorlist")
    assert errors.count() >= 1 and "必填" in errors.first.inner_text()
    # Landed on the form: the reasons are on the screen, not 1,500 px below it.
    top = errors.first.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < 844, top
    assert form.locator("input[name=attitude][value=basically]").is_checked()  # what he chose is kept
    assert form.locator("textarea[name=comment]").input_value() == "电梯进度请按季度公开"
    shot(phone, "followup_proposer_phone_refused_rating")
    scroll, inner = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"horizontal scroll: {scroll} > {inner}"
    assert Rating.objects.count() == 0
    # Sent again with the result chosen, it is recorded and the page's top says so.
    form.locator("input[name=result][value=satisfied]").check()
    form.locator("button[type=submit]").click()
    phone.wait_for_selector(".msg.success")
    assert Rating.objects.count() == 1
    assert phone.locator(".msg.success").evaluate("e => e.getBoundingClientRect().top") < 844


def test_a_submitted_rounds_reports_read_on_a_phone_before_the_second_rating(phone, live_server, shot):
    """Session 19: a submitted 回头看's reports, not yet verified, are on the deputy's page marked 待督办核实 beside the
    second rating they open; a long unbroken note does not widen the phone's page."""
    from followup import services
    from responses.models import Response

    proposal, response = _world()
    Response.objects.filter(pk=response.pk).update(review_state="confirmed")  # rounds open on confirmed replies
    round_ = services.review_rounds_open_due(today=dt.date(2025, 7, 15))[0]
    clerk = factories.clerk_of(response.agency, "zjj2")
    for item in round_.items.all():
        services.review_item_report(
            item=item,
            user=clerk,
            state="in_progress",
            note="已完成加装电梯218部，详见https://zfcxjsj.km.gov.cn/news/2025/elevator-progress-report-of-the-year",
            evidence_url="https://zfcxjsj.km.gov.cn/news/2",
        )
    services.review_round_submit(round_=round_, user=clerk)
    _login(phone, live_server, "deputy_phone")
    report = phone.locator(f"#reply-{response.pk} .progress.unverified")
    assert report.count() == 1
    assert "待督办核实" in report.inner_text() and "已完成加装电梯218部" in report.inner_text()
    assert report.locator("a[href='https://zfcxjsj.km.gov.cn/news/2']").count() == 1
    assert "督办人员尚未核实" in phone.locator(f"#rate-{response.pk}").inner_text()
    shot(phone, "followup_proposer_phone_unverified")
    scroll, inner = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"horizontal scroll: {scroll} > {inner}"
