"""Concurrent follow-through writes end in one success and a 409, never a 500 or a second row or history entry."""

import datetime as dt

import pytest

from commitments.models import ProgressUpdate
from followup import services
from followup.models import Rating, ReviewRound
from tests.api.conftest import client_for
from tests.commitments.test_races import run_together, statuses

pytestmark = pytest.mark.django_db(transaction=True)

URL = "https://example.gov.cn/evidence"


@pytest.fixture
def submitted(world):
    round_ = services.review_rounds_open_due(today=dt.date(2025, 7, 15))[0]
    for item in round_.items.all():
        services.review_item_report(item=item, user=world["clerk"], state="done", evidence_url=URL)
    return round_


def test_two_concurrent_submits_one_409(world, submitted):
    clients = [client_for(world["clerk"]), client_for(world["clerk"])]
    url = f"/api/v1/review-rounds/{submitted.pk}/submit/"
    assert statuses(run_together(2, lambda i: clients[i].post(url))) == [200, 409]
    assert ReviewRound.objects.get(pk=submitted.pk).state == "submitted"


def test_two_concurrent_verifications_record_each_outcome_once(world, submitted):
    services.review_round_submit(round_=submitted, user=world["clerk"])
    clients = [client_for(world["supervisor"]), client_for(world["supervisor"])]
    verdicts = [{"item": i.pk, "accept": True} for i in submitted.items.all()]
    url = f"/api/v1/review-rounds/{submitted.pk}/verify/"
    results = run_together(2, lambda i: clients[i].post(url, {"verdicts": verdicts}, format="json"))
    assert statuses(results) == [200, 409]
    assert ProgressUpdate.objects.filter(commitment__response=world["response"]).count() == 2


def test_two_concurrent_first_ratings_leave_one(world):
    clients = [client_for(world["deputy_user"]), client_for(world["deputy_user"])]
    payload = {"response": world["response"].pk, "attitude": "satisfied", "result": "satisfied"}
    results = run_together(2, lambda i: clients[i].post("/api/v1/ratings/", payload, format="json"))
    assert statuses(results) == [201, 409]
    assert Rating.objects.count() == 1


def test_two_concurrent_period_reports_one_409(world):
    duty = world["commitments"][0]
    duty.recurrence = "quarterly"
    duty.save()
    period = services.commitment_periods_sync(commitment=duty, today=dt.date(2025, 2, 1))[0]
    clients = [client_for(world["clerk"]), client_for(world["clerk"])]
    url = f"/api/v1/periods/{period.pk}/met/"
    results = run_together(2, lambda i: clients[i].post(url, {"note": f"第{i}次"}, format="json"))
    assert statuses(results) == [200, 409]
