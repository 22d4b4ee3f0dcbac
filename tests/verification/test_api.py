"""The verification HTTP API: the label URL's three representations, the single and bulk
JSON endpoints, cache validators and the answers to structurally bad requests."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from core.settings import Settings
from labeling.verification.service import forget_registry
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.verification.fixtures import checkpoint, issue

JSON = {"Accept": "application/json"}
LINKSET = {"Accept": "application/linkset+json"}
GS1 = "https://gs1.org/voc/"


def _path(uri: str) -> str:
    return "/" + uri.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def uris(verify_client: TestClient, inspector: Actor, certificate: CertificateRef) -> list[str]:
    return issue(verify_client, inspector, certificate, 3)


def test_the_label_url_answers_json_with_cache_headers(
    verify_client: TestClient, uris: list[str]
) -> None:
    response = verify_client.get(_path(uris[0]), headers=JSON)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["vary"] == "Accept, Accept-Language"
    assert response.headers["cache-control"] == "public, max-age=30"
    assert response.headers["etag"].startswith('W/"')
    assert response.json()["verdict"] == "AUTHENTIC"


def test_any_case_of_host_and_extra_query_parameters_are_the_same_label(
    verify_client: TestClient, uris: list[str]
) -> None:
    for host in ("khatem.ma", "KHATEM.MA", "Khatem.Ma"):
        response = verify_client.get(_path(uris[0]) + "&lang=es", headers={**JSON, "Host": host})
        assert response.json()["verdict"] == "AUTHENTIC"


def test_an_unchanged_verdict_revalidates_with_304(
    verify_client: TestClient, uris: list[str]
) -> None:
    first = verify_client.get(_path(uris[0]), headers=JSON)
    again = verify_client.get(
        _path(uris[0]), headers={**JSON, "If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    other = verify_client.get(
        _path(uris[1]), headers={**JSON, "If-None-Match": first.headers["etag"]}
    )
    assert other.status_code == 200


def test_a_status_change_changes_the_etag(
    verify_client: TestClient, uris: list[str], admin: Actor, certificate: CertificateRef
) -> None:
    before = verify_client.get(_path(uris[0]), headers=JSON).headers["etag"]
    verify_client.post(
        f"/api/v1/certificates/{certificate.id}/suspend",
        json={"reason_code": "fraud"},
        headers=admin.headers,
    ).raise_for_status()
    after = verify_client.get(_path(uris[0]), headers={**JSON, "If-None-Match": before})
    assert after.status_code == 200
    assert after.json()["verdict"] == "SUSPENDED"


def test_the_label_url_answers_a_gs1_linkset(
    verify_client: TestClient, labels_app: FastAPI, uris: list[str]
) -> None:
    response = verify_client.get(_path(uris[0]), headers=LINKSET)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/linkset+json"
    [entry] = response.json()["linkset"]
    gtin, serial = _path(uris[0]).split("?")[0].split("/")[2::2]
    base = labels_app.state.settings.public_base_url
    assert entry["anchor"] == f"{base}/01/{gtin}/21/{serial}"
    code = verify_client.get(_path(uris[0]), headers=JSON).json()["certificate"]["code"]
    [certification] = entry[GS1 + "certificationInfo"]
    assert certification["href"] == f"{base}/certificates/{code}"
    [page] = entry[GS1 + "pip"]
    assert page["href"].startswith(f"{base}/01/{gtin}/21/{serial}?S=1")
    assert page["type"] == "text/html"
    assert entry[GS1 + "defaultLink"] == [page]


def test_a_forged_label_linkset_has_no_certification_link(verify_client: TestClient) -> None:
    response = verify_client.get(
        "/01/06111234000019/21/7F3K2MQ9XB?S=1" + "7" * 184, headers=LINKSET
    )
    assert response.status_code == 200
    [entry] = response.json()["linkset"]
    assert GS1 + "certificationInfo" not in entry


def test_json_is_chosen_by_quality_and_browsers_get_html(verify_client: TestClient) -> None:
    path = "/01/06111234000019/21/7F3K2MQ9XB?S=1" + "0" * 184
    picky = verify_client.get(path, headers={"Accept": "text/html;q=0.1, application/json;q=0.9"})
    assert picky.headers["content-type"] == "application/json"
    browser = verify_client.get(
        path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert browser.status_code == 200
    assert browser.headers["vary"] == "Accept, Accept-Language"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/01/06111234000019/21/7F3K2MQ9XB", "signature_missing"),
        ("/01/06111234000019/21/7F3K2MQ9XB?S=1" + "0" * 100, "signature_malformed"),
        ("/01/06111234000018/21/7F3K2MQ9XB?S=1" + "0" * 184, "gtin_check_digit"),
        ("/01/0611123400001/21/7F3K2MQ9XB?S=1" + "0" * 184, "gtin_malformed"),
        ("/01/06111234000019/21/7f3k2mq9xb?S=1" + "0" * 184, "serial_invalid"),
        ("/01/06111234000019/21/7F3K2MQ9XB?S=9" + "0" * 184, "version_unsupported"),
        ("/01/06111234000019/21/7F3K2MQ9XB?S=1" + "0" * 184 + "&S=1", "signature_duplicate"),
        ("/01/06111234000019/21/7F3K2MQ9XB?S=1" + "0" * 600, "uri_too_long"),
        ("/01/06111234000019/21/%E2%9C%93?S=1" + "0" * 184, "serial_invalid"),
    ],
)
def test_malformed_labels_are_invalid_verdicts_not_errors(
    verify_client: TestClient, path: str, reason: str
) -> None:
    response = verify_client.get(path, headers=JSON)
    assert response.status_code == 200, response.text
    verdict = response.json()
    assert verdict["verdict"] == "INVALID"
    assert verdict["reasons"] == [reason]
    assert verdict["label"] is None and verdict["certificate"] is None
    assert response.headers["cache-control"] == "public, max-age=86400"


def test_a_tampered_serial_is_invalid_by_signature(
    verify_client: TestClient, uris: list[str]
) -> None:
    path = _path(uris[0])
    serial = path.split("/")[4].split("?")[0]
    swapped = serial[:-1] + ("0" if serial[-1] != "0" else "1")
    verdict = verify_client.get(path.replace(f"/{serial}?", f"/{swapped}?"), headers=JSON).json()
    assert verdict["verdict"] == "INVALID"
    assert verdict["reasons"] == ["signature_invalid"]


def test_a_label_reusing_a_real_serial_with_another_claim_is_not_on_record(
    verify_client: TestClient, uris: list[str]
) -> None:
    """Copying a genuine serial and signature but changing the issue time (or anything
    else signed) does not match what the registry signed."""
    path = _path(uris[0])
    head, digits = path.split("?S=1")
    number = int(digits) ^ (1 << (64 * 8 + 5))  # a bit of issued_at, outside the signature
    tampered = f"{head}?S=1{str(number).rjust(184, '0')}"
    verdict = verify_client.get(tampered, headers=JSON).json()
    assert verdict["verdict"] == "INVALID"
    assert verdict["reasons"] in (["signature_not_on_record"], ["issued_at_future"])


def test_the_single_json_endpoint_takes_the_uri_as_a_parameter(
    verify_client: TestClient, uris: list[str]
) -> None:
    response = verify_client.get("/api/v1/verify", params={"label": uris[0].lower()})
    assert response.status_code == 200
    assert response.json()["verdict"] == "INVALID"  # the path is case-sensitive
    response = verify_client.get(f"/api/v1/verify?label={quote(uris[0], safe='')}")
    assert response.json()["verdict"] == "AUTHENTIC"
    assert verify_client.get("/api/v1/verify").status_code == 422


def test_bulk_returns_one_verdict_per_label_in_order(
    verify_client: TestClient, labels_app: FastAPI, uris: list[str]
) -> None:
    checkpoint(labels_app)
    batch = [uris[2], "not a label", uris[0], "", uris[2]]
    response = verify_client.post("/api/v1/verify", json={"labels": batch})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == 5
    verdicts = [v["verdict"] for v in body["verdicts"]]
    assert verdicts == ["AUTHENTIC", "INVALID", "AUTHENTIC", "INVALID", "AUTHENTIC"]
    assert [v["label"]["serial"] for v in body["verdicts"] if v["label"]] == [
        _path(u).split("/")[4].split("?")[0] for u in (uris[2], uris[0], uris[2])
    ]
    single = verify_client.get(_path(uris[0]), headers=JSON).json()
    assert _without_time(body["verdicts"][2]) == _without_time(single)


def _without_time(verdict: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in verdict.items() if k != "checked_at"}


def test_bulk_refuses_more_than_a_thousand_labels(verify_client: TestClient) -> None:
    response = verify_client.post("/api/v1/verify", json={"labels": ["x"] * 1001})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert verify_client.post("/api/v1/verify", json={"labels": ["x"] * 1000}).status_code == 200


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"labels=1", "application/x-www-form-urlencoded", 415),
        (b"{not json", "application/json", 400),
        (b'{"labels": "HTTPS://KHATEM.MA/01"}', "application/json", 422),
        (b'{"labels": [1, 2]}', "application/json", 422),
        (b'{"labels": [], "extra": 1}', "application/json", 422),
        (b'{"labels": [], "labels": []}', "application/json", 400),
    ],
)
def test_bulk_requests_that_are_not_bulk_requests_are_problems(
    verify_client: TestClient, body: bytes, content_type: str, status: int
) -> None:
    response = verify_client.post(
        "/api/v1/verify", content=body, headers={"Content-Type": content_type}
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_a_browser_gets_the_page_in_its_language_with_the_page_policy(
    verify_client: TestClient, uris: list[str]
) -> None:
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    # The page says the minute it was checked: a minute may turn between the two requests
    # (a new page, rightly a new ETag), so a second pair is tried; both failing is a bug.
    for _ in range(2):
        response = verify_client.get(
            _path(uris[0]), headers={**browser, "Accept-Language": "ar,fr;q=0.5"}
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.headers["content-language"] == "ar"
        assert 'dir="rtl"' in response.text
        assert "content-security-policy" in response.headers
        assert response.headers["vary"] == "Accept, Accept-Language"
        etag = response.headers["etag"]
        again = verify_client.get(
            _path(uris[0]), headers={**browser, "Accept-Language": "ar", "If-None-Match": etag}
        )
        if again.status_code == 304:
            break
    assert again.status_code == 304
    spanish = verify_client.get(_path(uris[0]) + "&lang=es", headers=browser)
    assert spanish.headers["content-language"] == "es"


def test_oversized_parts_are_invalid_verdicts_up_to_the_documented_bound(
    verify_client: TestClient,
) -> None:
    long_gtin = "/01/" + "0" * 400 + "/21/7F3K2MQ9XB?S=1" + "0" * 184
    response = verify_client.get(long_gtin, headers=JSON)
    assert response.status_code == 200
    assert response.json()["reasons"] == ["uri_too_long"]
    beyond = verify_client.get("/01/06111234000019/21/7F3K2MQ9XB?S=" + "1" * 4097)
    assert beyond.status_code == 422
    assert beyond.headers["content-type"] == "application/problem+json"


def test_a_registry_without_its_database_answers_503_not_a_verdict(
    settings: Settings, tmp_path: Path
) -> None:
    from main import create_app

    missing = settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'gone.db'}"})
    with TestClient(create_app(missing), raise_server_exceptions=False) as client:
        response = client.get("/01/06111234000019/21/7F3K2MQ9XB?S=1" + "0" * 184, headers=JSON)
        label = "HTTPS://KHATEM.MA/01/06111234000019/21/7F3K2MQ9XB?S=1" + "0" * 184
        bulk = client.post("/api/v1/verify", json={"labels": [label]})
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "https://khatem.ma/problems/registry-unavailable"
    assert response.headers["retry-after"] == "5"
    assert bulk.status_code == 503
    forget_registry(missing)


def test_a_language_beyond_its_bound_is_refused_and_an_unknown_one_ignored(
    verify_client: TestClient,
) -> None:
    path = "/01/06111234000019/21/7F3K2MQ9XB?S=1" + "0" * 184
    assert verify_client.get(path + "&lang=de", headers=JSON).status_code == 200
    refused = verify_client.get(path + "&lang=" + "x" * 17, headers=JSON)
    assert refused.status_code == 422
    assert refused.json()["type"] == "https://khatem.ma/problems/validation-error"
