"""Rate limits on the public verification routes: 429 problem+json with Retry-After for the
client over its budget, and nobody else affected."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient

from core.auth import public
from core.rate_limit import TokenBucket, rate_limit, spend
from core.settings import Settings
from main import create_app

LABEL = "/01/06111234000019/21/7F3K2MQ9XB?S=1" + "0" * 184


@pytest.fixture
def tight_app(settings: Settings) -> FastAPI:
    """The app with tiny budgets: 3 scans at once then 1 a minute; 1 bulk call."""
    tight = settings.model_copy(
        update={
            "rate_limit_verify_burst": 3,
            "rate_limit_verify_per_minute": 1,
            "rate_limit_bulk_burst": 1,
            "rate_limit_bulk_per_minute": 1,
            "rate_limit_pages_burst": 1,
            "rate_limit_pages_per_minute": 1,
        }
    )
    app = create_app(tight)

    @app.get("/test/page", dependencies=[Depends(public), Depends(rate_limit("pages"))])
    async def page() -> dict[str, str]:
        return {"page": "ok"}

    @app.get("/test/other-page", dependencies=[Depends(public), Depends(rate_limit("pages"))])
    async def other_page() -> dict[str, str]:
        return {"page": "ok"}

    @app.get("/test/charged-twice", dependencies=[Depends(public)])
    async def charged_twice(request: Request) -> dict[str, int]:
        # As when the label URL's fast path hands a request on to the route.
        return {"first": spend(request, "verify"), "second": spend(request, "verify")}

    return app


def _client(app: FastAPI, address: str) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, client=(address, 50000))


@pytest.fixture
def buyer(tight_app: FastAPI) -> Iterator[TestClient]:
    with _client(tight_app, "203.0.113.7") as client:
        yield client


def test_a_client_over_its_budget_gets_429_with_retry_after(buyer: TestClient) -> None:
    for _ in range(3):
        assert buyer.get(LABEL, headers={"Accept": "application/json"}).status_code == 200
    refused = buyer.get(LABEL, headers={"Accept": "application/json"})
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "https://khatem.ma/problems/rate-limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["retry_after"] == int(refused.headers["retry-after"])
    # The single JSON endpoint is the same route class.
    assert buyer.get("/api/v1/verify", params={"label": "x"}).status_code == 429


def test_other_clients_and_other_route_classes_are_unaffected(
    tight_app: FastAPI, buyer: TestClient
) -> None:
    for _ in range(4):
        buyer.get(LABEL)
    assert buyer.get(LABEL).status_code == 429
    with _client(tight_app, "198.51.100.23") as neighbour:
        assert neighbour.get(LABEL).status_code == 200
    assert buyer.post("/api/v1/verify", json={"labels": [LABEL]}).status_code == 200
    assert buyer.post("/api/v1/verify", json={"labels": [LABEL]}).status_code == 429


def test_routes_of_one_class_share_its_budget(buyer: TestClient) -> None:
    assert buyer.get("/test/page").status_code == 200
    assert buyer.get("/test/page").status_code == 429
    assert buyer.get("/test/other-page").status_code == 429  # same class, same budget


def test_a_request_is_charged_once_per_class(buyer: TestClient) -> None:
    """Three scans at once are the budget: one request asking twice spends one token."""
    for _ in range(3):
        assert buyer.get("/test/charged-twice").json() == {"first": 0, "second": 0}
    refused = buyer.get("/test/charged-twice").json()
    assert refused["first"] >= 1 and refused["second"] >= 1


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b'{"labels": "not a list"}', "application/json", 422),  # refused by the route
        (b'{"labels": [', "application/json", 400),  # refused by the request guard
        (b'{"labels": [], "labels": []}', "application/json", 400),
        (b"labels=x", "text/plain", 415),
    ],
)
def test_junk_spends_the_budget_too(
    buyer: TestClient, body: bytes, content_type: str, status: int
) -> None:
    """A call is charged when it arrives, before its body is read: a flood of junk is
    answered 429 without parsing it, and then a good call waits its turn like any other."""
    headers = {"Content-Type": content_type}
    assert buyer.post("/api/v1/verify", content=body, headers=headers).status_code == status
    refused = buyer.post("/api/v1/verify", content=body, headers=headers)
    assert refused.status_code == 429
    assert refused.json()["type"] == "https://khatem.ma/problems/rate-limited"
    assert buyer.post("/api/v1/verify", json={"labels": []}).status_code == 429


def test_limits_can_be_switched_off(settings: Settings) -> None:
    app = create_app(
        settings.model_copy(update={"rate_limit_enabled": False, "rate_limit_verify_burst": 1})
    )
    with _client(app, "203.0.113.9") as client:
        assert all(client.get(LABEL).status_code == 200 for _ in range(5))


def test_a_bucket_refills_at_its_rate() -> None:
    bucket = TokenBucket(per_minute=60, burst=2)
    assert bucket.take("a", now=0.0) == 0.0
    assert bucket.take("a", now=0.0) == 0.0
    assert bucket.take("a", now=0.0) == pytest.approx(1.0)
    assert bucket.take("a", now=0.5) == pytest.approx(0.5)
    assert bucket.take("a", now=1.0) == 0.0
    assert bucket.take("b", now=1.0) == 0.0


def test_idle_buckets_are_swept_when_many_clients_appear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("core.rate_limit._SWEEP_ABOVE", 10)
    bucket = TokenBucket(per_minute=60, burst=1)
    for n in range(10):
        bucket.take(f"10.0.0.{n}", now=0.0)
    bucket.take("10.0.1.1", now=100.0)  # everyone else has refilled by now
    assert set(bucket.clients) == {"10.0.1.1"}


def test_an_unknown_route_class_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        rate_limit("everything")  # type: ignore[arg-type]


def test_a_spoofed_x_forwarded_for_does_not_buy_a_new_budget(buyer: TestClient) -> None:
    """The app never reads X-Forwarded-For (only a proxy the ASGI server is told to trust
    may set the client address): a client cannot claim to be someone else."""
    for n in range(3):
        buyer.get(LABEL, headers={"X-Forwarded-For": f"198.51.100.{n}"})
    spoofed = buyer.get(
        LABEL, headers={"X-Forwarded-For": "192.0.2.99", "Forwarded": "for=192.0.2.98"}
    )
    assert spoofed.status_code == 429


def test_one_ipv6_network_is_one_client(tight_app: FastAPI) -> None:
    """An IPv6 host holds a whole /64: rotating addresses inside it is not a new client."""
    for n in range(3):
        with _client(tight_app, f"2001:db8:1:2::{n + 1:x}") as client:
            assert client.get(LABEL).status_code == 200
    with _client(tight_app, "2001:db8:1:2:ffff:ffff:ffff:ffff") as rotated:
        assert rotated.get(LABEL).status_code == 429
    with _client(tight_app, "2001:db8:1:3::1") as neighbour:
        assert neighbour.get(LABEL).status_code == 200
    with _client(tight_app, "::ffff:203.0.113.50") as mapped:  # IPv4 in IPv6 clothing
        assert mapped.get(LABEL).status_code == 200
    with _client(tight_app, "203.0.113.50") as same:
        same.get(LABEL)
        same.get(LABEL)
        assert same.get(LABEL).status_code == 429


def test_a_flood_of_new_addresses_does_not_reset_the_busy_clients(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Memory stays bounded, but a flood of fresh addresses must not wipe every bucket
    (that would hand the flooder, and everyone it is hiding among, a fresh burst)."""
    monkeypatch.setattr("core.rate_limit._SWEEP_ABOVE", 100)
    bucket = TokenBucket(per_minute=1, burst=1)
    assert bucket.take("203.0.113.7", now=0.0) == 0.0
    for n in range(1000):
        bucket.take(f"10.0.{n // 256}.{n % 256}", now=1.0)
        assert bucket.take("203.0.113.7", now=1.0) > 0, n  # the abuser: still limited
        assert len(bucket.clients) <= 100
