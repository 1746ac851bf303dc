"""Session 18: a format the API does not serve is a 406 naming the formats it does, in the client's language.

DRF answered `?format=xml` with a bare 404 “未找到。” (as if the list did not exist) and an `Accept` it could not
meet with a 406 naming nothing (session 17's walk-through)."""

import pytest

from tests.api.conftest import assert_error, client_for


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/commitments/", "/api/v1/proposals/", "/api/v1/", "/api/v1/search/?q=停车"])
def test_an_unserved_format_is_a_406_naming_the_formats_served(clerk, path):
    api = client_for(clerk)
    join = "&" if "?" in path else "?"
    chinese = assert_error(api.get(f"{path}{join}format=xml"), 406, "not_acceptable")
    assert chinese["message"] == "不支持的格式“xml”（可用格式：json, api）"
    assert chinese["formats"] == ["json", "api"]
    english = assert_error(api.get(f"{path}{join}format=xml", HTTP_ACCEPT_LANGUAGE="en"), 406, "not_acceptable")
    assert english["message"] == "Unsupported format “xml” (formats served: json, api)."
    # The formats it names are served.
    assert api.get(f"{path}{join}format=json").status_code == 200
    assert api.get(f"{path}{join}format=api").status_code == 200


@pytest.mark.django_db
def test_an_unmet_accept_header_names_the_types_served(clerk, commitment):
    api = client_for(clerk)
    english = assert_error(
        api.get(f"/api/v1/commitments/{commitment.pk}/", HTTP_ACCEPT="application/xml", HTTP_ACCEPT_LANGUAGE="en"),
        406,
        "not_acceptable",
    )
    assert (
        english["message"]
        == "The Accept header asks for no type served here (types served: application/json, text/html)."
    )
    assert english["media_types"] == ["application/json", "text/html"]
    chinese = assert_error(api.get("/api/v1/commitments/", HTTP_ACCEPT="application/xml"), 406)
    assert chinese["message"] == "无法按 Accept 头的类型答复（可用类型：application/json, text/html）"


@pytest.mark.django_db
def test_the_schema_names_its_own_formats(clerk):
    response = client_for(clerk).get("/api/schema/?format=xml", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 406
    assert b"formats served: yaml, json" in response.content


@pytest.mark.django_db
def test_a_format_suffix_in_the_path_stays_a_404(clerk, commitment):
    api = client_for(clerk)
    assert_error(api.get(f"/api/v1/commitments/{commitment.pk}.5/"), 404, "not_found")
