"""Real earlier and later documents from corpus/evidence, stored as the evidence service sees them."""

from pathlib import Path

import pytest

from tests import factories

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "evidence"


def read(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def earlier_commitment(name: str, quote: str, *, agency=None, **fields):
    """A commitment quoted from a corpus document, its span and document as extraction would have stored them."""
    text = read(name)
    start = text.index(quote)
    document = factories.DocumentFactory(text=text, title=text.strip().splitlines()[0][:300], original_name=name)
    response = factories.ResponseFactory(document=document, **({"agency": agency} if agency else {}))
    fields.setdefault("text", quote)
    return factories.CommitmentFactory(
        response=response, start=start, end=start + len(quote), deadline=None, precision="none", **fields
    )


@pytest.fixture
def hospital(db):
    """长沙市四医院滨水新城院区 (a reply of 2019), promised to run in the second half of 2020."""
    return earlier_commitment("e01_changsha_siyuan_reply_2019.txt", "预计在2020年下半年运行")


@pytest.fixture
def bridge(db):
    """富龍西江特大橋 (2024, traditional script): to open within the year."""
    return earlier_commitment("e05_fulong_xijiang_2024.txt", "爭取年內盡快完工并通車")


@pytest.fixture
def boss(hospital):
    """A supervisor of the body the hospital item came from."""
    return factories.supervisor_of(hospital.proposal.session.body, "boss")


@pytest.fixture
def hospital_clerk(hospital):
    """A clerk of the agency responsible for the hospital commitment."""
    return factories.clerk_of(hospital.agency, "hospital_clerk")
