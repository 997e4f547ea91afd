"""The client's address (one rule for the portal's limits and allauth's) and counting in the cache."""

import logging

import pytest
from django.test import RequestFactory

from kaikukeskus import ratelimit
from kaikukeskus.adapters import AccountAdapter


def _request(remote_addr="10.0.0.2", forwarded_for=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, None, "10.0.0.2"),
        (0, "203.0.113.5", "10.0.0.2"),  # nobody trusted: the header is the client's own word
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # the left part is the client's to write
        (2, "1.2.3.4, 203.0.113.5, 10.0.0.9", "203.0.113.5"),  # a CDN and the load balancer
        (1, "  203.0.113.5 ,", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.2"),  # fewer hops than proxies: not through them all, the peer is the client
        (1, "not-an-address", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip(settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert ratelimit.client_ip(_request(forwarded_for=forwarded_for)) == expected


def test_an_ipv6_client_counts_by_its_64_network(settings):
    one = ratelimit.client_key(_request(remote_addr="2001:db8:1:2:aaaa::1"))
    other = ratelimit.client_key(_request(remote_addr="2001:db8:1:2:bbbb::9"))
    assert one == other == "2001:db8:1:2::"
    assert ratelimit.client_key(_request(remote_addr="")) == "unknown"


def test_a_forwarded_for_without_trusted_proxies_is_told_once(settings, monkeypatch, caplog):
    settings.TRUSTED_PROXY_COUNT = 0
    monkeypatch.setattr(ratelimit, "_told_about_forwarded_for", False)
    with caplog.at_level(logging.WARNING, logger="kaikukeskus.ratelimit"):
        ratelimit.client_ip(_request(forwarded_for="203.0.113.5"))
        ratelimit.client_ip(_request(forwarded_for="203.0.113.6"))
    assert caplog.text.count("TRUSTED_PROXY_COUNT is 0") == 1


def test_the_login_limits_use_the_same_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert AccountAdapter().get_client_ip(_request(forwarded_for="1.2.3.4, 203.0.113.5")) == "203.0.113.5"


def test_hit_counts_each_value_in_its_own_window(monkeypatch):
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_800_000_000.0)  # a window's start, not its end
    rate = ratelimit.Rate(2, 600)
    assert [ratelimit.hit("test", {"ip": ("a", rate)}) for _ in range(3)] == [False, False, True]
    assert ratelimit.hit("test", {"ip": ("b", rate)}) is False
    assert ratelimit.hit("other", {"ip": ("a", rate)}) is False
