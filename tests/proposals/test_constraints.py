import pytest
from django.db import IntegrityError, transaction

from commitments.models import ChangeRequest, Commitment, Reminder
from proposals.models import Agency, Proposal, Proposer
from responses.models import Document, Response
from tests import factories

pytestmark = pytest.mark.django_db


def _rejects(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_proposal_number_is_unique_within_its_session():
    first = factories.ProposalFactory(number="153018")
    _rejects(lambda: factories.ProposalFactory(session=first.session, number="153018"))


def test_same_proposal_number_is_allowed_in_another_session():
    first = factories.ProposalFactory(number="153018")
    other = factories.ProposalFactory(number="153018")
    assert other.session_id != first.session_id


def test_doc_number_is_unique_per_agency():
    first = factories.ResponseFactory(doc_number="昆发改易地函〔2023〕20号")
    _rejects(lambda: factories.ResponseFactory(agency=first.agency, doc_number="昆发改易地函〔2023〕20号"))


def test_same_doc_number_from_another_agency_and_blank_numbers_are_allowed():
    first = factories.ResponseFactory(doc_number="某函〔2023〕1号")
    factories.ResponseFactory(doc_number="某函〔2023〕1号")
    factories.ResponseFactory(agency=first.agency, doc_number="")
    factories.ResponseFactory(agency=first.agency, doc_number="")
    assert Response.objects.filter(agency=first.agency, doc_number="").count() == 2


def test_document_content_hash_is_unique():
    first = factories.DocumentFactory()
    _rejects(lambda: factories.DocumentFactory(content_hash=first.content_hash))


def test_reminder_is_unique_per_recipient_subject_kind_and_due_date():
    user = factories.UserFactory()
    key = {
        "recipient": user,
        "subject_type": "commitment",
        "subject_id": 1,
        "kind": "deadline_due",
        "due_on": "2025-12-01",
    }
    Reminder.objects.create(**key)
    _rejects(lambda: Reminder.objects.create(**key))
    Reminder.objects.create(**{**key, "due_on": "2025-12-02"})


def test_choice_fields_reject_unknown_values():
    _rejects(lambda: factories.CommitmentFactory(status="done"))
    _rejects(lambda: factories.CommitmentFactory(strength="maybe"))
    _rejects(lambda: factories.ProposalFactory(kind="petition"))
    _rejects(lambda: factories.ResponseFactory(category="z"))
    _rejects(lambda: Proposer.objects.create(name="某人", kind="alien"))


def test_deadline_and_precision_agree():
    _rejects(lambda: factories.CommitmentFactory(deadline=None, precision="year"))
    _rejects(lambda: factories.CommitmentFactory(precision="none"))
    factories.CommitmentFactory(deadline=None, precision="none", deadline_text="尽快")


def test_extension_request_needs_a_deadline_and_only_one_may_be_pending():
    commitment = factories.CommitmentFactory()
    _rejects(lambda: factories.ChangeRequestFactory(commitment=commitment, requested_deadline=None))
    factories.ChangeRequestFactory(commitment=commitment)
    _rejects(lambda: factories.ChangeRequestFactory(commitment=commitment))
    assert ChangeRequest.objects.filter(commitment=commitment).count() == 1


def test_agency_and_proposer_natural_keys_are_unique():
    Agency.objects.create(name="昆明市发展和改革委员会")
    _rejects(lambda: Agency.objects.create(name="昆明市发展和改革委员会"))
    Proposer.objects.create(name="张顺奎", kind="deputy")
    _rejects(lambda: Proposer.objects.create(name="张顺奎", kind="deputy"))


def test_constraint_names_follow_the_convention():
    for model in (Proposal, Response, Document, Commitment, Reminder, ChangeRequest):
        for constraint in model._meta.constraints:
            assert constraint.name.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"), constraint.name
