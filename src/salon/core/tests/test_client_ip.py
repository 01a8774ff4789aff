"""One function says who sent a request: the direct peer, unless it is a trusted proxy
(SALON_TRUSTED_PROXIES), in which case X-Forwarded-For is read from the right."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory, override_settings

from salon.core import client_ip


def request(peer, forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, headers=headers)


@override_settings(SALON_TRUSTED_PROXIES=[])
def test_a_direct_request_is_its_peer_and_the_header_is_ignored():
    """Without trusted proxies, nobody's X-Forwarded-For is believed."""
    assert client_ip(request("203.0.113.7")) == "203.0.113.7"
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@override_settings(SALON_TRUSTED_PROXIES=["127.0.0.1"])
def test_through_a_trusted_proxy_the_forwarded_address_is_the_client():
    assert client_ip(request("127.0.0.1", "198.51.100.1")) == "198.51.100.1"
    assert client_ip(request("127.0.0.1")) == "127.0.0.1"  # the proxy itself, asking


@override_settings(SALON_TRUSTED_PROXIES=["127.0.0.1"])
def test_a_header_from_an_untrusted_peer_is_not_believed():
    """A reader cannot pass for someone else by writing the header themselves."""
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@override_settings(SALON_TRUSTED_PROXIES=["10.0.0.0/8", "127.0.0.1"])
def test_a_chain_of_proxies_gives_the_right_most_untrusted_address():
    """Each proxy appends the address it saw; what the client wrote before the first untrusted
    hop (here "1.2.3.4", a spoof) is never taken."""
    chain = "1.2.3.4, 198.51.100.1, 10.1.2.3"
    assert client_ip(request("127.0.0.1", chain)) == "198.51.100.1"
    assert client_ip(request("127.0.0.1", "10.9.9.9, 10.1.2.3")) == "10.9.9.9"


@override_settings(SALON_TRUSTED_PROXIES=["127.0.0.1", "::1"])
def test_ports_ipv6_and_garbage_in_the_header():
    assert client_ip(request("127.0.0.1", "198.51.100.1:4711")) == "198.51.100.1"
    assert client_ip(request("::1", "[2001:db8::1]:80")) == "2001:db8::1"
    assert client_ip(request("127.0.0.1", "not-an-address")) == "127.0.0.1"
    assert client_ip(request("")) is None


@override_settings(SALON_TRUSTED_PROXIES=["10.0.0.0/33"])
def test_check_refuses_a_malformed_trusted_proxy():
    with pytest.raises(SystemCheckError, match="SALON_TRUSTED_PROXIES"):
        call_command("check")
