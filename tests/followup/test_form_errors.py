"""Session 13 (the session 12 walk-through's first 'left'): every follow-through form answers bad input on its own
page, the form bound with what was typed and the reasons shown, status 400 — not a separate error page with a
back link that loses a long report note."""

import datetime as dt
import re

import pytest

from followup import services
from followup.models import CommitmentPeriod, Rating, ReviewItem, ReviewRound

D = dt.date


@pytest.fixture
def round_(world):
    return services.review_rounds_open_due(today=D(2025, 7, 15))[0]


def _html(response) -> str:
    return response.content.decode()


def _assert_on_round_page(response, round_: ReviewRound):
    assert response.status_code == 400
    html = _html(response)
    assert "提交有误" not in html  # not the separate error page
    assert 'id="round-state"' in html and round_.title in html
    return html


def test_a_refused_line_report_comes_back_on_the_round_page_with_the_note_typed(client, world, round_):
    item = round_.items.order_by("pk").first()
    client.force_login(world["clerk"])
    note = "征地拆迁已完成八成，剩余两户正在协商补偿方案，预计下月签约。"
    # Refused by the service: done needs evidence.
    html = _assert_on_round_page(
        client.post(f"/followup/items/{item.pk}/report/", {"state": "done", "note": note}), round_
    )
    section = html[html.index(f'id="item-{item.pk}"') :]
    section = section[: section.index("</section>")]
    assert "已完成须提供佐证材料" in section
    assert note in section and '<option value="done" selected>' in section
    assert "<details open>" in section
    # Refused by the form: an unreadable link; what was typed is still there.
    html = _assert_on_round_page(
        client.post(f"/followup/items/{item.pk}/report/", {"state": "delayed", "note": note, "evidence_url": "a b"}),
        round_,
    )
    assert note in html and 'value="a b"' in html
    # The other line's form is a fresh one, with ids of its own.
    other = round_.items.exclude(pk=item.pk).get()
    assert f'id="id_{other.pk}_note"' in html and f'id="id_{item.pk}_note"' in html
    item.refresh_from_db()
    assert item.reported_state == ""


def test_a_refused_submit_answers_on_the_round_page(client, world, round_):
    client.force_login(world["clerk"])
    response = client.post(f"/followup/rounds/{round_.pk}/submit/")
    html = _assert_on_round_page(response, round_)
    assert 'class="msg error"' in html
    round_.refresh_from_db()
    assert round_.state == "open"


def test_a_refused_verdict_comes_back_on_the_round_page_bound(client, world, round_):
    for item in round_.items.all():
        services.review_item_report(item=item, user=world["clerk"], state="delayed", note="x")
    services.review_round_submit(round_=round_, user=world["clerk"])
    item = round_.items.order_by("pk").first()
    client.force_login(world["supervisor"])
    # A return without a reason is refused by the service; the choice made stays chosen.
    html = _assert_on_round_page(client.post(f"/followup/items/{item.pk}/verify/", {"accept": "0", "note": ""}), round_)
    section = html[html.index(f'id="item-{item.pk}"') :]
    section = section[: section.index("</section>")]
    assert '<option value="0" selected>' in section and 'class="errorlist' in section
    # No verdict chosen: the form's own error, the note typed kept.
    html = _assert_on_round_page(
        client.post(f"/followup/items/{item.pk}/verify/", {"note": "材料不全，请补充"}), round_
    )
    assert 'value="材料不全，请补充"' in html
    assert ReviewItem.objects.filter(verdict="").count() == 2


def test_a_refused_staff_rating_comes_back_on_the_round_page(client, world, round_):
    client.force_login(world["clerk"])
    data = {"collected_by": "agency", "attitude": "satisfied", "comment": "电话回访，代表表示认可", "round": round_.pk}
    html = _assert_on_round_page(client.post(f"/my/replies/{world['response'].pk}/rate/", data), round_)
    staff = html[html.index('id="staff-rating"') :]
    assert (
        "电话回访，代表表示认可" in staff
        and re.search(r'name="attitude" value="satisfied"[^>]*checked', staff)
        and 'class="errorlist' in staff
    )
    assert Rating.objects.count() == 0
    data["result"] = "satisfied"
    response = client.post(
        f"/my/replies/{world['response'].pk}/rate/", {**data, "next": f"/followup/rounds/{round_.pk}/"}
    )
    assert response.status_code == 302 and Rating.objects.count() == 1


def test_a_refused_rating_comes_back_on_the_proposers_page(client, world):
    client.force_login(world["deputy_user"])
    data = {"attitude": "satisfied", "result": "great", "comment": "希望加快进度"}
    response = client.post(f"/my/replies/{world['response'].pk}/rate/", data)
    assert response.status_code == 400
    html = _html(response)
    reply = html[html.index(f'id="reply-{world["response"].pk}"') :]
    assert "提交有误" not in html and "希望加快进度" in reply and 'class="errorlist' in reply
    assert re.search(r'name="attitude" value="satisfied"[^>]*checked', reply)
    assert Rating.objects.count() == 0


def test_a_refused_period_report_comes_back_on_the_commitment_page(client, world):
    duty = world["commitments"][0]
    duty.recurrence = "quarterly"
    duty.save()
    services.commitment_periods_sync(commitment=duty, today=D(2025, 2, 1))
    period = CommitmentPeriod.objects.get(commitment=duty, number=2)
    client.force_login(world["clerk"])
    response = client.post(
        f"/followup/periods/{period.pk}/met/", {"note": "二季度调度会已召开", "evidence_url": "not a link"}
    )
    assert response.status_code == 400
    html = _html(response)
    assert "提交有误" not in html and 'id="periods"' in html
    row = html[html.index('id="period-2"') : html.index('id="period-3"')]
    assert "<details open>" in row and "二季度调度会已召开" in row and 'class="errorlist' in row
    assert 'value="not a link"' in row
    assert "<details open>" not in html[html.index('id="period-3"') :]  # only the refused period's form
    period.refresh_from_db()
    assert period.met_at is None
