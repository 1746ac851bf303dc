"""Channels: WeCom and DingTalk JSON shapes against a local robot, URL safety, transient vs permanent errors."""

import datetime as dt
import http.server
import json
import threading

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from commitments.choices import ReminderState
from commitments.models import WebhookDelivery
from commitments.reminders import channels
from commitments.reminders.digest import webhook_delivery_send
from commitments.reminders.scan import reminders_scan
from proposals.choices import WebhookKind
from proposals.webhooks import webhook_addresses
from tests.reminders.conftest import moment

D = dt.date


@pytest.fixture
def robot():
    """A local group robot on 127.0.0.1 that records what it receives and answers like WeCom/DingTalk."""
    received, answers = [], []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"path": self.path, "type": self.headers["Content-Type"], "json": json.loads(body)})
            status, answer = answers.pop(0) if answers else (200, {"errcode": 0, "errmsg": "ok"})
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {
        "url": f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=abc",
        "received": received,
        "answers": answers,
    }
    server.shutdown()


def hooked(world, robot, kind):
    agency = world["agency"]
    agency.webhook_kind, agency.webhook_url, agency.webhook_allow_private = kind, robot["url"], True
    agency.full_clean()
    agency.save()
    world["commitment"](D(2025, 12, 31))
    result = reminders_scan(now=moment(D(2025, 12, 24)), enqueue=lambda k, h: None)
    assert len(result.webhooks) == 1
    return result.webhooks[0]


def test_wecom_markdown_shape(world, robot):
    delivery = hooked(world, robot, WebhookKind.WECOM)
    assert webhook_delivery_send(delivery_id=delivery) is True
    [post] = robot["received"]
    assert post["path"] == "/cgi-bin/webhook/send?key=abc"
    assert post["type"].startswith("application/json")
    assert set(post["json"]) == {"msgtype", "markdown"} and post["json"]["msgtype"] == "markdown"
    assert set(post["json"]["markdown"]) == {"content"}
    assert "承诺即将到期" in post["json"]["markdown"]["content"]
    assert WebhookDelivery.objects.get().state == ReminderState.SENT
    assert webhook_delivery_send(delivery_id=delivery) is False  # posted once
    assert len(robot["received"]) == 1


def test_dingtalk_markdown_shape(world, robot):
    delivery = hooked(world, robot, WebhookKind.DINGTALK)
    webhook_delivery_send(delivery_id=delivery)
    body = robot["received"][0]["json"]
    assert body["msgtype"] == "markdown" and set(body["markdown"]) == {"title", "text"}
    assert body["markdown"]["title"].startswith("【落实】") and "](http" in body["markdown"]["text"]


def test_robot_busy_is_retried_and_bad_key_is_not(world, robot):
    delivery = hooked(world, robot, WebhookKind.WECOM)
    robot["answers"] += [(200, {"errcode": 45009, "errmsg": "api freq out of limit"}), (502, {})]
    for _ in range(2):
        with pytest.raises(channels.DeliveryError) as exc:
            webhook_delivery_send(delivery_id=delivery)
        assert exc.value.transient
    row = WebhookDelivery.objects.get()
    assert (row.state, row.attempts) == (ReminderState.PENDING, 2) and row.retry_at is not None
    robot["answers"].append((200, {"errcode": 93000, "errmsg": "invalid webhook url"}))
    with pytest.raises(channels.DeliveryError) as exc:
        webhook_delivery_send(delivery_id=delivery)
    assert not exc.value.transient
    assert WebhookDelivery.objects.get().state == ReminderState.FAILED


def test_private_address_refused_unless_allowed(world, robot):
    delivery = hooked(world, robot, WebhookKind.WECOM)
    agency = world["agency"]
    agency.webhook_allow_private = False
    agency.save()
    with pytest.raises(channels.DeliveryError) as exc:
        webhook_delivery_send(delivery_id=delivery)
    assert not exc.value.transient and "refused" in str(exc.value)
    assert robot["received"] == []  # checked again before sending: nothing left the machine


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://127.0.0.1/hook", "private"),
        ("https://localhost/hook", "private"),
        ("https://10.1.2.3/hook", "private"),
        ("https://192.168.0.9/hook", "private"),
        ("https://169.254.169.254/latest", "private"),
        ("https://[::1]/hook", "private"),
        ("https://[::ffff:127.0.0.1]/hook", "private"),
        ("http://1.1.1.1/hook", "https"),
        ("ftp://1.1.1.1/hook", "invalid"),
        ("https://user:pw@1.1.1.1/hook", "invalid"),
    ],
)
def test_agency_clean_refuses_unsafe_webhook_urls(world, url, code):
    agency = world["agency"]
    agency.webhook_kind, agency.webhook_url = WebhookKind.WECOM, url
    with pytest.raises(ValidationError) as exc:
        agency.full_clean()
    assert "webhook_url" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        webhook_addresses(url, allow_private=False, require_https=True)
    assert exc.value.code == code


def test_public_https_url_is_accepted_and_allow_private_relaxes(world):
    agency = world["agency"]
    agency.webhook_kind, agency.webhook_url = WebhookKind.DINGTALK, "https://1.1.1.1/robot/send?access_token=x"
    agency.full_clean()
    agency.webhook_url, agency.webhook_allow_private = "http://127.0.0.1:9/robot", True
    agency.full_clean()
    agency.webhook_url = ""
    with pytest.raises(ValidationError):
        agency.full_clean()


@override_settings(REMINDERS_WEBHOOK_REQUIRE_HTTPS=False)
def test_http_allowed_outside_production_but_never_private():
    assert webhook_addresses("http://1.1.1.1/x", allow_private=False) == ["1.1.1.1"]
    with pytest.raises(ValidationError):
        webhook_addresses("http://127.0.0.1/x", allow_private=False)


def test_payload_shapes():
    assert channels.webhook_payload(WebhookKind.WECOM, "T", "md") == {
        "msgtype": "markdown",
        "markdown": {"content": "md"},
    }
    assert channels.webhook_payload(WebhookKind.DINGTALK, "T", "md") == {
        "msgtype": "markdown",
        "markdown": {"title": "T", "text": "md"},
    }
