"""What the session 12 browser walk-through found broken, each checked where it was fixed (docs/ui.md,
"Session 12 walk-through: found and left")."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


def _links(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["deputy", "no_role"])
def test_no_upload_link_for_accounts_that_may_not_upload(client, who):
    """A deputy's reply list offered 登记答复, which answered 403; so did the nav of an account without a role."""
    user = factories.UserFactory(username=who)
    if who == "deputy":
        factories.ProposerFactory(name="王代表", user=user)
    client.force_login(user)
    upload = reverse("commitments:reply_upload")
    for url in (reverse("responses:list"), reverse("proposals:list")):
        assert f'href="{upload}"' not in _links(client, url)
        assert f'href="{reverse("evidence:upload")}"' not in _links(client, url)
    assert client.get(upload).status_code == 403  # what the link led to


def test_upload_links_for_a_clerk(client, clerk):
    client.force_login(clerk)
    body = _links(client, reverse("responses:list"))
    assert body.count(f'href="{reverse("commitments:reply_upload")}"') == 2  # the nav and the list's button


def test_evidence_link_shows_the_file_name_without_its_folder(client, commitment, clerk):
    """The timeline read “佐证材料：58/progress.txt” (the storage folder named after the commitment's id)."""
    client.force_login(clerk)
    client.post(
        reverse("commitments:progress", args=[commitment.pk]),
        {"note": "完成可研批复", "evidence_file": SimpleUploadedFile("批复.pdf", b"%PDF")},
    )
    update = commitment.progress_updates.get()
    assert update.evidence_file.name == f"evidence/{commitment.pk}/批复.pdf"
    page = _links(client, reverse("commitments:detail", args=[commitment.pk]))
    link = reverse("commitments:evidence_file", args=[update.pk])
    assert f'<a href="{link}" download>批复.pdf</a>' in page


def test_agency_charts_say_when_there_is_nothing_to_draw(client, supervisor, commitment):
    """“未来 12 个月到期的承诺” drew twelve bars of 0 when nothing falls due; now it says so."""
    client.force_login(supervisor)
    url = reverse("commitments:agency_stats")
    commitment.deadline = dt.date(2020, 12, 31)  # overdue, not ahead
    commitment.save()
    page = _links(client, url)
    month = page.split('id="month-chart"')[1].split("</section>")[0]
    assert "<svg" not in month and "未来 12 个月没有到期的进行中承诺" in month
    assert "<svg" in page.split('id="agency-chart"')[1].split("</section>")[0]  # the agency has a row
    commitment.deadline = timezone.localdate() + dt.timedelta(days=40)
    commitment.save()
    month = _links(client, url).split('id="month-chart"')[1].split("</section>")[0]
    assert "<svg" in month and "没有到期" not in month
    client.force_login(factories.supervisor_of(factories.BodyFactory(), "empty_sup"))
    empty = _links(client, url).split('id="agency-chart"')[1].split("</section>")[0]
    assert "<svg" not in empty and "暂无数据" in empty


def test_every_section_kind_of_the_pipeline_has_a_label_in_the_preview():
    """The preview's why-line read “范围：review”: the pipeline's kind had no label (only an older “past” had)."""
    from types import SimpleNamespace

    from commitments.views.reply import SECTION_LABELS, proposal_reason
    from responses.extraction.structure import SECTION_KINDS

    assert set(SECTION_KINDS) <= set(SECTION_LABELS)
    clause = SimpleNamespace(section_kind="review", signals=[], deadline_text="", score=None)
    assert proposal_reason(clause) == "范围：回顾"


def test_the_deputys_page_heading_is_translated(client):
    """In English the deputy's page read “Suggestion 第153018号 …”: the number's words were outside the catalog."""
    user = factories.UserFactory(username="deputy_en")
    proposal = factories.ProposalFactory(number="153018", title="关于加快老旧小区加装电梯的建议")
    proposal.proposer_links.create(proposer=factories.ProposerFactory(name="王代表", user=user))
    client.force_login(user)
    zh = _links(client, reverse("followup:mine"))
    assert "<h2>第153018号建议：关于加快老旧小区加装电梯的建议</h2>" in zh  # the same words as the item's page
    client.cookies["django_language"] = "en"
    en = _links(client, reverse("followup:mine"))
    assert "<h2>Suggestion No. 153018: 关于加快老旧小区加装电梯的建议</h2>" in en


def test_a_rating_after_a_round_is_labelled_in_english(client):
    """“My rating（2026年底回头看后）”: the word for “after” was outside the catalog."""
    from followup.models import Rating, ReviewRound

    user = factories.UserFactory(username="deputy_round")
    deputy = factories.ProposerFactory(name="王代表", user=user)
    response = factories.ResponseFactory()
    response.proposal.proposer_links.create(proposer=deputy)
    round_ = ReviewRound.objects.create(
        title="年中回头看",
        origin="manual",
        session=response.proposal.session,
        opened_on=dt.date(2026, 6, 1),
        due_on=dt.date(2026, 7, 1),
    )
    Rating.objects.create(
        response=response,
        proposer=deputy,
        round=round_,
        attitude="satisfied",
        result="satisfied",
        collected_by="proposer",
    )
    client.force_login(user)
    assert "（年中回头看后）" in _links(client, reverse("followup:mine"))
    client.cookies["django_language"] = "en"
    en = _links(client, reverse("followup:mine"))
    assert "(after 年中回头看)" in en and "后）" not in en


def test_a_deputys_nav_has_one_link_to_his_page(client, clerk):
    """A deputy's nav had 我的待办 and 我的建议提案, both landing on /my/ (`/` sends a proposer-only account there)."""
    user = factories.UserFactory(username="deputy_nav")
    factories.ProposerFactory(name="赵代表", user=user)
    client.force_login(user)
    nav = _links(client, reverse("followup:mine"))
    nav = nav[nav.index('class="mainnav"') : nav.index("</nav>")]
    assert "我的待办" not in nav and nav.count('href="/my/"') == 1
    # A clerk who is also a deputy keeps his staff home and his own page.
    factories.ProposerFactory(name="钱代表", user=clerk)
    client.force_login(clerk)
    nav = _links(client, reverse("followup:mine"))
    nav = nav[nav.index('class="mainnav"') : nav.index("</nav>")]
    assert "我的待办" in nav and 'href="/my/"' in nav
