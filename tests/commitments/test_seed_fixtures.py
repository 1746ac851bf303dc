"""The seed loader: what the five seed documents state ends up in the database, once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from commitments.models import Commitment
from proposals.models import Agency, Body, Proposal, Proposer, Session
from responses.models import Document, Response

pytest.importorskip("responses.extraction")
pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    call_command("load_seed_fixtures", verbosity=0)


def _counts():
    return {
        m.__name__: m.objects.count()
        for m in (Body, Session, Proposer, Proposal, Agency, Document, Response, Commitment)
    }


def test_loader_creates_what_the_seeds_state(loaded):
    assert Document.objects.count() == 5
    assert Response.objects.count() == 4  # seed 004 is a newspaper report, not a reply
    assert set(Body.objects.values_list("kind", flat=True)) == {"npc", "cppcc"}
    assert set(Proposal.objects.values_list("number", flat=True)) == {"153018", "153240", "141040", "11030066"}
    assert Session.objects.filter(name="昆明市第十五届人大三次会议", term=15, meeting=3).exists()
    assert set(Proposer.objects.values_list("name", flat=True)) >= {
        "张顺奎",
        "兰亚琼",
        "王蓉",
        "叶绍锋",
        "民建昆明市委",
        "民革楚雄州委",
    }
    assert Proposer.objects.get(name="民建昆明市委").kind == "organisation"
    assert Agency.objects.filter(name="昆明市发展和改革委员会").exists()
    reply = Response.objects.get(doc_number="昆发改易地函〔2023〕20号")
    assert reply.signed_on == dt.date(2023, 5, 30) and reply.category == "a" and reply.disclosure == "public"
    assert reply.proposal.number == "153018"
    assert Commitment.objects.filter(document__kind="news").exists()


def test_loader_finds_the_named_commitments(loaded):
    effect = Commitment.objects.get(text__contains="争取在 2025 年内取得实效")
    assert effect.deadline == dt.date(2025, 12, 31) and effect.precision == "year"
    park = Commitment.objects.get(text__contains="力争到 2026 年培育形成 300 亿元园区")
    assert park.deadline == dt.date(2026, 12, 31)
    assert park.targets.filter(value=Decimal("30000000000"), unit="元").exists()
    new_plants = Commitment.objects.get(text__contains="年内新")
    assert new_plants.deadline == dt.date(2023, 12, 31)


def test_loader_is_idempotent(loaded):
    before = _counts()
    call_command("load_seed_fixtures", verbosity=0)
    assert _counts() == before


def test_commitments_keep_their_section_heading(loaded):
    park = Commitment.objects.get(text__contains="力争到 2026 年培育形成 300 亿元园区")
    assert "园区建设方面" in park.section
    assert park.section_kind == "next"
