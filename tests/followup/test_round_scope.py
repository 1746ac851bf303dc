"""Session 20: a round is seen and worked by the agencies its lines belong to, and each sees only its own lines.

A reply of agency A whose letter makes agency B lead of a commitment ("由市交通运输局负责…") gets a round for A with
B's line in it. Before session 20 only A's clerks saw and were reminded of that round, and they may not report B's
line (services.can_report), so nobody but a supervisor could complete it; and a clerk shown a round shared with another
agency read that agency's lines, and downloaded its evidence through the API.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from commitments.models import Reminder
from followup import services
from followup.choices import RoundState
from followup.models import ReviewRound
from tests import factories

from .conftest import remind

D = dt.date


def _other_led_line(world):
    """Agency B leads one commitment of A's reply; the reply's 6-month round opens with it."""
    other = factories.AgencyFactory(name="市交通运输局")
    clerk_b = factories.clerk_of(other, "clerk_b")
    led_by_b = factories.CommitmentFactory(
        response=world["response"], agency=other, text="由市交通运输局负责改造东风路", deadline=D(2025, 10, 1)
    )
    [round_] = services.review_rounds_open_due(today=D(2025, 7, 15))
    return round_, clerk_b, round_.items.get(commitment=led_by_b)


def test_the_agency_leading_a_line_of_another_agencys_reply_sees_reports_and_is_reminded_of_it(world, client):
    round_, clerk_b, line = _other_led_line(world)
    assert round_.agency == world["agency"] and round_.items.count() == 3
    assert list(ReviewRound.objects.visible_to(clerk_b)) == [round_]

    remind(D(2025, 8, 7))  # 7 days before the due date (2025-08-14)
    reminded = set(Reminder.objects.filter(subject_type="round").values_list("recipient__username", flat=True))
    assert reminded == {"clerk_f", "clerk_b"}

    # B reports its line from the round page, A its two: the round can be submitted.
    client.force_login(clerk_b)
    page = client.get(f"/followup/rounds/{round_.pk}/").content.decode()
    assert "东风路" in page and f'action="/followup/items/{line.pk}/report/' in page
    assert "本轮另有 2 条承诺由其他单位填报（尚有 2 条未填报）" in page
    answer = client.post(f"/followup/items/{line.pk}/report/", {"state": "in_progress", "note": "已完成设计招标"})
    assert answer.status_code == 302
    for item in round_.items.exclude(pk=line.pk):
        services.review_item_report(item=item, user=world["clerk"], state="in_progress", note="推进中")
    services.review_round_submit(round_=round_, user=world["clerk"])
    assert ReviewRound.objects.get(pk=round_.pk).state == RoundState.SUBMITTED


def test_a_clerk_sees_only_his_agencys_lines_of_a_shared_round_and_never_anothers_evidence(world, client):
    round_, clerk_b, line = _other_led_line(world)
    services.review_item_report(
        item=line, user=clerk_b, state="done", evidence_file=SimpleUploadedFile("验收.txt", "东风路验收".encode())
    )
    client.force_login(world["clerk"])
    page = client.get(f"/followup/rounds/{round_.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "东风路" not in text and "本轮另有 1 条承诺由其他单位填报（尚有 0 条未填报）" in text
    detail = client.get(f"/api/v1/review-rounds/{round_.pk}/").json()
    assert detail["items"] == 3 and detail["other_lines"] == 1
    assert line.pk not in {x["id"] for x in detail["lines"]} and "东风路" not in str(detail)
    assert client.get(f"/api/v1/review-rounds/{round_.pk}/items/{line.pk}/file/").status_code == 404
    assert client.get(f"/followup/items/{line.pk}/file/").status_code == 404
    report = client.post(
        f"/api/v1/review-rounds/{round_.pk}/items/{line.pk}/report/",
        {"state": "in_progress", "note": "改写"},
        content_type="application/json",
    )
    assert report.status_code == 404
    # B, whose line it is, downloads it; the supervisor sees every line.
    client.force_login(clerk_b)
    assert client.get(f"/api/v1/review-rounds/{round_.pk}/items/{line.pk}/file/").status_code == 200
    client.force_login(world["supervisor"])
    assert client.get(f"/api/v1/review-rounds/{round_.pk}/").json()["other_lines"] == 0


def test_a_round_over_one_agency_is_not_shown_to_another_bodys_supervisor(world, client):
    round_ = services.review_round_open(
        user=world["supervisor"], agency=world["agency"], due_on=D(2025, 4, 1), today=D(2025, 3, 1)
    )
    other_body_supervisor = factories.supervisor_of(factories.BodyFactory(), "sup_other")
    assert not ReviewRound.objects.visible_to(other_body_supervisor).exists()
    client.force_login(other_body_supervisor)
    assert client.get(f"/followup/rounds/{round_.pk}/").status_code == 404
    assert client.get("/api/v1/review-rounds/").json()["count"] == 0
    assert ReviewRound.objects.visible_to(world["supervisor"]).get() == round_
