"""Which webhook URLs an agency's group robot may use: https, and never inside our own network by default.

Pure checks shared by `Agency.clean()` (admin and forms) and the reminder channel, which checks again and
connects to the very address it checked (so a DNS answer that changes in between cannot redirect the post).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# IPv6 prefixes that carry an IPv4 address in their last 32 bits: IPv4-compatible (::a.b.c.d, deprecated),
# NAT64 (64:ff9b::/96 well-known, 64:ff9b:1::/48 local use). A gateway on the way may deliver to that IPv4
# address, so it is the one to check.
_EMBEDS_IPV4_LAST_32 = (
    ipaddress.ip_network("::/96"),
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("64:ff9b:1::/48"),
)


def _is_private(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Loopback, private, link-local, reserved or multicast, also when an IPv4 address hides inside an IPv6 one."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded: list[ipaddress.IPv4Address] = []
        if address.ipv4_mapped:  # ::ffff:127.0.0.1
            embedded.append(address.ipv4_mapped)
        if address.sixtofour:  # 2002:7f00:1::
            embedded.append(address.sixtofour)
        if address.teredo:  # 2001:0::/32: the server and the (obfuscated) client address
            embedded.extend(address.teredo)
        if any(address in network for network in _EMBEDS_IPV4_LAST_32):
            embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if any(_is_private(v4) for v4 in embedded):
            return True
    return not address.is_global or address.is_multicast


def webhook_addresses(url: str, *, allow_private: bool, require_https: bool | None = None) -> list[str]:
    """The IP addresses `url` may be posted to; ValidationError with a message in the active language when it is refused."""
    if require_https is None:
        require_https = getattr(settings, "REMINDERS_WEBHOOK_REQUIRE_HTTPS", not settings.DEBUG)
    parts = urlsplit(url or "")
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError(_("群机器人地址无效"), code="invalid")
    if parts.username or parts.password:
        raise ValidationError(_("群机器人地址不能包含用户名或密码"), code="invalid")
    # An administrator who allows an intranet robot may also run it without TLS.
    if require_https and parts.scheme != "https" and not allow_private:
        raise ValidationError(_("群机器人地址必须使用 https"), code="https")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError):
        raise ValidationError(_("无法解析群机器人地址"), code="dns")
    # getaddrinfo on an IP family answers str addresses (the int member of the typeshed union is AF_PACKET).
    addresses = sorted({str(info[4][0]) for info in infos})
    if not allow_private:
        for address in addresses:
            if _is_private(ipaddress.ip_address(address.split("%")[0])):
                raise ValidationError(
                    _("群机器人地址指向内网或本机，需管理员允许"),
                    code="private",
                )
    return addresses


def validate_webhook_url(url: str, *, allow_private: bool) -> None:
    """Raise ValidationError unless `url` is an acceptable group-robot address."""
    webhook_addresses(url, allow_private=allow_private)
