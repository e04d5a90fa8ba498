"""The client address that rate limits count by: X-Forwarded-For is believed only from trusted
proxies, so behind a proxy every client has its own bucket and no client can pick another one.
"""

import pytest
from django.test import Client, RequestFactory, override_settings

from accounts.adapter import AccountAdapter
from sitewide.ratelimit import client_address, client_key, rate_limited
from tests.factories import BROWSER_HEADERS

PROXY = "10.0.0.2"
BEHIND_ONE_PROXY = override_settings(TRUSTED_PROXIES=[PROXY])


def request_from(peer, forwarded_for=None):
    headers = {"REMOTE_ADDR": peer}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **headers)


@override_settings(TRUSTED_PROXIES=[])
def test_without_trusted_proxies_a_forwarded_for_header_is_ignored():
    spoofed = request_from("198.51.100.7", forwarded_for="203.0.113.1")

    assert client_address(spoofed) == "198.51.100.7"


@BEHIND_ONE_PROXY
def test_a_client_that_is_not_the_proxy_cannot_spoof_its_address():
    spoofed = request_from("198.51.100.7", forwarded_for="203.0.113.1")

    assert client_address(spoofed) == "198.51.100.7"


@BEHIND_ONE_PROXY
def test_behind_the_proxy_each_client_is_the_address_the_proxy_saw():
    first = request_from(PROXY, forwarded_for="198.51.100.7")
    second = request_from(PROXY, forwarded_for="198.51.100.8")

    assert client_address(first) == "198.51.100.7"
    assert client_address(second) == "198.51.100.8"
    assert client_key(first) != client_key(second)


@BEHIND_ONE_PROXY
def test_what_the_client_wrote_into_the_header_is_not_believed():
    # The client sent "X-Forwarded-For: 203.0.113.1"; the proxy appended the address it saw.
    spoofed = request_from(PROXY, forwarded_for="203.0.113.1, 198.51.100.7")

    assert client_address(spoofed) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "192.0.2.10"])
def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_address():
    chained = request_from("10.0.0.2", forwarded_for="203.0.113.1, 198.51.100.7, 192.0.2.10, 10.1.2.3")

    assert client_address(chained) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["2001:db8:ffff::/48"])
def test_ipv6_proxies_and_clients():
    forwarded = request_from("2001:db8:ffff::1", forwarded_for="[2001:db8:1:2::7], 2001:db8:ffff::2")

    assert client_address(forwarded) == "2001:db8:1:2::7"


@BEHIND_ONE_PROXY
def test_an_ipv6_client_counts_by_its_slash_64():
    one = request_from(PROXY, forwarded_for="2001:db8:1:2::7")
    same_home = request_from(PROXY, forwarded_for="2001:db8:1:2:abcd::9")
    neighbour = request_from(PROXY, forwarded_for="2001:db8:1:3::7")

    assert client_key(one) == client_key(same_home)
    assert client_key(one) != client_key(neighbour)


@BEHIND_ONE_PROXY
def test_an_ipv4_address_written_as_ipv6_is_the_same_client():
    assert client_address(request_from("::ffff:" + PROXY, forwarded_for="198.51.100.7")) == "198.51.100.7"


@BEHIND_ONE_PROXY
@pytest.mark.parametrize("header", ["", "not-an-address", "198.51.100.7, <script>", ",,,", "999.1.1.1", PROXY])
def test_a_header_that_cannot_be_read_leaves_the_proxys_address(header):
    assert client_address(request_from(PROXY, forwarded_for=header)) == PROXY


@BEHIND_ONE_PROXY
def test_garbage_left_of_the_proxys_entry_is_never_read():
    assert client_address(request_from(PROXY, forwarded_for="garbage, 198.51.100.7")) == "198.51.100.7"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=[PROXY], RATE_LIMITS={"search": (2, 60)})
def test_behind_a_proxy_one_client_is_limited_and_the_next_is_not(help_centers):
    client = Client(REMOTE_ADDR=PROXY, **BROWSER_HEADERS)

    def search(address, spoofed=""):
        forwarded = f"{spoofed}, {address}" if spoofed else address
        return client.get("/en/search/", {"q": "printer"}, HTTP_X_FORWARDED_FOR=forwarded).status_code

    first_client = [search("198.51.100.7") for _ in range(2)]
    # Over its limit, the first client tries to pass for someone else: still its own bucket.
    first_client += [search("198.51.100.7", spoofed=f"203.0.113.{n}") for n in range(2)]
    second_client = search("198.51.100.8")

    assert first_client == [200, 200, 429, 429]
    assert second_client == 200


@override_settings(TRUSTED_PROXIES=[PROXY], RATE_LIMIT_EXEMPT_ADDRESSES=["198.51.100.9"])
def test_an_exempt_client_behind_the_proxy_is_recognised():
    view = rate_limited("search")(lambda request: "ok")

    with override_settings(RATE_LIMITS={"search": (0, 60)}):
        answer = view(request_from(PROXY, forwarded_for="198.51.100.9"))

    assert answer == "ok"


@BEHIND_ONE_PROXY
def test_allauths_login_limits_count_the_same_client_address():
    request = request_from(PROXY, forwarded_for="203.0.113.1, 198.51.100.7")

    assert AccountAdapter(request).get_client_ip(request) == "198.51.100.7"
