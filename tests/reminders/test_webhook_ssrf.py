"""The webhook SSRF check refuses every spelling of a loopback, private or link-local address (IPv4 and IPv6)."""

import pytest
from django.core.exceptions import ValidationError

from proposals.webhooks import webhook_addresses

REFUSED = [
    # IPv4 written other ways (the resolver reads them as 127.0.0.1 / 10.0.0.1)
    "https://2130706433/hook",
    "https://0177.0.0.1/hook",
    "https://0x7f.0.0.1/hook",
    "https://127.1/hook",
    "https://10.1/hook",
    "https://0.0.0.0/hook",
    "https://100.64.0.1/hook",  # carrier-grade NAT
    "https://169.254.169.254/latest/meta-data",
    # IPv6 loopback, unspecified, unique-local, link-local, multicast
    "https://[::1]/hook",
    "https://[::]/hook",
    "https://[fc00::1]/hook",
    "https://[fd12:3456::1]/hook",
    "https://[fe80::1]/hook",
    "https://[ff02::1]/hook",
    # IPv4 inside IPv6: IPv4-compatible, IPv4-mapped, NAT64 (well-known and local), 6to4, Teredo
    "https://[::127.0.0.1]/hook",
    "https://[::7f00:1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[::ffff:10.0.0.1]/hook",
    "https://[64:ff9b::7f00:1]/hook",
    "https://[64:ff9b::127.0.0.1]/hook",
    "https://[64:ff9b:1::a00:1]/hook",
    "https://[2002:7f00:1::]/hook",
    "https://[2002:c0a8:1::1]/hook",
    "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook",  # Teredo, client 127.0.0.1
    "https://[2001::7f00:1]/hook",
]

ACCEPTED = [
    "https://1.1.1.1/hook",
    "https://[2606:4700:4700::1111]/hook",
    "https://[64:ff9b::101:101]/hook",  # NAT64 of 1.1.1.1
    "https://[2002:101:101::1]/hook",  # 6to4 of 1.1.1.1
]


@pytest.mark.parametrize("url", REFUSED)
def test_refused(url):
    with pytest.raises(ValidationError) as exc:
        webhook_addresses(url, allow_private=False, require_https=True)
    assert exc.value.code == "private", url


@pytest.mark.parametrize("url", ACCEPTED)
def test_public_addresses_pass(url):
    assert webhook_addresses(url, allow_private=False, require_https=True)


def test_an_administrator_may_still_allow_an_intranet_robot():
    assert webhook_addresses("http://[::ffff:10.0.0.1]/hook", allow_private=True, require_https=True)
