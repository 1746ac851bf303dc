"""The 回头看 board (page and API), the round page's forms, and their scope and bad input."""

import datetime as dt

import pytest

from accounts.services import api_token_create
from followup import services
from followup.models import ReviewRound
from tests import factories

D = dt.date


@pytest.fixture
def round_(world):
    return services.review_rounds_open_due(today=D(2025, 7, 15))[0]


def _api(user):
    from rest_framework.test import APIClient

    _, key = api_token_create(user=user, name="t")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_board_shows_rounds_by_state_and_findings(client, world, round_):
    for item in round_.items.all():
        services.review_item_report(
            item=item, user=world["clerk"], state="done", evidence_url="https://example.gov.cn/x"
        )
    services.review_round_submit(round_=round_, user=world["clerk"])
    services.review_item_verify(item=round_.items.first(), user=world["supervisor"], accept=True)
    client.force_login(world["supervisor"])
    html = client.get("/followup/").content.decode()
    assert round_.title in html
    submitted = html[html.index('id="col-submitted"') : html.index('id="col-verified"')]
    assert round_.title in submitted
    agency_row = html[html.index('id="findings-agency"') :]
    assert (
        f'<td class="text">{world["agency"].name}</td><td class="num">2</td><td class="num">2</td><td class="num">2</td><td class="num">1</td>'
        in agency_row
    )
    assert world["session"].name in html


def test_the_board_is_for_supervisors(client, world):
    client.force_login(world["clerk"])
    assert client.get("/followup/").status_code == 403


def test_a_supervisor_opens_a_round_on_the_page_and_bad_input_is_a_400(client, world):
    client.force_login(world["supervisor"])
    response = client.post(
        "/followup/rounds/open/", {"session": world["session"].pk, "due_on": "2099-01-01", "title": "年中回头看"}
    )
    assert response.status_code == 302
    assert ReviewRound.objects.get().title == "年中回头看"
    assert client.post("/followup/rounds/open/", {"due_on": "2099-01-01"}).status_code == 400
    assert client.post("/followup/rounds/open/", {"session": world["session"].pk, "due_on": "x"}).status_code == 400
    assert ReviewRound.objects.count() == 1


def test_a_refused_round_keeps_what_was_typed_on_the_board(client, world):
    """Session 12 walk-through: a refused round was a separate error page with a back link; the title typed was lost."""
    client.force_login(world["supervisor"])
    # Refused by the service (neither a session nor an agency) and by the form (an unreadable date).
    for data, message in [
        ({"due_on": "2099-01-01", "title": "年底回头看"}, "请选择会议或承办单位"),
        ({"session": world["session"].pk, "due_on": "x", "title": "年底回头看"}, "日期"),
    ]:
        response = client.post("/followup/rounds/open/", data)
        assert response.status_code == 400
        html = response.content.decode()
        assert 'id="board"' in html and message in html
        assert 'name="title" value="年底回头看"' in html
    assert f'<option value="{world["session"].pk}" selected>' in html
    assert ReviewRound.objects.count() == 0


def test_the_clerks_home_lists_the_rounds_to_report(client, world):
    """Session 12 walk-through: a clerk had no way to the rounds he must report (the board is the supervisors')
    until a reminder came 7 days before the due date; his home now lists them."""
    client.force_login(world["clerk"])
    assert 'id="rounds-to-report"' not in client.get("/").content.decode()  # nothing to report: no section
    round_ = services.review_round_open(user=world["supervisor"], session=world["session"], due_on=D(2099, 1, 31))
    html = client.get("/").content.decode()
    section = html[html.index('id="rounds-to-report"') :]
    assert f'href="/followup/rounds/{round_.pk}/"' in section and "0/2 已填报" in section
    client.force_login(world["supervisor"])  # his way in is the board
    assert 'id="rounds-to-report"' not in client.get("/").content.decode()
    client.force_login(factories.clerk_of(factories.AgencyFactory(), "clerk_elsewhere"))
    assert 'id="rounds-to-report"' not in client.get("/").content.decode()


def test_the_clerk_reports_on_the_round_page(client, world, round_):
    item = round_.items.first()
    client.force_login(world["clerk"])
    page = client.get(f"/followup/rounds/{round_.pk}/").content.decode()
    assert f"/followup/items/{item.pk}/report/" in page and "submit-round" in page
    assert client.post(f"/followup/items/{item.pk}/report/", {"state": "done"}).status_code == 400  # no evidence
    assert client.post(f"/followup/items/{item.pk}/report/", {"state": "bogus"}).status_code == 400
    ok = client.post(f"/followup/items/{item.pk}/report/", {"state": "delayed", "note": "征地未完成"})
    assert ok.status_code == 302
    item.refresh_from_db()
    assert item.reported_state == "delayed"
    assert client.post(f"/followup/rounds/{round_.pk}/submit/").status_code == 400  # one item left


def test_a_round_of_another_agency_is_not_found(client, world, round_):
    client.force_login(factories.clerk_of(factories.AgencyFactory(), "clerk_z"))
    assert client.get(f"/followup/rounds/{round_.pk}/").status_code == 404
    item = round_.items.first()
    assert client.post(f"/followup/items/{item.pk}/report/", {"state": "delayed", "note": "x"}).status_code == 404


def test_the_api_lists_rounds_in_scope_with_findings(world, round_):
    body = _api(world["supervisor"]).get("/api/v1/review-rounds/?state=open").json()
    row = body["results"][0] if "results" in body else body[0]
    assert (row["id"], row["items"], row["reported"], row["done"], row["state"]) == (round_.pk, 2, 0, 0, "open")
    assert _api(world["supervisor"]).get("/api/v1/review-rounds/?state=nope").status_code == 400
    outsider = _api(factories.clerk_of(factories.AgencyFactory(), "clerk_api"))
    listed = outsider.get("/api/v1/review-rounds/").json()
    assert (listed.get("results", listed) if isinstance(listed, dict) else listed) == []
    assert _api(world["deputy_user"]).get(f"/api/v1/review-rounds/{round_.pk}/").status_code == 404


def test_the_api_filters_rounds_by_agency_session_origin_and_reply(world, round_):
    """Only `state` was read (by hand): `?agency=`, `?session=`, `?origin=` answered every round in scope, so a
    dashboard could not ask for one agency's rounds. Now a FilterSet, strict like the other lists."""
    other_agency = factories.AgencyFactory()
    other = ReviewRound.objects.create(
        origin="manual",
        title="专项回头看",
        agency=other_agency,
        session=world["session"],
        opened_on=D(2025, 8, 1),
        due_on=D(2025, 9, 1),
    )
    api = _api(world["supervisor"])

    def ids(query: str) -> set[int]:
        answer = api.get("/api/v1/review-rounds/" + query)
        assert answer.status_code == 200, answer.content
        body = answer.json()
        return {r["id"] for r in body.get("results", body)}

    assert ids("") == {round_.pk, other.pk}
    assert ids(f"?agency={world['agency'].pk}") == {round_.pk}
    assert ids(f"?agency={other_agency.pk}") == {other.pk}
    assert ids(f"?response={world['response'].pk}") == {round_.pk}
    assert ids("?origin=manual") == {other.pk}
    assert ids("?origin=scheduled&state=open") == {round_.pk}
    assert ids(f"?session={world['session'].pk}") == {round_.pk, other.pk}
    assert ids(f"?session={factories.SessionFactory(body=world['body']).pk}") == set()
    for bad in ("?origin=nope", "?agency=x", "?agnecy=1"):
        assert api.get("/api/v1/review-rounds/" + bad).status_code == 400, bad


def test_the_board_query_count_does_not_grow_with_rounds(client, world, django_assert_max_num_queries):
    client.force_login(world["supervisor"])
    services.review_rounds_open_due(today=D(2025, 7, 15))
    with django_assert_max_num_queries(20) as first:
        client.get("/followup/")
    for _ in range(5):
        session = factories.SessionFactory(body=world["body"])
        proposal = factories.ProposalFactory(session=session)
        response = factories.ResponseFactory(proposal=proposal, signed_on=D(2025, 1, 1), review_state="confirmed")
        factories.CommitmentFactory(response=response)
    services.review_rounds_open_due(today=D(2025, 7, 15))
    assert ReviewRound.objects.count() == 6
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/followup/")


def test_the_round_page_records_a_target_value_with_the_report(client, world, round_):
    item = round_.items.order_by("pk").first()
    target = factories.TargetFactory(commitment=item.commitment, text="5 所学校", value=5, unit="所")
    client.force_login(world["clerk"])
    page = client.get(f"/followup/rounds/{round_.pk}/").content.decode()
    assert f'name="actual_{target.pk}"' in page and "5 所学校" in page
    bad = {"state": "partly", "note": "x", f"actual_{target.pk}": "many"}
    assert client.post(f"/followup/items/{item.pk}/report/", bad).status_code == 400
    ok = {"state": "partly", "note": "已建成 3 所", f"actual_{target.pk}": "3"}
    assert client.post(f"/followup/items/{item.pk}/report/", ok).status_code == 302
    target.refresh_from_db()
    assert target.actual_value == 3


def test_a_submitted_round_notifies_its_verifiers_and_waits_on_their_home(client, world, round_):
    """Session 12 walk-through: submitting a round told no supervisor (only the board showed it)."""
    from commitments.models import Notification

    other_body_supervisor = factories.supervisor_of(factories.BodyFactory(), "sup_elsewhere")
    for item in round_.items.all():
        services.review_item_report(item=item, user=world["clerk"], state="delayed", note="资金未到位")
    client.force_login(world["supervisor"])
    assert 'id="rounds-to-verify"' not in client.get("/").content.decode()
    services.review_round_submit(round_=round_, user=world["clerk"])
    sent = Notification.objects.get()  # one for the body's supervisor, none for the clerk or another body's
    assert sent.recipient == world["supervisor"] and round_.title in sent.title
    assert sent.url == f"/followup/rounds/{round_.pk}/"
    section = client.get("/").content.decode()
    section = section[section.index('id="rounds-to-verify"') :]
    assert f'href="/followup/rounds/{round_.pk}/"' in section and "0/2 已核实" in section
    client.force_login(other_body_supervisor)
    assert 'id="rounds-to-verify"' not in client.get("/").content.decode()
