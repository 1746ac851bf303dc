"""User-facing messages are one language at a time: Chinese by default, English when the client asks for it."""

from tests.api.conftest import client_for


def test_api_error_follows_accept_language(clerk, commitment):
    api = client_for(clerk, read_only=True)
    url = f"/api/v1/commitments/{commitment.pk}/progress/"
    chinese = api.post(url, {"note": "x"}, format="json").json()["error"]["message"]
    english = api.post(url, {"note": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en").json()["error"]["message"]
    assert chinese == "只读令牌不能写入"
    assert english == "This token is read-only."


def test_service_validation_message_in_english(clerk, commitment):
    api = client_for(clerk)
    url = f"/api/v1/commitments/{commitment.pk}/progress/"
    body = api.post(url, {"note": "x", "percent": 150}, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert " / " not in str(body) and "数" not in str(body)
    assert api.post(url, {"note": "   "}, format="json").json()["error"]["fields"]
