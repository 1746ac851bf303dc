from tests.api.conftest import assert_error


def test_commitment_list_for_clerk(clerk_api, commitment):
    response = clerk_api.get("/api/v1/commitments/")
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [commitment.pk]


def test_other_clerk_gets_404(other_api, commitment):
    assert_error(other_api.get(f"/api/v1/commitments/{commitment.pk}/"), 404, "not_found")


def test_anonymous_401(api, commitment):
    assert_error(api.get("/api/v1/commitments/"), 401, "not_authenticated")
