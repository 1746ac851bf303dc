"""How a digest reaches people: e-mail (HTML and plain text), in-app notifications, group-robot webhooks.

Every channel raises `DeliveryError` with `transient` set when trying again later may help (a refused or
dropped SMTP connection, a 5xx or rate limit from the robot) and unset when it cannot (a refused address,
an invalid or private webhook URL).
"""

import http.client
import json
import smtplib
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives

from proposals.choices import WebhookKind
from proposals.webhooks import webhook_addresses

from ..models import Notification
from .messages import Digest, notification_body, render_email

# Robot error codes that mean "too fast" or "busy": WeCom 45009 / -1, DingTalk 130101 / 410100.
TRANSIENT_ROBOT_CODES = {-1, 45009, 130101, 410100}


class DeliveryError(Exception):
    """A channel did not accept a message; `transient` says whether a later retry may succeed."""

    def __init__(self, message: str, *, transient: bool):
        super().__init__(message)
        self.transient = transient


def notification_create(*, recipient, digest: Digest) -> Notification:
    """The in-app copy of a digest: one unread notification, a line and a link per item (the item's own
    page is also the notification's link when there is one item)."""
    url = digest.items[0].url if len(digest.items) == 1 else ""
    return Notification.objects.create(
        recipient=recipient, title=digest.title[:200], body=notification_body(digest), url=url[:500]
    )


def email_send(*, recipient, digest: Digest) -> None:
    """Send the digest e-mail; SMTP refusals and dropped connections are transient, a refused address is not."""
    subject, text, html = render_email(digest, recipient)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"X-Luoshi-Digest": digest.key},
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        permanent = all(500 <= code < 600 for code, _ in exc.recipients.values())
        raise DeliveryError(f"SMTP refused {recipient.email}: {exc}", transient=not permanent)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP: {exc!r}", transient=True)


def webhook_payload(kind: str, title: str, markdown: str) -> dict:
    """The JSON body a WeCom (企业微信) or DingTalk (钉钉) group robot accepts for a markdown message."""
    if kind == WebhookKind.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": markdown}}
    if kind == WebhookKind.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": markdown}}
    raise ValueError(f"unknown webhook kind: {kind}")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to a moment later."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the checked address, with the certificate verified against the URL's host name."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def webhook_post(*, agency, title: str, markdown: str) -> dict:
    """Post a markdown digest to an agency's group robot, re-checking its URL first; return the robot's answer."""
    try:
        addresses = webhook_addresses(agency.webhook_url, allow_private=agency.webhook_allow_private)
    except ValidationError as exc:
        raise DeliveryError(f"webhook URL refused: {' '.join(exc.messages)}", transient=False)
    payload = webhook_payload(agency.webhook_kind, title, markdown)
    parts = urlsplit(agency.webhook_url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timeout = getattr(settings, "REMINDERS_WEBHOOK_TIMEOUT", 10)
    cls = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = cls(parts.hostname, parts.port, addresses[0], timeout=timeout)
    try:
        body = json.dumps(payload, ensure_ascii=False).encode()
        connection.request("POST", path, body=body, headers={"Content-Type": "application/json; charset=utf-8"})
        response = connection.getresponse()
        raw = response.read(65536)
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"webhook: {exc!r}", transient=True)
    finally:
        connection.close()
    if response.status >= 500 or response.status == 429:
        raise DeliveryError(f"webhook HTTP {response.status}", transient=True)
    if response.status >= 300:
        raise DeliveryError(f"webhook HTTP {response.status}", transient=False)
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        answer = {}
    code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    if code:
        raise DeliveryError(
            f"webhook errcode {code}: {answer.get('errmsg', '')}", transient=code in TRANSIENT_ROBOT_CODES
        )
    return answer
