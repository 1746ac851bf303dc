"""factory_boy factories shared by every test package."""

import datetime as dt
import hashlib

import factory
from django.contrib.auth import get_user_model

from commitments.choices import CommitmentStatus, Precision, Strength
from commitments.models import ChangeRequest, Commitment, ProgressUpdate, Target
from proposals.choices import AssignmentRole, BodyKind, ProposalKind, ProposerKind
from proposals.models import Agency, Assignment, Body, Proposal, Proposer, Session
from responses.choices import DocumentKind
from responses.models import Document, Response


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.cn")
    password = factory.django.Password("pw-12345678")


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"测试{n}市人大")
    kind = BodyKind.NPC
    jurisdiction = factory.Sequence(lambda n: f"测试{n}市")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    body = factory.SubFactory(BodyFactory)
    term = 15
    meeting = factory.Sequence(lambda n: n + 1)
    year = 2023
    name = factory.LazyAttribute(lambda s: f"{s.body.name}第{s.term}届{s.meeting}次会议")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"测试市第{n}局")
    jurisdiction = "测试市"


class ProposerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposer

    name = factory.Sequence(lambda n: f"代表{n}")
    kind = ProposerKind.DEPUTY


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    session = factory.SubFactory(SessionFactory)
    kind = ProposalKind.SUGGESTION
    number = factory.Sequence(lambda n: f"{150000 + n}")
    title = factory.Sequence(lambda n: f"关于第{n}件事的建议")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    proposal = factory.SubFactory(ProposalFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = AssignmentRole.LEAD
    assigned_on = dt.date(2023, 3, 1)
    due_on = dt.date(2023, 6, 1)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    kind = DocumentKind.REPLY
    title = factory.Sequence(lambda n: f"答复函{n}")
    text = factory.Sequence(lambda n: f"答复函正文{n}。下一步，我局将于2025年底前完成。")
    content_hash = factory.LazyAttribute(lambda d: hashlib.sha256(d.text.encode()).hexdigest())


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    document = factory.SubFactory(DocumentFactory)
    proposal = factory.SubFactory(ProposalFactory)
    agency = factory.SubFactory(AgencyFactory)
    doc_number = factory.Sequence(lambda n: f"测函〔2023〕{n + 1}号")
    signed_on = dt.date(2023, 5, 30)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    response = factory.SubFactory(ResponseFactory)
    document = factory.LazyAttribute(lambda c: c.response.document if c.response else DocumentFactory())
    proposal = factory.LazyAttribute(lambda c: c.response.proposal if c.response else None)
    agency = factory.LazyAttribute(lambda c: c.response.agency if c.response else None)
    text = factory.Sequence(lambda n: f"力争到2025年完成第{n}项工作")
    strength = Strength.STRIVE
    deadline = dt.date(2025, 12, 31)
    deadline_text = "到2025年"
    precision = Precision.YEAR
    status = CommitmentStatus.OPEN

    @factory.post_generation
    def with_agencies(self, create, extracted, **kwargs):
        if create and self.agency_id:
            self.agencies.add(self.agency_id)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    commitment = factory.SubFactory(CommitmentFactory)
    text = "300 亿元"
    value = 30000000000
    unit = "元"


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    commitment = factory.SubFactory(CommitmentFactory)
    note = "按计划推进"


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeRequest

    commitment = factory.SubFactory(CommitmentFactory)
    kind = "extension"
    requested_deadline = dt.date(2026, 6, 30)
    reason = "项目审批延后"


def clerk_of(agency: Agency, username: str | None = None):
    """A user who is a clerk of `agency`."""
    user = UserFactory(username=username) if username else UserFactory()
    agency.clerks.add(user)
    return user


def supervisor_of(body: Body, username: str | None = None):
    """A user who supervises for `body`."""
    user = UserFactory(username=username) if username else UserFactory()
    body.supervisors.add(user)
    return user
