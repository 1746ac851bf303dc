import pytest

from tests import factories


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
