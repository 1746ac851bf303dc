"""What the session 12 browser walk-through found broken, each checked where it was fixed (docs/ui.md,
"Session 12 walk-through: found and left")."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

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
