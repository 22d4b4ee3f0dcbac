"""Server-side request forgery: webhooks go to https URLs on public addresses only."""

from __future__ import annotations

import pytest

from labeling.webhooks.addresses import UnsafeWebhookUrl, check_url


def resolver(table: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError("unknown host")
        return table[host]

    return resolve


DNS = resolver(
    {
        "hooks.galeries.example": ["93.184.215.14"],
        "v6.galeries.example": ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
        "intranet.galeries.example": ["10.0.0.7"],
        "mixed.galeries.example": ["93.184.215.14", "192.168.1.10"],
        "metadata.galeries.example": ["169.254.169.254"],
        "localhost": ["127.0.0.1", "::1"],
    }
)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://127.0.0.1/hooks", "address_not_public"),
        ("https://127.1.2.3:8443/hooks", "address_not_public"),
        ("https://localhost/hooks", "address_not_public"),
        ("https://169.254.169.254/latest/meta-data/", "address_not_public"),
        ("https://10.1.2.3/hooks", "address_not_public"),
        ("https://172.16.0.1/hooks", "address_not_public"),
        ("https://192.168.0.10/hooks", "address_not_public"),
        ("https://100.64.0.1/hooks", "address_not_public"),  # CGNAT
        ("https://0.0.0.0/hooks", "address_not_public"),
        ("https://[::1]/hooks", "address_not_public"),
        ("https://[fc00::1]/hooks", "address_not_public"),
        ("https://[fd12:3456::1]/hooks", "address_not_public"),
        ("https://[fe80::1]/hooks", "address_not_public"),
        ("https://[::ffff:127.0.0.1]/hooks", "address_not_public"),
        ("https://[::ffff:169.254.169.254]/hooks", "address_not_public"),
        ("https://[2002:a9fe:a9fe::1]/hooks", "address_not_public"),  # 6to4 of 169.254.169.254
        ("https://224.0.0.1/hooks", "address_not_public"),
        ("https://intranet.galeries.example/hooks", "address_not_public"),
        ("https://mixed.galeries.example/hooks", "address_not_public"),
        ("https://metadata.galeries.example/hooks", "address_not_public"),
        ("http://hooks.galeries.example/hooks", "scheme_not_https"),
        ("ftp://hooks.galeries.example/hooks", "scheme_not_https"),
        ("https://user:pw@hooks.galeries.example/hooks", "url_malformed"),
        ("https://hooks.galeries.example/hooks#x", "url_malformed"),
        ("https:///hooks", "url_malformed"),
        ("https://hooks.galeries.example:99999/", "url_malformed"),
        ("https://nowhere.galeries.example/hooks", "host_unresolvable"),
    ],
)
def test_unsafe_urls_are_refused(url: str, reason: str) -> None:
    with pytest.raises(UnsafeWebhookUrl) as refused:
        check_url(url, allow_private=False, resolver=DNS)
    assert refused.value.reason == reason


def test_public_urls_are_pinned_to_the_checked_address() -> None:
    target = check_url("https://hooks.galeries.example/in?x=1", allow_private=False, resolver=DNS)
    assert (target.address, target.port, target.path) == ("93.184.215.14", 443, "/in?x=1")
    assert target.host_header == "hooks.galeries.example"
    v6 = check_url("https://v6.galeries.example:8443/", allow_private=False, resolver=DNS)
    assert v6.address.startswith("2606:2800") and v6.host_header == "v6.galeries.example:8443"


def test_the_test_setting_lets_a_local_receiver_through() -> None:
    target = check_url("http://127.0.0.1:8080/hooks", allow_private=True, resolver=DNS)
    assert target.address == "127.0.0.1"
