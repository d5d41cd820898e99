"""Whose address Akismet, flood control and the enquiry rate limit see."""

from akismet_service.visitors import client_ip


def test_without_a_proxy_the_connection_address_is_used(rf, settings):
    settings.TRUSTED_PROXIES = 0
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(request) == "203.0.113.9"


def test_behind_our_proxy_the_address_it_added_is_used(rf, settings):
    settings.TRUSTED_PROXIES = 1
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(request) == "198.51.100.1"


def test_an_address_the_client_made_up_is_never_trusted(rf, settings):
    settings.TRUSTED_PROXIES = 1
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.1")
    assert client_ip(request) == "198.51.100.1"


def test_a_malformed_address_gives_none_rather_than_garbage(rf, settings):
    settings.TRUSTED_PROXIES = 1
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    assert client_ip(request) is None


def test_ipv6_addresses_are_counted_by_their_slash_64():
    from akismet_service.visitors import rate_key

    assert rate_key("2001:db8:1:2::a") == rate_key("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64"
    assert rate_key("2001:db8:1:3::a") != rate_key("2001:db8:1:2::a")


def test_ipv4_addresses_count_one_by_one_even_when_mapped_into_ipv6():
    from akismet_service.visitors import rate_key

    assert rate_key("192.0.2.1") == rate_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert rate_key("192.0.2.2") != rate_key("192.0.2.1")
    assert rate_key(None) == rate_key("not an address") == ""
