"""The commitment list written by PostgreSQL (commitments/page_sql.py) equals the ORM path's, JSON for JSON.

Every request below is made twice, with API_LIST_SQL_JSON on and off, by users of every kind of scope, over
filters, orderings and pages; the answers (status, body, and the error body of bad parameters) must be equal,
and the SQL path must have answered every request it supports.
"""

import datetime as dt
from decimal import Decimal

import orjson
import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.utils import timezone

from commitments import page_sql, selectors
from commitments.models import Commitment
from proposals.models import ProposalProposer

from .conftest import client_for, factories

NOW = dt.datetime(2025, 6, 15, 4, 0, tzinfo=dt.UTC)  # 2025-06-15 12:00 in Asia/Shanghai


@pytest.fixture
def world(db):
    """Agencies, bodies, sessions, items, replies and commitments with the values a row can hold: nulls, Chinese
    and awkward text, decimals, dates, timestamps with and without microseconds, co-responsible agencies."""
    w = {}
    w["body1"], w["body2"] = factories.BodyFactory(), factories.BodyFactory()
    s1, s2 = factories.SessionFactory(body=w["body1"]), factories.SessionFactory(body=w["body2"])
    w["session2"] = s2
    jia, yi, bing = (factories.AgencyFactory(name=n) for n in ("甲局", "乙局", "丙局"))
    w["jia"], w["yi"], w["bing"] = jia, yi, bing
    key_item = factories.ProposalFactory(session=s1, is_key=True)
    other_item = factories.ProposalFactory(session=s2, kind="proposal")
    w["key_item"] = key_item
    reply1 = factories.ResponseFactory(proposal=key_item, agency=jia)
    reply2 = factories.ResponseFactory(proposal=other_item, agency=yi)
    w["reply2"] = reply2
    owner = factories.UserFactory()

    def make(reply, **kwargs):
        return factories.CommitmentFactory(response=reply, **kwargs)

    rows = [
        make(reply1, deadline=dt.date(2025, 1, 31), text="完成“智慧停车”平台建设\n（一期）\\ \u2028 🚗"),
        make(reply1, deadline=dt.date(2025, 6, 14), status="fulfilled", closed_on=dt.date(2025, 6, 1)),
        make(reply1, deadline=dt.date(2025, 6, 15), strength="will", precision="day", is_vague=True),
        make(reply1, deadline=dt.date(2025, 7, 1), recurrence="yearly", owner=owner, section="三、下一步工作"),
        make(reply1, deadline=None, precision="none", deadline_text="尽快", is_vague=True),
        make(reply2, deadline=dt.date(2024, 12, 31), status="missed", agency_names=["乙局", '市"发改委"']),
        make(reply2, deadline=dt.date(2025, 3, 1), section_kind="next", start=10, end=42),
        make(reply2, deadline=dt.date(2026, 12, 31), strength="will"),
        make(None, deadline=dt.date(2025, 2, 1), document=factories.DocumentFactory()),  # news: no item, no agency
        make(None, deadline=dt.date(2025, 2, 1), agency=bing, document=factories.DocumentFactory()),
    ]
    rows[0].agencies.add(yi, bing)
    rows[6].agencies.add(jia)
    factories.TargetFactory(commitment=rows[0], value=Decimal("123456789012345678.1234"), text="停车位 5 万个")
    factories.TargetFactory(
        commitment=rows[0],
        value=Decimal("2.5"),
        actual_value=Decimal("0"),
        actual_recorded_on=dt.date(2025, 5, 1),
        actual_note="“已完成”",
    )
    factories.TargetFactory(commitment=rows[6], value=Decimal("-1.0001"), unit="%")
    # Timestamps: whole seconds and microseconds, and one written in another offset.
    stamps = [
        dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.UTC),
        dt.datetime(2024, 3, 1, 8, 0, 0, 1, tzinfo=dt.UTC),
        dt.datetime(2024, 12, 31, 20, 30, 15, 999999, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        # Before the zone's steady offset (page_sql._steady_offset): Shanghai kept summer time in 1988 (+09:00).
        dt.datetime(1988, 7, 1, 3, 4, 5, tzinfo=dt.UTC),
    ]
    for i, c in enumerate(rows):
        Commitment.objects.filter(pk=c.pk).update(created_at=stamps[i % 4], updated_at=stamps[(i + 1) % 4])
    w["rows"] = rows
    return w


def _users(w):
    view_all = factories.UserFactory()
    view_all.user_permissions.add(
        Permission.objects.get(codename="view_all_items", content_type__app_label="proposals")
    )
    both = factories.clerk_of(w["yi"])
    w["body1"].supervisors.add(both)
    proposer = factories.UserFactory()
    ProposalProposer.objects.create(proposal=w["key_item"], proposer=factories.ProposerFactory(user=proposer))
    of_two = factories.clerk_of(w["yi"])
    w["bing"].clerks.add(of_two)
    return {
        "superuser": factories.UserFactory(is_superuser=True),
        "view_all": view_all,
        "clerk": factories.clerk_of(w["jia"]),
        "clerk_of_two": of_two,
        "supervisor": factories.supervisor_of(w["body2"]),
        "supervisor_and_clerk": both,
        "nobody": factories.UserFactory(),
        "proposer": proposer,  # the generic path
    }


def _queries(w) -> list[str]:
    jia, yi, bing = w["jia"].pk, w["yi"].pk, w["bing"].pk
    return [
        "",
        "overdue=true",
        "overdue=false",
        "overdue=1&ordering=-deadline",
        f"overdue=true&agency={jia}&page_size=50",
        f"overdue=true&agency={yi}",
        f"agency={bing}",
        f"agencies={yi}",
        f"agencies={jia}&status=open",
        "status=open",
        "status=open&status=missed",
        "status=fulfilled&status=missed&status=open",
        "strength=will",
        "strength=will&precision=day",
        "precision=none",
        "due_within=0",
        "due_within=30",
        "due_within=3660&ordering=-updated_at",
        "deadline_after=2025-02-01",
        "deadline_before=2025-06-15&deadline_after=2024-12-31",
        f"body={w['body1'].pk}",
        f"session={w['session2'].pk}",
        f"proposal={w['key_item'].pk}",
        f"response={w['reply2'].pk}",
        "kind=proposal",
        "kind=suggestion&is_key=true",
        "is_key=false",
        "updated_since=2024-03-01T08:00:00Z",
        "updated_since=2024-03-01T16:00:00.000001%2B08:00",
        "ordering=deadline",
        "ordering=-deadline",
        "ordering=updated_at",
        "ordering=-created_at,deadline",
        "ordering=-id",
        "ordering=id,-deadline",
        "ordering=updated_at,-deadline",
        "ordering=-created_at,-deadline,id",
        "ordering=created_at,updated_at",
        "page_size=3",
        "page_size=3&page=2",
        "page_size=3&page=last",
        "page_size=4&page=3&ordering=-deadline",
        "page_size=1&page=2&overdue=false",
        "page_size=100&page=1",
        "page=2",
        "page=0",
        "page_size=0",
        "overdue=maybe",
        "agency=abc",
        "ordering=text",
        "stauts=open",
        "due_within=99999",
        "deadline_after=2025-13-01",
        "q=停车",
        "q=停车&overdue=true",
        f"agency={jia}&agencies={bing}&status=open&ordering=-deadline&page_size=2",
        "agency=999999&overdue=true",
    ]


@pytest.fixture
def sql_answers(monkeypatch):
    """Counts the requests the SQL path answered."""
    answered = []
    original = page_sql.page_query

    def spy(**kwargs):
        page = original(**kwargs)
        answered.append(page is not None)
        return page

    monkeypatch.setattr(page_sql, "page_query", spy)
    return answered


@pytest.mark.parametrize(
    "who",
    ["superuser", "view_all", "clerk", "clerk_of_two", "supervisor", "supervisor_and_clerk", "nobody", "proposer"],
)
def test_the_sql_page_equals_the_orm_page(world, who, settings, sql_answers):
    api = client_for(_users(world)[who])
    compared = 0
    with time_machine.travel(NOW, tick=False):
        for query in _queries(world):
            path = f"/api/v1/commitments/?{query}"
            settings.API_LIST_SQL_JSON = False
            orm = api.get(path)
            settings.API_LIST_SQL_JSON = True
            del sql_answers[:]
            sql = api.get(path)
            assert sql.status_code == orm.status_code, (query, sql.content[:300])
            # Equal, keys in the same order: the parsed bodies written again byte for byte.
            assert orjson.dumps(sql.json()) == orjson.dumps(orm.json()), query
            compared += bool(orm.status_code == 200 and orm.json()["results"])
            if sql.status_code == 200:
                # Every supported request took the SQL path: all but the search and a proposer's scope.
                assert sql_answers == [who != "proposer" and "q=" not in query], query
    assert compared >= (0 if who == "nobody" else 15)


def test_the_sql_page_writes_every_value_as_the_serializer_does(world, settings):
    api = client_for(factories.UserFactory(is_superuser=True))
    with time_machine.travel(NOW, tick=False):
        settings.API_LIST_SQL_JSON = True
        body = api.get("/api/v1/commitments/?ordering=id&page_size=100").json()
    by_id = {r["id"]: r for r in body["results"]}
    first = by_id[world["rows"][0].pk]
    assert first["text"] == "完成“智慧停车”平台建设\n（一期）\\ \u2028 🚗"
    assert [a["name"] for a in first["agencies"]] == sorted(["甲局", "乙局", "丙局"])
    assert [t["value"] for t in first["targets"]] == ["123456789012345678.1234", "2.5000"]
    assert first["targets"][1]["actual_value"] == "0.0000" and first["targets"][1]["actual_recorded_on"] == "2025-05-01"
    assert first["overdue"] is True and first["deadline"] == "2025-01-31"
    assert first["created_at"] == "2024-03-01T16:00:00+08:00"
    assert first["updated_at"] == "2024-03-01T16:00:00.000001+08:00"
    assert by_id[world["rows"][3].pk]["created_at"] == "1988-07-01T12:04:05+09:00"
    assert by_id[world["rows"][2].pk]["overdue"] is False  # due today
    assert by_id[world["rows"][2].pk]["created_at"] == "2025-01-01T09:30:15.999999+08:00"
    news = by_id[world["rows"][8].pk]
    assert news["agency"] is None and news["agencies"] == [] and news["session"] is None and news["targets"] == []
    assert by_id[world["rows"][6].pk]["targets"][0]["value"] == "-1.0001"


def test_datetimes_in_another_current_time_zone(world, settings):
    api = client_for(factories.UserFactory(is_superuser=True))
    for zone in ("UTC", "America/New_York", "America/St_Johns", "Asia/Kathmandu"):
        settings.TIME_ZONE = zone
        timezone.deactivate()
        answers = []
        for on in (False, True):
            settings.API_LIST_SQL_JSON = on
            answers.append(api.get("/api/v1/commitments/?page_size=100").json())
        assert answers[0] == answers[1], zone
        stamps = {r["created_at"] for r in answers[1]["results"]}
        if zone == "UTC":
            assert "2024-03-01T08:00:00Z" in stamps


def test_the_steady_offset_of_a_zone():
    import zoneinfo

    moscow = page_sql._steady_offset(zoneinfo.ZoneInfo("Europe/Moscow"), dt.date(2025, 6, 15))
    assert moscow == (dt.datetime(2014, 10, 25, 22, 0, tzinfo=dt.UTC), "+03:00")
    assert page_sql._steady_offset(zoneinfo.ZoneInfo("Asia/Shanghai"), dt.date(2025, 6, 15)) == (
        page_sql.STEADY_SINCE_AT_MOST,
        "+08:00",
    )
    assert page_sql._steady_offset(zoneinfo.ZoneInfo("UTC"), dt.date(2025, 6, 15))[1] == "Z"
    assert page_sql._steady_offset(zoneinfo.ZoneInfo("America/New_York"), dt.date(2025, 6, 15)) == (None, "")


def test_a_list_longer_than_the_bound_takes_its_total_from_the_tallies_or_a_count(world, settings, monkeypatch):
    api = client_for(factories.UserFactory(is_superuser=True))
    monkeypatch.setattr(selectors, "PAGE_COUNT_BOUND", 2)
    with time_machine.travel(NOW, tick=False):
        for query in ("", "status=open", "strength=strive&overdue=false", "page=last&page_size=3", "overdue=true"):
            settings.API_LIST_SQL_JSON = False
            orm = api.get(f"/api/v1/commitments/?{query}").json()
            settings.API_LIST_SQL_JSON = True
            sql = api.get(f"/api/v1/commitments/?{query}").json()
            assert sql == orm and sql["count"] > 2, query


def test_the_sql_page_is_one_query_for_a_clerk(world, django_assert_num_queries, settings):
    clerk = factories.clerk_of(world["jia"])
    api = client_for(clerk)
    path = f"/api/v1/commitments/?overdue=true&agency={world['jia'].pk}&page_size=50"
    with time_machine.travel(NOW, tick=False):
        assert api.get(path).status_code == 200  # the token is cached
        with django_assert_num_queries(1):
            body = api.get(path).json()
    assert body["count"] == 1 and body["results"][0]["id"] == world["rows"][0].pk


def test_indented_and_browsable_renderings_parse_the_sql_page(world, settings):
    api = client_for(factories.UserFactory(is_superuser=True))
    compact = api.get("/api/v1/commitments/").json()
    indented = api.get("/api/v1/commitments/", HTTP_ACCEPT="application/json; indent=2")
    assert indented.status_code == 200 and b'\n  "count"' in indented.content
    assert indented.json() == compact
    browsable = api.get("/api/v1/commitments/", HTTP_ACCEPT="text/html")
    assert browsable.status_code == 200 and "甲局" in browsable.content.decode()
    # U+2028 is escaped as DRF escapes it, in the embedded page too.
    assert b"\xe2\x80\xa8" not in api.get("/api/v1/commitments/").content


def test_etag_and_304_on_the_sql_page(world):
    api = client_for(factories.UserFactory(is_superuser=True))
    first = api.get("/api/v1/commitments/")
    assert first.status_code == 200 and first["ETag"]
    again = api.get("/api/v1/commitments/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    Commitment.objects.filter(pk=world["rows"][0].pk).update(text="改了")
    assert api.get("/api/v1/commitments/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_sql_page_keeps_scope_token_and_throttle_checks(world, settings):
    from rest_framework.settings import api_settings

    from accounts.models import ApiToken
    from accounts.services import api_token_revoke
    from config.api import TokenRateThrottle

    settings.API_LIST_SQL_JSON = True
    bing_clerk = factories.clerk_of(world["bing"])
    api = client_for(bing_clerk, read_only=True)
    # Another agency's list: only what the clerk's agency shares (row 0 names 丙局 as co-responsible).
    body = api.get(f"/api/v1/commitments/?agency={world['jia'].pk}").json()
    assert [r["id"] for r in body["results"]] == [world["rows"][0].pk] and body["count"] == 1
    own = api.get(f"/api/v1/commitments/?agency={world['bing'].pk}").json()
    assert [r["id"] for r in own["results"]] == [world["rows"][9].pk]
    api_token_revoke(token=ApiToken.objects.get(user=bing_clerk))
    assert api.get("/api/v1/commitments/").status_code == 401
    old = TokenRateThrottle.THROTTLE_RATES
    TokenRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "token": "2/minute"}
    try:
        api = client_for(bing_clerk)
        assert [api.get("/api/v1/commitments/").status_code for _ in range(3)] == [200, 200, 429]
    finally:
        TokenRateThrottle.THROTTLE_RATES = old


def test_a_repeated_page_is_prepared_once_and_keeps_its_plan(world, settings):
    from django.db import connection

    if not connection.settings_dict["OPTIONS"].get("server_side_binding"):
        pytest.skip("psycopg prepares statements with server-side binding only")
    settings.API_LIST_SQL_JSON = True
    api = client_for(factories.UserFactory(is_superuser=True))
    for _ in range(8):
        assert api.get("/api/v1/commitments/?overdue=true&page_size=3").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%json_agg(s.r ORDER BY%"],
        )
        plans = cursor.fetchall()
    # One statement (the values are part of its text), run from its cached plan despite force_custom_plan.
    assert len(plans) == 1 and plans[0][0] >= 2 and plans[0][1] == 0
