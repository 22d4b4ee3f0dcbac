"""Step definitions of ``verification_page.feature`` (state passes through
``target_fixture``); every scenario runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from pytest_bdd import given, parsers, scenarios, then, when

from labeling.keycustody import KeyfileSigner
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.verification.fixtures import issue
from verify.label_codec import format_certificate_code

scenarios("verification_page.feature")

BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"
ACCEPT_LANGUAGE = {
    "Spanish": "es-ES,es;q=0.9,en;q=0.5",
    "Arabic": "ar-MA,ar;q=0.9",
    "English": "en-GB,en;q=0.9",
}
IMAGE = "image/avif,image/webp,image/svg+xml,image/*,*/*;q=0.8"


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    """Requesting ``db_url`` runs each scenario on SQLite and on PostgreSQL."""
    return db_url


def _path(uri: str) -> str:
    """The label URI as the test client asks for it (path and query on this registry)."""
    return "/" + uri.split("/", 3)[3]


## Given


@given("a carpet of the cooperative carries a Khatem label", target_fixture="label")
def one_label(
    verify_client: TestClient, inspector: Actor, cert: CertificateRef, signer: KeyfileSigner
) -> str:
    [uri] = issue(verify_client, inspector, cert, 1)
    return uri


@given(parsers.parse("the cooperative shipped {count:d} labelled carpets"), target_fixture="labels")
def many_labels(
    verify_client: TestClient, inspector: Actor, cert: CertificateRef, count: int
) -> list[str]:
    return issue(verify_client, inspector, cert, count)


@given("the body suspends the cooperative's certificate after a failed check")
def suspended(verify_client: TestClient, admin: Actor, cert: CertificateRef) -> None:
    response = verify_client.post(
        f"/api/v1/certificates/{cert.id}/suspend",
        json={"reason_code": "surveillance_nonconformity"},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text


@given("the registry revokes the label as stolen")
def revoked_as_stolen(verify_client: TestClient, admin: Actor, label: str) -> None:
    serial = _path(label).split("/")[4].split("?")[0]
    listed = verify_client.get("/api/v1/labels", headers=admin.headers).json()["items"]
    label_id = next(item["id"] for item in listed if item["serial"] == serial)
    response = verify_client.post(
        f"/api/v1/labels/{label_id}/revoke",
        json={"reason_code": "lost_or_stolen"},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text


## When


@when(
    parsers.parse("a buyer whose phone speaks {language} scans the label"),
    target_fixture="page",
)
def buyer_scans(verify_client: TestClient, label: str, language: str) -> Response:
    response = verify_client.get(
        _path(label),
        headers={"Accept": BROWSER, "Accept-Language": ACCEPT_LANGUAGE[language]},
    )
    assert response.status_code == 200
    return response


@when(
    parsers.parse("a buyer whose phone speaks {language} scans the label with its serial altered"),
    target_fixture="page",
)
def buyer_scans_forgery(verify_client: TestClient, label: str, language: str) -> Response:
    path, query = _path(label).split("?", 1)
    forged = path[:-1] + ("2" if path[-1] != "2" else "3") + "?" + query
    response = verify_client.get(
        forged, headers={"Accept": BROWSER, "Accept-Language": ACCEPT_LANGUAGE[language]}
    )
    assert response.status_code == 200
    return response


@when(
    parsers.parse("the receiving clerk uploads a CSV file of the {count:d} scans"),
    target_fixture="upload",
)
def clerk_uploads(verify_client: TestClient, labels: list[str], count: int) -> dict[str, bytes]:
    content = ("scanned url\r\n" + "\r\n".join(labels[:count]) + "\r\n").encode()
    return {"content": content}


@when("the cooperative embeds its certificate badge", target_fixture="badge")
def embeds_badge(verify_client: TestClient, cert: CertificateRef) -> Response:
    code = format_certificate_code(cert.code)
    page = verify_client.get(f"/certificates/{code}?lang=en", headers={"Accept": BROWSER})
    snippet = re.search(r'<pre class="snippet"[^>]*>(.*?)</pre>', page.text, re.S)
    assert snippet is not None
    src = re.search(r"src=&#34;([^&]+)&#34;", snippet.group(1)) or re.search(
        r"src=&quot;([^&]+)&quot;", snippet.group(1)
    )
    assert src is not None
    badge_path = "/" + src.group(1).split("/", 3)[3]
    assert badge_path.endswith("/badge.svg?lang=en")
    response = verify_client.get(badge_path, headers={"Accept": IMAGE})
    response.snippet = snippet.group(1)  # type: ignore[attr-defined]
    return response


@when("a shop's website shows the cooperative's badge in French", target_fixture="badge")
def shows_badge_in_french(verify_client: TestClient, cert: CertificateRef) -> Response:
    code = format_certificate_code(cert.code)
    return verify_client.get(f"/certificates/{code}/badge.svg?lang=fr", headers={"Accept": IMAGE})


## Then


@then(parsers.parse('the page is in Spanish and says "{word}"'))
def page_in_spanish(page: Response, word: str) -> None:
    assert '<html lang="es" dir="ltr">' in page.text
    assert f'id="verdict-word">{word}</strong>' in page.text


@then("the buyer reads the cooperative's name in Latin and in Arabic script")
def names_in_both_scripts(page: Response) -> None:
    assert '<bdi class="latin" lang="fr" dir="ltr">Coopérative Akhiam</bdi>' in page.text
    assert '<bdi class="arabic" lang="ar" dir="rtl">تعاونية أخيام</bdi>' in page.text


@then("the buyer can switch the page to العربية, English or Français")
def switcher(page: Response) -> None:
    for lang, name in (("ar", "العربية"), ("en", "English"), ("fr", "Français")):
        assert re.search(rf'hreflang="{lang}"[^>]*>{name}</a>', page.text), lang


@then(parsers.parse('the page is in Arabic, laid out right to left, and says "{word}"'))
def page_in_arabic(page: Response, word: str) -> None:
    assert '<html lang="ar" dir="rtl">' in page.text
    assert f'id="verdict-word">{word}</strong>' in page.text


@then("the cooperative's Latin name stays left to right")
def latin_stays_ltr(page: Response) -> None:
    assert 'lang="fr" dir="ltr">Coopérative Akhiam</bdi>' in page.text


@then(parsers.parse('the clerk sees {count:d} verdicts, all "{word}"'))
def clerk_sees(verify_client: TestClient, upload: dict[str, bytes], count: int, word: str) -> None:
    response = verify_client.post(
        "/verify/bulk?lang=en",
        files={"file": ("pallet.csv", upload["content"], "text/csv")},
        data={"format": "html"},
        headers={"Accept": BROWSER},
    )
    assert response.status_code == 200
    assert response.text.count('<tr data-verdict="AUTHENTIC"') == count
    assert response.text.count("<tr data-verdict=") == count
    assert f"{word}: {count}" in response.text


@then(parsers.parse("the clerk can download the {count:d} verdicts as a CSV file"))
def clerk_downloads(verify_client: TestClient, upload: dict[str, bytes], count: int) -> None:
    response = verify_client.post(
        "/verify/bulk",
        files={"file": ("pallet.csv", upload["content"], "text/csv")},
        data={"format": "csv"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == count
    assert {row["verdict"] for row in rows} == {"AUTHENTIC"}
    assert len({row["serial"] for row in rows}) == count


@then(parsers.parse('the badge says "{word}" and links to the public certificate page'))
def badge_links(badge: Response, cert: CertificateRef, word: str) -> None:
    assert badge.status_code == 200
    assert badge.headers["content-type"].startswith("image/svg+xml")
    assert f">{word}</text>" in badge.text
    code = format_certificate_code(cert.code)
    assert f"/certificates/{code}&#34;" in badge.snippet or (  # type: ignore[attr-defined]
        f"/certificates/{code}&quot;" in badge.snippet  # type: ignore[attr-defined]
    )


@then("the certificate page shows the certificate in force, without personal data")
def certificate_in_force(verify_client: TestClient, cert: CertificateRef) -> None:
    code = format_certificate_code(cert.code)
    page = verify_client.get(f"/certificates/{code}?lang=en").text
    assert 'data-status="active"' in page and "Active" in page
    for private in ("CIN-000123", "+212600000000", "Derb ", "NIA-08-000123", "@khatem.test"):
        assert private not in page


@then(parsers.parse('the badge says "{word}"'))
def badge_says(badge: Response, word: str) -> None:
    assert badge.status_code == 200
    assert f">{word}</text>" in badge.text and 'data-status="suspended"' in badge.text


@then("the certificate page gives the reason for the suspension")
def page_gives_reason(verify_client: TestClient, cert: CertificateRef) -> None:
    code = format_certificate_code(cert.code)
    page = verify_client.get(f"/certificates/{code}?lang=fr").text
    assert 'data-status="suspended"' in page
    assert "Motif : non-conformité relevée lors d&#39;un contrôle" in page


def _element_text(page: Response, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', page.text, re.S)
    assert found is not None, element_id
    return html.unescape(found.group(1))


def _named(page: Response) -> list[tuple[str, str]]:
    """The catalogue names on the page: (lang, text) of each ``data-name`` element."""
    return [
        (lang, html.unescape(text))
        for lang, text in re.findall(
            r'<bdi lang="([a-z]+)" dir="auto" data-name>(.*?)</bdi>', page.text
        )
    ]


@then(parsers.parse('the headline says "{cause}"'))
def headline_says(page: Response, cause: str) -> None:
    assert _element_text(page, "verdict-cause") == cause


@then("no check below says that the certificate's conformity passed")
def conformity_not_passed(page: Response) -> None:
    row = re.search(r'<li class="o-([a-z_]+)" data-check="conformity">(.*?)</li>', page.text, re.S)
    assert row is not None
    assert row.group(1) != "passed"
    assert "Passed" not in row.group(2) and "No longer in force" in row.group(2)


@then("the page does not speak of a withdrawn certificate")
def no_withdrawn_certificate(page: Response) -> None:
    assert "withdrawn" not in page.text


@then("the headline names the failed check's finding")
def headline_names_finding(page: Response) -> None:
    failed = re.search(
        r'<li class="o-failed" data-check="[a-z_]+">.*?<p>(.*?)</p>', page.text, re.S
    )
    assert failed is not None
    assert _element_text(page, "verdict-cause") == html.unescape(failed.group(1))
    assert "not a genuine Khatem label" in _element_text(page, "verdict-meaning")


@then("the page lists only the checks that ran, and names the others in one sentence")
def no_unchecked_rows(page: Response) -> None:
    assert "Not checked" not in re.sub(r'<p class="skipped".*?</p>', "", page.text, flags=re.S)
    skipped = _element_text(page, "skipped-checks")
    assert skipped.startswith("Not checked, since the outcome was already decided: ")
    rows = page.text.count("data-check=")
    assert rows + len(skipped.split(": ", 1)[1].split(", ")) == 8


@then(parsers.parse('the region reads "{name}", marked as Arabic'))
def region_in_arabic(page: Response, name: str) -> None:
    assert ("ar", name) in _named(page)


@then(parsers.parse('the certifying body reads "{name}", marked as Arabic'))
def body_in_arabic(page: Response, name: str) -> None:
    assert ("ar", name) in _named(page)


@then("the label scheme, which has no Arabic name, is shown in French and marked as French")
def scheme_in_french(page: Response) -> None:
    assert ("fr", "Estampille tapis — qualité supérieure") in _named(page)
