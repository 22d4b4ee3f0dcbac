"""Headers of the content-negotiated public answers: caches keep one copy per
representation and language, nothing is sniffed, pages are not framed, and the paste-a-label
redirect never leaves the site."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.verification.fixtures import issue

ACCEPTS = ("text/html", "application/json", "application/linkset+json")


@pytest.fixture
def label_path(verify_client: TestClient, inspector: Actor, certificate: CertificateRef) -> str:
    [uri] = issue(verify_client, inspector, certificate, 1)
    return "/" + uri.split("/", 3)[3]


def test_every_representation_of_the_label_url_varies_and_has_its_own_etag(
    verify_client: TestClient, label_path: str
) -> None:
    etags = set()
    for accept in ACCEPTS:
        for lang in ("fr", "ar"):
            response = verify_client.get(
                label_path, headers={"Accept": accept, "Accept-Language": lang}
            )
            assert response.status_code == 200
            vary = {v.strip().lower() for v in response.headers["vary"].split(",")}
            assert {"accept", "accept-language"} <= vary
            assert response.headers["x-content-type-options"] == "nosniff"
            etags.add((accept, response.headers["etag"]))
    html = {etag for accept, etag in etags if accept == "text/html"}
    assert len(html) == 2  # one per language
    by_representation = [{e for a, e in etags if a == accept} for accept in ACCEPTS]
    assert not (by_representation[0] & by_representation[1])
    assert not (by_representation[1] & by_representation[2])
    # An ETag of one representation never validates another.
    json_etag = next(iter(by_representation[1]))
    page = verify_client.get(
        label_path, headers={"Accept": "text/html", "If-None-Match": json_etag}
    )
    assert page.status_code == 200


def test_the_html_page_cannot_be_framed_and_allows_no_script(
    verify_client: TestClient, label_path: str
) -> None:
    headers = verify_client.get(label_path, headers={"Accept": "text/html"}).headers
    policy = headers["content-security-policy"]
    assert policy.startswith("default-src 'none'")
    assert "frame-ancestors 'none'" in policy and "script-src" not in policy
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/certificates/C-0000000", "application/json"),
        ("/certificates/C-0000000", "text/html"),
        ("/certificates/C-0000000/badge.svg", "application/json"),
        ("/certificates/C-0000000/badge.svg", "image/*"),
    ],
)
def test_negotiated_not_found_answers_vary_on_accept(
    verify_client: TestClient, path: str, accept: str
) -> None:
    """A 404 is cacheable by default: a problem+json kept for an API client must not be
    served to a browser (or to an <img>), and the other way round."""
    response = verify_client.get(path, headers={"Accept": accept})
    assert response.status_code == 404
    assert "accept" in {v.strip().lower() for v in response.headers["vary"].split(",")}
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "lang", ["es\r\nSet-Cookie: a=b", "x" * 16, "<script>", "ar\u202e", "../../etc"]
)
def test_hostile_lang_values_never_reach_a_header(verify_client: TestClient, lang: str) -> None:
    response = verify_client.get("/", params={"lang": lang})
    assert response.status_code in (200, 422)  # over 16 characters: refused, documented
    assert response.headers.get("content-language", "fr") == "fr"
    assert "set-cookie" not in response.headers


def test_a_huge_accept_language_is_read_only_so_far(verify_client: TestClient) -> None:
    header = ",".join(["xx-YY;q=0.5"] * 4000) + ",es"
    response = verify_client.get("/", headers={"Accept-Language": header})
    assert response.status_code in (200, 431)


def test_the_paste_redirect_stays_on_this_site(verify_client: TestClient, label_path: str) -> None:
    foreign = "https://evil.example" + label_path
    response = verify_client.get("/verify", params={"url": foreign}, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith(label_path.split("?")[0] + "?")
    assert "evil" not in location and not location.startswith("//")
