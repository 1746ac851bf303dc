"""Proposers as users: they see only their own items and what hangs off them, read-only, and rate replies
(attitude and result apart), again after each 回头看; staff-entered ratings are marked and counted apart."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from commitments.models import Commitment
from commitments.services import can_edit, progress_record
from followup import services
from followup.choices import CollectedBy
from followup.models import Rating
from followup.selectors import rating_rates_by_agency
from proposals.choices import ProposalStatus
from proposals.models import Proposal
from responses.models import Document, Response
from tests import factories
from tests.followup.conftest import report_two_lines

D = dt.date


@pytest.fixture
def stranger_item(world):
    """Another deputy's item with a reply and a commitment (same agency, same session)."""
    other = factories.ProposerFactory(name="李代表")
    proposal = factories.ProposalFactory(session=world["session"])
    proposal.proposer_links.create(proposer=other)
    response = factories.ResponseFactory(proposal=proposal, agency=world["agency"])
    commitment = factories.CommitmentFactory(response=response)
    return {"proposal": proposal, "response": response, "commitment": commitment}


def test_a_proposer_sees_only_his_own_items_replies_commitments_and_documents(world, stranger_item):
    user = world["deputy_user"]
    assert list(Proposal.objects.visible_to(user)) == [world["proposal"]]
    assert list(Response.objects.visible_to(user)) == [world["response"]]
    assert set(Commitment.objects.visible_to(user)) == set(world["commitments"])
    assert list(Document.objects.visible_to(user)) == [world["response"].document]


def test_a_proposer_acts_on_nothing(world):
    user, commitment = world["deputy_user"], world["commitments"][0]
    assert not can_edit(user, commitment)
    with pytest.raises(PermissionDenied):
        progress_record(commitment=commitment, user=user, note="我觉得完成了")


def test_a_user_without_a_role_sees_nothing(db):
    factories.CommitmentFactory()
    nobody = factories.UserFactory()
    assert not Commitment.objects.visible_to(nobody).exists()
    assert not Proposal.objects.visible_to(nobody).exists()


def test_a_clerk_who_is_also_a_proposer_keeps_his_agency_scope_and_adds_his_own_items(world, stranger_item):
    outsider_agency = factories.AgencyFactory()
    far = factories.CommitmentFactory(response=factories.ResponseFactory(agency=outsider_agency))
    user = world["deputy_user"]
    outsider_agency.clerks.add(user)
    user = type(user).objects.get(pk=user.pk)  # fresh scope cache
    visible = set(Commitment.objects.visible_to(user))
    assert visible == {*world["commitments"], far}
    assert can_edit(user, far) and not can_edit(user, world["commitments"][0])


def test_the_proposer_rates_attitude_and_result_apart_and_once_per_round(world):
    user, response = world["deputy_user"], world["response"]
    rating = services.rating_record(
        response=response, user=user, attitude="satisfied", result="basically", collected_by=CollectedBy.PROPOSER
    )
    assert (rating.proposer, rating.round, rating.attitude, rating.result) == (
        world["deputy"],
        None,
        "satisfied",
        "basically",
    )
    response.refresh_from_db()
    assert (response.satisfaction, response.satisfaction_channel) == ("basically", "proposer")
    with pytest.raises(ValidationError, match="本轮已评价"):
        services.rating_record(
            response=response, user=user, attitude="satisfied", result="satisfied", collected_by=CollectedBy.PROPOSER
        )
    # After a 回头看 is reported, he may rate again: the new rating is kept with that round.
    round_ = services.review_rounds_open_due(today=D(2025, 7, 15))[0]
    for item in round_.items.all():
        services.review_item_report(item=item, user=world["clerk"], state="in_progress", note="推进中")
    services.review_round_submit(round_=round_, user=world["clerk"])
    again = services.rating_record(
        response=response, user=user, attitude="basically", result="unsatisfied", collected_by=CollectedBy.PROPOSER
    )
    assert again.round == round_
    assert Rating.objects.filter(response=response).count() == 2


def test_unsatisfied_on_the_result_reopens_the_item(world):
    services.rating_record(
        response=world["response"],
        user=world["deputy_user"],
        attitude="satisfied",
        result="unsatisfied",
        collected_by=CollectedBy.PROPOSER,
    )
    world["proposal"].refresh_from_db()
    assert world["proposal"].status == ProposalStatus.REHANDLING


def test_a_proposer_cannot_rate_another_proposers_reply(world, stranger_item):
    with pytest.raises(PermissionDenied):
        services.rating_record(
            response=stranger_item["response"],
            user=world["deputy_user"],
            attitude="satisfied",
            result="satisfied",
            collected_by=CollectedBy.PROPOSER,
        )
    with pytest.raises(PermissionDenied):
        services.rating_record(
            response=world["response"],
            user=world["deputy_user"],
            attitude="satisfied",
            result="satisfied",
            collected_by=CollectedBy.AGENCY,
        )


def test_staff_ratings_are_marked_and_counted_apart_per_agency(world):
    services.rating_record(
        response=world["response"], user=world["clerk"], attitude="satisfied", result="satisfied", collected_by="agency"
    )
    services.rating_record(
        response=world["response"],
        user=world["deputy_user"],
        attitude="basically",
        result="unsatisfied",
        collected_by="proposer",
    )
    rates = rating_rates_by_agency(user=world["supervisor"])[world["agency"].pk]
    assert (rates["own_rated"], rates["own_rate"]) == (1, 0.0)
    assert (rates["staff_rated"], rates["staff_rate"]) == (1, 1.0)
    with pytest.raises(PermissionDenied):
        services.rating_record(
            response=world["response"],
            user=world["clerk"],
            attitude="satisfied",
            result="satisfied",
            collected_by="body",
        )


def test_the_per_agency_table_shows_both_rates(client, world):
    services.rating_record(
        response=world["response"], user=world["clerk"], attitude="satisfied", result="satisfied", collected_by="agency"
    )
    client.force_login(world["supervisor"])
    html = client.get("/dashboard/agencies/").content.decode()
    assert "本人评价满意率" in html and "代录满意率" in html
    assert '<td class="num staff-rate">100%' in html
    assert client.get("/dashboard/agencies/?session=abc").status_code == 400


def test_the_proposer_page_lists_only_his_items_and_rating_posts(client, world, stranger_item):
    progress_record(
        commitment=world["commitments"][0],
        user=world["clerk"],
        note="已完成立项",
        evidence_url="https://example.gov.cn/e",
    )
    client.force_login(world["deputy_user"])
    html = client.get("/my/").content.decode()
    assert world["proposal"].title in html and stranger_item["proposal"].title not in html
    assert "已完成立项" in html and "https://example.gov.cn/e" in html
    assert client.get(f"/proposals/{stranger_item['proposal'].pk}/").status_code == 404
    assert client.get(f"/commitments/{stranger_item['commitment'].pk}/").status_code == 404
    assert (
        client.post(
            f"/my/replies/{stranger_item['response'].pk}/rate/", {"attitude": "satisfied", "result": "satisfied"}
        ).status_code
        == 404
    )
    assert client.post(f"/my/replies/{world['response'].pk}/rate/", {"attitude": "great"}).status_code == 400
    response = client.post(
        f"/my/replies/{world['response'].pk}/rate/", {"attitude": "satisfied", "result": "basically"}
    )
    assert response.status_code == 302
    assert Rating.objects.get().collected_by == CollectedBy.PROPOSER
    assert client.post(f"/commitments/{world['commitments'][0].pk}/progress/", {"note": "x"}).status_code == 403


def test_the_proposer_page_is_for_proposers(client, world):
    client.force_login(world["clerk"])
    assert client.get("/my/").status_code == 403


def test_a_proposer_lands_on_his_own_page_and_a_clerk_who_is_a_proposer_keeps_the_home(client, world):
    client.force_login(world["deputy_user"])
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/my/"
    clerk = world["clerk"]
    factories.ProposerFactory(name="兼任代表", user=clerk)
    client.force_login(clerk)
    assert client.get("/").status_code == 200


def test_create_proposer_user_command_links_an_account_once(db):
    proposer = factories.ProposerFactory(name="民建测试市委", kind="organisation", email="mj@example.org")
    out, err = io.StringIO(), io.StringIO()
    call_command("create_proposer_user", str(proposer.pk), "--username", "minjian", stdout=out, stderr=err)
    proposer.refresh_from_db()
    assert proposer.user.username == "minjian" and proposer.user.check_password(out.getvalue().strip())
    out2 = io.StringIO()
    call_command("create_proposer_user", "民建测试市委", stdout=out2, stderr=io.StringIO())
    assert out2.getvalue() == ""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不存在"):
        call_command("create_proposer_user", "无此人", stdout=io.StringIO(), stderr=io.StringIO())


def test_evidence_files_download_only_in_scope(client, world, stranger_item):
    from django.core.files.uploadedfile import SimpleUploadedFile

    round_ = services.review_rounds_open_due(today=D(2025, 7, 15))[0]
    item = round_.items.first()
    services.review_item_report(
        item=item,
        user=world["clerk"],
        state="done",
        evidence_file=SimpleUploadedFile("验收报告.txt", "验收合格".encode()),
    )
    client.force_login(world["deputy_user"])
    got = client.get(f"/followup/items/{item.pk}/file/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == "验收合格".encode()
    client.force_login(factories.clerk_of(factories.AgencyFactory(), "clerk_nofile"))
    assert client.get(f"/followup/items/{item.pk}/file/").status_code == 404


def test_a_proposer_reads_his_commitments_in_the_api_and_writes_nothing(world, stranger_item):
    from rest_framework.test import APIClient

    from accounts.services import api_token_create

    _, key = api_token_create(user=world["deputy_user"], name="t")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listed = api.get("/api/v1/commitments/").json()
    ids = {row["id"] for row in listed["results"]}
    assert ids == {c.pk for c in world["commitments"]}
    mine = world["commitments"][0].pk
    assert api.post(f"/api/v1/commitments/{mine}/progress/", {"note": "x"}, format="json").status_code == 403
    rated = api.post(
        f"/api/v1/responses/{world['response'].pk}/satisfaction/",
        {"satisfaction": "satisfied", "channel": "agency"},
        format="json",
    )
    assert rated.status_code == 403
    assert api.get(f"/api/v1/responses/{stranger_item['response'].pk}/").status_code == 404


def test_the_proposer_page_query_count_does_not_grow_with_items(client, world, django_assert_max_num_queries):
    client.force_login(world["deputy_user"])
    with django_assert_max_num_queries(40) as first:
        assert client.get("/my/").status_code == 200
    for _ in range(4):
        proposal = factories.ProposalFactory(session=world["session"])
        proposal.proposer_links.create(proposer=world["deputy"])
        response = factories.ResponseFactory(proposal=proposal, agency=world["agency"], signed_on=D(2025, 1, 15))
        c = factories.CommitmentFactory(response=response)
        progress_record(commitment=c, user=world["clerk"], note="进展")
    round_ = services.review_rounds_open_due(today=D(2025, 7, 15))[0]
    for item in round_.items.all():
        services.review_item_report(item=item, user=world["clerk"], state="in_progress", note="推进中")
    services.review_round_submit(round_=round_, user=world["clerk"])
    with django_assert_max_num_queries(len(first.captured_queries) + 2):  # + the round lookup pair, once
        html = client.get("/my/").content.decode()
    assert html.count('class="card item"') == 5


def test_a_rating_form_posts_to_an_address_naming_itself(client, world):
    """Session 17: the form's action carries `#rate-<id>`, so a refused rating's page lands on the form and its
    reasons (tests/browser/test_proposer_phone.py). A rating already sent from another tab answers 409 with the message
    at the page's top and no form of that id left, so the same address lands at the top, on the message."""
    client.force_login(world["deputy_user"])
    pk = world["response"].pk
    html = client.get("/my/").content.decode()
    assert f'action="/my/replies/{pk}/rate/#rate-{pk}"' in html
    assert client.post(f"/my/replies/{pk}/rate/", {"attitude": "satisfied", "result": "basically"}).status_code == 302
    again = client.post(f"/my/replies/{pk}/rate/", {"attitude": "satisfied", "result": "satisfied"})
    html = again.content.decode()
    assert again.status_code == 409 and "本轮已评价" in html and f'id="rate-{pk}"' not in html


def test_the_proposer_sees_the_comment_he_wrote_with_his_rating(client, world):
    """Session 18's walk-through: a deputy who wrote “希望继续推进” with his rating saw “我的评价：态度 满意，结果 基本满意”
    and the date, never his words again; they are listed under the rating now (escaped)."""
    client.force_login(world["deputy_user"])
    comment = "希望继续推进，<b>年底</b>前再反馈一次"
    response = client.post(
        f"/my/replies/{world['response'].pk}/rate/",
        {"attitude": "satisfied", "result": "basically", "comment": comment},
    )
    assert response.status_code == 302
    html = client.get("/my/").content.decode()
    ratings = html[html.index('class="ratings"') :]
    assert "希望继续推进，&lt;b&gt;年底&lt;/b&gt;前再反馈一次" in ratings


def test_the_proposer_sees_a_submitted_rounds_reports_marked_unverified_before_rating_again(client, world):
    """Session 19 (s18ui's "left"): once the agency submitted a 回头看 round, /my/ offered the deputy a second rating
    (“回头看「…」之后，您可以再次评价。”) but showed nothing the agency reported — a report becomes a progress update
    only when a supervisor accepts it. The submitted reports are listed under their commitments, marked 待督办核实,
    with their evidence; once verified they are the progress updates shown as before, and the mark is gone."""
    round_ = services.review_rounds_open_due(today=D(2025, 7, 15))[0]
    first, second = report_two_lines(
        round_,
        world["clerk"],
        note="正在推进，已完成年度计划的<b>八成</b>",
        evidence_url="https://example.org/report-2025",
    )
    client.force_login(world["deputy_user"])
    # Reported but not submitted: the agency may still change it, nothing is shown.
    assert "待督办核实" not in client.get("/my/").content.decode()
    services.review_round_submit(round_=round_, user=world["clerk"])
    html = client.get("/my/").content.decode()
    assert html.count('<span class="badge unverified">待督办核实</span>') == 2, html
    line = html[html.index(f'id="c-{first.commitment_id}"') :]
    line = line[: line.index("</li>")]
    assert "推进中" in line and "正在推进，已完成年度计划的&lt;b&gt;八成&lt;/b&gt;" in line
    assert f"回头看「{round_.title}」" in line and 'href="https://example.org/report-2025"' in line
    line = html[html.index(f'id="c-{second.commitment_id}"') :]
    line = line[: line.index("</li>")]
    assert "已完成" in line and "已建成投用" in line and f'href="/followup/items/{second.pk}/file/"' in line
    assert client.get(f"/followup/items/{second.pk}/file/").status_code == 200
    # The second rating is offered beside them, and says the reports are not verified yet.
    form = html[html.index(f'id="rate-{world["response"].pk}"') :]
    assert "承办单位已填报，督办人员尚未核实" in form[: form.index("</form>")]
    # Verified: the reports are the commitments' progress (as before), no longer marked.
    services.review_round_verify(
        round_=round_, user=world["supervisor"], verdicts=[(first.pk, True, ""), (second.pk, True, "")]
    )
    html = client.get("/my/").content.decode()
    assert "待督办核实" not in html and "承办单位已填报" not in html
    assert f"回头看「{round_.title}」核实：推进中。正在推进" in html


def test_the_proposer_page_english_marks_unverified_reports(client, world):
    round_ = services.review_rounds_open_due(today=D(2025, 7, 15))[0]
    for item in round_.items.all():
        services.review_item_report(item=item, user=world["clerk"], state="in_progress", note="推进中")
    services.review_round_submit(round_=round_, user=world["clerk"])
    client.force_login(world["deputy_user"])
    client.cookies["django_language"] = "en"
    html = client.get("/my/").content.decode()
    assert html.count('<span class="badge unverified">Not yet verified</span>') == 2 and "待督办核实" not in html
    assert "The agency has reported; a supervisor has not verified it yet" in html
