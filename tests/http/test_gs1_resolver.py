"""GS1 Digital Link resolver conventions on the label URL (labeling.verification.resolver):
``linkType``, the ``Link`` header to the linkset, and absolute URLs on the address the
registry is configured (or bound) to."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.verification.fixtures import issue

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

GS1 = "https://gs1.org/voc/"
LINKSET = "application/linkset+json"


def _path(uri: str) -> str:
    return "/" + uri.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def uris(verify_client: TestClient, inspector: Actor, certificate: CertificateRef) -> list[str]:
    return issue(verify_client, inspector, certificate, 1)


@pytest.fixture
def base(labels_app: FastAPI) -> str:
    return str(labels_app.state.settings.public_base_url).rstrip("/")


def _linkset(client: TestClient, path: str) -> dict[str, object]:
    response = client.get(path, headers={"Accept": LINKSET})
    assert response.status_code == 200
    entry: dict[str, object] = response.json()["linkset"][0]
    return entry


def test_link_type_all_and_linkset_answer_the_linkset_whatever_accept_says(
    verify_client: TestClient, uris: list[str]
) -> None:
    path = _path(uris[0])
    expected = _linkset(verify_client, path)
    for link_type in ("all", "linkset"):
        for accept in (None, "text/html", "application/json"):
            headers = {"Accept": accept} if accept else {}
            response = verify_client.get(f"{path}&linkType={link_type}", headers=headers)
            assert response.status_code == 200
            assert response.headers["content-type"] == LINKSET
            assert response.json()["linkset"][0] == expected


def test_a_link_type_of_the_linkset_redirects_to_its_target(
    verify_client: TestClient, uris: list[str]
) -> None:
    path = _path(uris[0])
    entry = _linkset(verify_client, path)
    for short in ("certificationInfo", "pip", "verificationService", "defaultLink"):
        links = entry[GS1 + short]
        assert isinstance(links, list)
        for spelled in (f"gs1:{short}", quote(GS1 + short, safe="")):
            response = verify_client.get(f"{path}&linkType={spelled}", follow_redirects=False)
            assert response.status_code == 307, (spelled, response.text)
            assert response.headers["location"] == links[0]["href"]
            assert "linkType" not in response.headers["location"]
    certification = verify_client.get(f"{path}&linkType=gs1:certificationInfo")
    assert certification.status_code == 200  # the certificate page, followed
    assert "text/html" in certification.headers["content-type"]


def test_an_unknown_link_type_gets_the_default_answer(
    verify_client: TestClient, uris: list[str]
) -> None:
    path = _path(uris[0])
    for accept in ("application/json", "text/html"):
        plain = verify_client.get(path, headers={"Accept": accept})
        for link_type in ("gs1:recipeInfo", "nonsense", "", "anchor"):
            response = verify_client.get(
                f"{path}&linkType={link_type}", headers={"Accept": accept}, follow_redirects=False
            )
            assert response.status_code == 200, link_type
            assert response.headers["content-type"] == plain.headers["content-type"]
            assert response.headers["etag"] == plain.headers["etag"]


def test_every_answer_of_the_label_url_links_to_its_linkset(
    verify_client: TestClient, uris: list[str], base: str
) -> None:
    path = _path(uris[0])
    expected = f'<{base}{path}&linkType=linkset>; rel="linkset"; type="{LINKSET}"'
    for url in (path, path + "&lang=ar"):  # the fast path and the route
        for accept in ("application/json", LINKSET, "text/html"):
            response = verify_client.get(url, headers={"Accept": accept})
            link = response.headers["link"]
            if url == path:
                assert link == expected
            assert 'rel="linkset"' in link
            target = link[1 : link.index(">")]
            linked = verify_client.get(target.removeprefix(base))
            assert linked.headers["content-type"] == LINKSET
    forged = verify_client.get("/01/06111234000019/21/7F3K2MQ9XB?S=1" + "7" * 184)
    assert 'rel="linkset"' in forged.headers["link"]


def test_a_link_header_never_carries_what_would_end_the_link(verify_client: TestClient) -> None:
    response = verify_client.get(
        '/01/0611>;,"/21/x?S=1&a=">,<x>;rel=next', headers={"Accept": "application/json"}
    )
    assert response.status_code == 200
    link = response.headers["link"]
    target = link[1 : link.index(">")]
    assert not set(target) & set('<>;," ')
    assert link.endswith(f'>; rel="linkset"; type="{LINKSET}"')
