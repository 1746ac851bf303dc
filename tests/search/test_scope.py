"""Issue 13, session 6: `scope_agencies` on commitments and letters (search/scope.py), kept by PostgreSQL triggers,
and the clerk's search that reads it (search.selectors): the same hits as without it, the scope in its SQL."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.models import Commitment
from proposals.models import Assignment
from responses.models import Document
from search import selectors
from search.scope import NO_REPLY
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="scope_agencies is kept by PostgreSQL triggers"),
]


def stored(model, pk) -> list[int]:
    return list(model.objects.values_list("scope_agencies", flat=True).get(pk=pk))


def test_commitment_scope_follows_its_agencies():
    a, b, c = factories.AgencyFactory(), factories.AgencyFactory(), factories.AgencyFactory()
    commitment = factories.CommitmentFactory(response=factories.ResponseFactory(agency=a))
    assert stored(Commitment, commitment.pk) == [a.pk]
    commitment.agencies.add(c, b)
    assert stored(Commitment, commitment.pk) == sorted([a.pk, b.pk, c.pk])
    commitment.agencies.remove(a)
    assert stored(Commitment, commitment.pk) == sorted([b.pk, c.pk])
    # An instance that still holds an older value (here []) is saved: the stored scope stays.
    commitment.scope_agencies = []
    commitment.text = "力争年内建成停车场"
    commitment.save()
    assert stored(Commitment, commitment.pk) == sorted([b.pk, c.pk])
    Commitment.objects.filter(pk=commitment.pk).update(scope_agencies=[a.pk])
    assert stored(Commitment, commitment.pk) == sorted([b.pk, c.pk])
    commitment.agencies.clear()
    assert stored(Commitment, commitment.pk) == []


def test_letter_scope_follows_its_reply_and_the_items_assignments():
    a, b, c, d = (factories.AgencyFactory() for _ in range(4))
    item, other_item = factories.ProposalFactory(), factories.ProposalFactory()
    factories.AssignmentFactory(proposal=item, agency=b)
    letter = factories.DocumentFactory()
    assert stored(Document, letter.pk) == [NO_REPLY]
    reply = factories.ResponseFactory(document=letter, proposal=item, agency=a)
    assert stored(Document, letter.pk) == sorted([a.pk, b.pk])
    factories.AssignmentFactory(proposal=item, agency=c, role="co")
    assert stored(Document, letter.pk) == sorted([a.pk, b.pk, c.pk])
    Assignment.objects.filter(proposal=item, agency=b).delete()
    assert stored(Document, letter.pk) == sorted([a.pk, c.pk])
    reply.agency = d
    reply.save()
    assert stored(Document, letter.pk) == sorted([c.pk, d.pk])
    factories.AssignmentFactory(proposal=other_item, agency=b)
    reply.proposal = other_item
    reply.save()
    assert stored(Document, letter.pk) == sorted([b.pk, d.pk])
    # An assignment moved to another agency.
    Assignment.objects.filter(proposal=other_item, agency=b).update(agency=a)
    assert stored(Document, letter.pk) == sorted([a.pk, d.pk])
    # The reply moved to another letter: both letters follow.
    second = factories.DocumentFactory()
    reply.document = second
    reply.save()
    assert stored(Document, letter.pk) == [NO_REPLY]
    assert stored(Document, second.pk) == sorted([a.pk, d.pk])
    # A stale instance saved does not undo it.
    second.title = "新标题"
    second.scope_agencies = [c.pk]
    second.save()
    assert stored(Document, second.pk) == sorted([a.pk, d.pk])
    reply.delete()
    assert stored(Document, second.pk) == [NO_REPLY]


def test_rebuild_gives_what_the_triggers_kept():
    a, b = factories.AgencyFactory(), factories.AgencyFactory()
    item = factories.ProposalFactory()
    factories.AssignmentFactory(proposal=item, agency=b)
    commitment = factories.CommitmentFactory(response=factories.ResponseFactory(proposal=item, agency=a))
    commitment.agencies.add(b)
    factories.CommitmentFactory(response=None, document=factories.DocumentFactory())  # no agency at all
    factories.DocumentFactory()  # no reply
    kept = {
        Commitment: dict(Commitment.objects.values_list("pk", "scope_agencies")),
        Document: dict(Document.objects.values_list("pk", "scope_agencies")),
    }
    assert kept[Commitment][commitment.pk] == sorted([a.pk, b.pk])
    with connection.cursor() as cur:  # as a bulk load without triggers would leave them
        cur.execute("SELECT set_config('luoshi.scope_rebuild', 'on', true)")
        cur.execute("UPDATE commitments_commitment SET scope_agencies = '{7}'")
        cur.execute("UPDATE responses_document SET scope_agencies = '{}'")
        cur.execute("SELECT set_config('luoshi.scope_rebuild', '', true)")
    assert set(map(tuple, Commitment.objects.values_list("scope_agencies", flat=True))) == {(7,)}
    call_command("search_scope_rebuild", verbosity=0)
    assert dict(Commitment.objects.values_list("pk", "scope_agencies")) == kept[Commitment]
    assert dict(Document.objects.values_list("pk", "scope_agencies")) == kept[Document]


@pytest.fixture
def world():
    """Commitments and letters of two agencies, through every path a clerk's view has."""
    a, b = factories.AgencyFactory(), factories.AgencyFactory()
    clerk_a, clerk_b = factories.clerk_of(a), factories.clerk_of(b)
    item_b = factories.ProposalFactory()
    factories.AssignmentFactory(proposal=item_b, agency=a, role="co")  # a is co-assigned b's item
    factories.CommitmentFactory(text="新增停车泊位一百个", response=factories.ResponseFactory(agency=a))
    shared = factories.CommitmentFactory(text="停车场年内开工", response=factories.ResponseFactory(agency=b))
    shared.agencies.add(a)
    factories.CommitmentFactory(text="停车收费改革", response=factories.ResponseFactory(agency=b, proposal=item_b))
    factories.CommitmentFactory(text="做好停车管理", response=None, document=factories.DocumentFactory())
    factories.DocumentFactory(text="关于停车问题的答复（甲）", uploaded_by=clerk_a)  # a's upload, no reply
    factories.DocumentFactory(text="关于停车问题的答复（乙）", uploaded_by=clerk_b)  # b's upload, no reply
    factories.DocumentFactory(text="停车新闻", uploaded_by=None)  # news, no reply
    factories.ResponseFactory(agency=b, proposal=item_b, document=factories.DocumentFactory(text="停车答复丙"))
    factories.ResponseFactory(agency=b, document=factories.DocumentFactory(text="停车答复丁"))
    factories.ResponseFactory(agency=a, document=factories.DocumentFactory(text="停车答复戊"))
    both = factories.UserFactory()
    a.clerks.add(both)
    b.clerks.add(both)
    return [clerk_a, clerk_b, both]


def hits(user, q):
    return sorted((h.kind, h.pk) for h in selectors.search(user=user, q=q, limit=100).hits)


@pytest.mark.parametrize("q", ["停车", "停", "答复", "停车场"])
def test_a_clerks_search_finds_what_it_found_without_the_scope(world, monkeypatch, q):
    with_scope = {user.pk: hits(user, q) for user in world}
    monkeypatch.setattr(selectors, "clerk_agencies", lambda user: [])
    without = {user.pk: hits(user, q) for user in world}
    assert with_scope == without
    assert all(with_scope.values())  # every clerk finds something: the comparison is not of empty lists
    if q == "停车":
        # And it is the view itself: the clerk of a finds a's rows and the rows of b's item that a is assigned.
        clerk_a = world[0]
        letters = {pk for kind, pk in with_scope[clerk_a.pk] if kind == "document"}
        assert letters == set(
            Document.objects.visible_to(clerk_a).filter(text__contains="停车").values_list("pk", flat=True)
        )
        assert len(letters) == 3  # a's reply, b's reply to the co-assigned item, a's unreplied upload


def test_a_clerks_search_sql_carries_the_scope(world):
    clerk_a = world[0]
    agency = clerk_a.clerk_agencies.get()
    with CaptureQueriesContext(connection) as queries:
        selectors.search(user=clerk_a, q="停车")
    sql = "\n".join(q["sql"] for q in queries.captured_queries)
    assert f'"responses_document"."scope_agencies" && (\'{{{agency.pk},{NO_REPLY}}}\'::integer[])' in sql
    assert f'"commitments_commitment"."scope_agencies" && (\'{{{agency.pk}}}\'::integer[])' in sql
    assert "set_config('gin_fuzzy_search_limit', '0', true)" in sql


def test_a_supervisors_search_reads_no_scope_column(world):
    supervisor = factories.supervisor_of(factories.BodyFactory())
    with CaptureQueriesContext(connection) as queries:
        selectors.search(user=supervisor, q="停车")
    assert "scope_agencies" not in "\n".join(q["sql"] for q in queries.captured_queries)
