import datetime as dt

import pytest
from django.utils import translation

from commitments.reply_logging import ReplyInput, reply_log
from commitments.services import CommitmentInput, TargetInput
from proposals.services import proposal_assign
from tests import factories


@pytest.fixture(autouse=True)
def _hand_weighted_evidence_scorer(request, monkeypatch):
    """The evidence matcher scores with the hand-weighted formula in tests: the rules' tests and the flows' fixtures
    assert its weights' effects (a conflict's cost, one candidate alone suggested). The shipped learned model is
    tested where a module sets ``SCORER_AS_SHIPPED = True`` (tests/evidence/test_ranker.py); its figures on the
    evidence sets are in docs/evidence.md."""
    if getattr(request.module, "SCORER_AS_SHIPPED", False):
        return
    from evidence import ranker

    monkeypatch.setattr(ranker, "current_model", lambda: ranker.HAND)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in English (LocaleMiddleware activates it and leaves it
    active in the thread) must not turn the messages of a later test's direct service calls into English."""
    yield
    translation.deactivate()


@pytest.fixture
def agency(db):
    return factories.AgencyFactory()


@pytest.fixture
def commitment(db):
    return factories.CommitmentFactory()


@pytest.fixture
def clerk(commitment):
    """A clerk of the agency responsible for `commitment`."""
    return factories.clerk_of(commitment.agency, "clerk_a")


@pytest.fixture
def supervisor(commitment):
    """A supervisor of the body that `commitment`'s item came from."""
    return factories.supervisor_of(commitment.proposal.session.body, "supervisor_a")


@pytest.fixture
def other_clerk(db):
    """A clerk of an unrelated agency."""
    return factories.clerk_of(factories.AgencyFactory(), "clerk_b")


@pytest.fixture
def logged_reply(db):
    """A clerk's reply logged with three dated commitments (the first with a target), its item assigned."""
    agency = factories.AgencyFactory()
    proposal = factories.ProposalFactory(status="assigned")
    proposal_assign(proposal=proposal, agency=agency)
    clerk = factories.clerk_of(agency)
    document = factories.DocumentFactory(uploaded_by=clerk)
    reply = ReplyInput(
        agency_name=agency.name,
        doc_number="测函〔2024〕1号",
        proposal=proposal,
        commitments=[
            CommitmentInput(
                text="力争2025年底前建成10个中心",
                deadline=dt.date(2025, 12, 31),
                targets=[TargetInput("10个", 10, "个")],
            ),
            CommitmentInput(text="2026年出台办法", deadline=dt.date(2026, 6, 30)),
            CommitmentInput(text="2027年完成评估", deadline=dt.date(2027, 6, 30)),
        ],
    )
    response = reply_log(document=document, reply=reply, user=clerk)
    first, second, third = response.commitments.order_by("pk")
    return {
        "reply": reply,
        "response": response,
        "clerk": clerk,
        "first": first,
        "second": second,
        "third": third,
        "document": document,
        "proposal": proposal,
    }
