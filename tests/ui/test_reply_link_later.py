"""Session 14 (docs/ui.md, session 13's 'left'): a reply saved as “不对应建议提案” — its letter's session could not be
made, or it named no number — stayed unlinked when its item was registered or imported later. Now the item the
letter names, found by the upload's own matching (the letter's session and number), is offered: on the reply page
and on the item's page (关联, one POST), and preselected in 修改答复; linking marks the assignment answered."""

import pytest
from django.urls import reverse

from commitments.models import Commitment
from proposals.choices import ProposalStatus
from proposals.models import Proposal
from proposals.services import proposal_assign, proposal_register
from responses.models import Response
from tests import factories
from tests.ui.helpers import item_later, letter, logged_unlinked, preview_post_data

pytest.importorskip("responses.extraction")
pytestmark = pytest.mark.django_db


def test_the_reply_page_offers_the_item_its_letter_names_and_linking_answers_it(client, agency, body):
    clerk = factories.clerk_of(agency)
    reply = logged_unlinked(client, clerk)
    page = client.get(reverse("responses:detail", args=[reply.pk])).content.decode()
    assert 'id="link-item"' not in page  # no such item yet
    _, item = item_later(body, agency)
    page = client.get(reverse("responses:detail", args=[reply.pk])).content.decode()
    assert 'id="link-item"' in page and "150777" in page
    done = client.post(reverse("commitments:reply_link_item", args=[reply.pk]))
    assert done.status_code == 302 and done["Location"] == reverse("proposals:detail", args=[item.pk])
    reply.refresh_from_db()
    item.refresh_from_db()
    assert reply.proposal == item
    assert set(Commitment.objects.filter(response=reply).values_list("proposal_id", flat=True)) == {item.pk}
    assert item.status == ProposalStatus.REPLIED
    assert item.assignments.get(agency=agency).answered_on == reply.signed_on
    # Offered no more; a second POST is a conflict, nothing changes.
    assert 'id="link-item"' not in client.get(reverse("responses:detail", args=[reply.pk])).content.decode()
    assert client.post(reverse("commitments:reply_link_item", args=[reply.pk])).status_code == 409


def test_the_items_page_lists_the_reply_to_link_for_its_supervisor(client, agency, body):
    reply = logged_unlinked(client, factories.clerk_of(agency))
    supervisor, item = item_later(body, agency)
    other = proposal_register(session=item.session, number="150778", title="另一件")
    proposal_assign(proposal=other, agency=agency)
    client.force_login(supervisor)
    page = client.get(reverse("proposals:detail", args=[item.pk])).content.decode()
    assert 'id="replies-to-link"' in page and reverse("commitments:reply_link_item", args=[reply.pk]) in page
    # Another item of the same agency: the letter names 150777, not it.
    assert 'id="replies-to-link"' not in client.get(reverse("proposals:detail", args=[other.pk])).content.decode()
    assert client.post(reverse("commitments:reply_link_item", args=[reply.pk])).status_code == 302
    assert Response.objects.get().proposal == item


def test_editing_the_reply_preselects_the_item_and_saving_links_it(client, agency, body):
    clerk = factories.clerk_of(agency)
    reply = logged_unlinked(client, clerk)
    _, item = item_later(body, agency)
    edit = client.get(reverse("commitments:reply_edit", args=[reply.pk]))
    data = preview_post_data(edit.context)
    assert (data["session"], data["proposal_number"]) == (str(item.session_id), "150777")
    assert "150777" in str(edit.context["meta_form"]["session"].help_text)
    assert client.post(reverse("commitments:reply_edit", args=[reply.pk]), data).status_code == 302
    assert Response.objects.get().proposal == item
    assert Proposal.objects.count() == 1  # nothing registered by the edit


def test_nothing_is_offered_for_a_letter_without_a_number_or_to_another_agencys_clerk(client, agency, body):
    clerk = factories.clerk_of(agency)
    reply = logged_unlinked(client, clerk, letter().replace("第150777号".encode(), b""))
    _, item = item_later(body, agency)
    page = client.get(reverse("responses:detail", args=[reply.pk])).content.decode()
    assert 'id="link-item"' not in page
    assert client.post(reverse("commitments:reply_link_item", args=[reply.pk])).status_code == 400
    edit = client.get(reverse("commitments:reply_edit", args=[reply.pk]))
    assert preview_post_data(edit.context).get("session", "") == ""
    # A clerk of another agency neither sees the reply nor links it.
    client.force_login(factories.clerk_of(factories.AgencyFactory()))
    assert client.post(reverse("commitments:reply_link_item", args=[reply.pk])).status_code == 404
    assert Response.objects.get().proposal is None
