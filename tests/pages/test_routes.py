"""The public page routes over a real registry (SQLite and PostgreSQL): certificate pages,
badges, the home page and paste-a-label, the bulk CSV upload; headers, caching, errors."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from core.calendar import registry_today
from core.settings import Settings
from labeling.keycustody import KeyfileSigner
from main import create_app
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef, make_certificate
from tests.verification.fixtures import issue
from verify.label_codec import format_certificate_code
from verify.pages.http import CONTENT_SECURITY_POLICY

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
API = {"Accept": "application/json"}
IMAGE = {"Accept": "image/avif,image/webp,image/svg+xml,image/*,*/*;q=0.8"}
#: What the registry holds about the Akhiam cooperative but must never show.
PRIVATE = (
    "CIN-000123",  # national id
    "+212600000000",  # phone
    "Derb Coopérative Akhiam",  # address
    "NIA-08-000123",  # registry number
    "AKHIAM7TAZ",  # internal public id (enumerable)
    "@khatem.test",  # e-mail addresses
    "Taznakht",  # the address's town (only the region is public)
    "a private note",  # a suspension's free-text note
)


@pytest.fixture
def code(certificate: CertificateRef) -> str:
    return format_certificate_code(certificate.code)


def _assert_public(text: str) -> None:
    for private in PRIVATE:
        assert private not in text


def _assert_page_headers(response: object, lang: str) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-type"].startswith("text/html")
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src" not in CONTENT_SECURITY_POLICY
    assert headers["content-language"] == lang
    assert headers["x-content-type-options"] == "nosniff"


# ------------------------------------------------------------------------ certificate page


def test_certificate_page_shows_public_facts_only(
    verify_client: TestClient, code: str, artisan_user: Actor
) -> None:
    response = verify_client.get(f"/certificates/{code}", headers=BROWSER)
    assert response.status_code == 200
    _assert_page_headers(response, "fr")
    page = response.text
    assert '<html lang="fr" dir="ltr">' in page
    assert 'lang="fr" dir="ltr">Coopérative Akhiam</bdi>' in page
    assert 'lang="ar" dir="rtl">تعاونية أخيام</bdi>' in page
    assert "Tapis Ouzguita noué main" in page  # the scope, by the product's public name
    assert "Drâa-Tafilalet" in page
    assert 'data-status="active"' in page and "En vigueur" in page
    assert f"/certificates/{code}/badge.svg" in page  # the embed snippet
    assert "&lt;a href=&#34;http" in page or "&lt;a href=&quot;http" in page
    _assert_public(page)


def test_certificate_page_speaks_the_reader_s_language(
    verify_client: TestClient, code: str
) -> None:
    spanish = verify_client.get(
        f"/certificates/{code}", headers={**BROWSER, "Accept-Language": "es-ES,es;q=0.9"}
    )
    assert spanish.headers["content-language"] == "es" and "En vigor" in spanish.text
    arabic = verify_client.get(f"/certificates/{code}?lang=ar", headers=BROWSER)
    assert '<html lang="ar" dir="rtl">' in arabic.text and "سارية" in arabic.text


def test_certificate_code_is_read_leniently(verify_client: TestClient, code: str) -> None:
    response = verify_client.get(f"/certificates/{code.lower().replace('-', '')}")
    assert response.status_code == 200
    assert code in response.text


def test_a_suspended_certificate_says_so_with_its_reason(
    verify_client: TestClient, certificate: CertificateRef, code: str, admin: Actor
) -> None:
    response = verify_client.post(
        f"/api/v1/certificates/{certificate.id}/suspend",
        json={"reason_code": "surveillance_nonconformity", "reason_text": "a private note"},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    page = verify_client.get(f"/certificates/{code}?lang=en").text
    assert 'data-status="suspended"' in page
    assert "Suspended" in page
    assert "a non-conformity found during a check" in page
    _assert_public(page)
    badge = verify_client.get(f"/certificates/{code}/badge.svg?lang=es", headers=IMAGE)
    assert badge.status_code == 200
    assert "suspendido" in badge.text and 'data-status="suspended"' in badge.text


def test_certificate_page_etag_gives_304(verify_client: TestClient, code: str) -> None:
    first = verify_client.get(f"/certificates/{code}")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    again = verify_client.get(f"/certificates/{code}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    other_language = verify_client.get(
        f"/certificates/{code}?lang=ar", headers={"If-None-Match": etag}
    )
    assert other_language.status_code == 200


@pytest.mark.parametrize("unknown", ["C-0000000", "not-a-code", "C-ZZZZZZZ", "%F0%9F%A6%84"])
def test_unknown_certificate_is_404_page_or_problem(
    verify_client: TestClient, unknown: str
) -> None:
    page = verify_client.get(f"/certificates/{unknown}?lang=es", headers=BROWSER)
    assert page.status_code == 404
    assert "Ningún certificado tiene este código" in page.text
    assert 'data-problem="certificate-not-found"' in page.text
    api = verify_client.get(f"/certificates/{unknown}", headers=API)
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"
    assert api.json()["type"].endswith("/certificate-not-found")


# ---------------------------------------------------------------------------------- badge


def test_badge_is_a_cacheable_svg_in_the_page_language(
    verify_client: TestClient, code: str
) -> None:
    response = verify_client.get(f"/certificates/{code}/badge.svg?lang=fr", headers=IMAGE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["cache-control"] == "public, max-age=300"
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert "certifié" in response.text and code in response.text
    assert "<script" not in response.text
    etag = response.headers["etag"]
    again = verify_client.get(
        f"/certificates/{code}/badge.svg?lang=fr", headers={"If-None-Match": f"W/{etag}"}
    )
    assert again.status_code == 304
    arabic = verify_client.get(f"/certificates/{code}/badge.svg?lang=ar")
    assert "معتمد" in arabic.text and arabic.headers["etag"] != etag


def test_badge_of_an_unknown_certificate(verify_client: TestClient) -> None:
    image = verify_client.get("/certificates/C-0000000/badge.svg?lang=en", headers=IMAGE)
    assert image.status_code == 404 and "unknown" in image.text
    assert image.headers["content-type"].startswith("image/svg+xml")
    api = verify_client.get("/certificates/C-0000000/badge.svg", headers=API)
    assert api.status_code == 404 and api.json()["type"].endswith("/certificate-not-found")


# --------------------------------------------------------------------------- home, paste


def test_home_page_in_every_language(verify_client: TestClient) -> None:
    default = verify_client.get("/", headers=BROWSER)
    assert default.status_code == 200
    _assert_page_headers(default, "fr")
    assert 'action="/verify"' in default.text and 'href="/verify/bulk?lang=fr"' in default.text
    for lang, words in {"en": "Check a Moroccan", "es": "Verificar una", "ar": "تحقق من"}.items():
        page = verify_client.get("/", headers={"Accept-Language": lang})
        assert page.headers["content-language"] == lang and words in page.text


def test_a_pasted_label_address_leads_to_its_page(
    verify_client: TestClient, inspector: Actor, certificate: CertificateRef, signer: KeyfileSigner
) -> None:
    [uri] = issue(verify_client, inspector, certificate, 1)
    response = verify_client.get(
        "/verify", params={"url": f"  {uri} ", "lang": "es"}, follow_redirects=False
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/01/") and location.endswith("&lang=es")
    assert uri.split("/", 3)[3].split("?")[0] in location
    typed = verify_client.get(
        "/verify", params={"url": uri.split("://", 1)[1]}, follow_redirects=False
    )
    assert typed.status_code == 303 and typed.headers["location"].startswith("/01/")


def test_a_pasted_non_label_gets_help_and_a_broken_label_its_invalid_verdict(
    verify_client: TestClient,
) -> None:
    response = verify_client.get(
        "/verify", params={"url": "https://example.com/evil", "lang": "en"}, headers=BROWSER
    )
    assert response.status_code == 404  # no code at all: what can be typed, not "forged"
    assert 'data-typed="unknown"' in response.text and "data-verdict" not in response.text
    broken = verify_client.get(
        "/verify", params={"url": "KHATEM.MA/01/123", "lang": "en"}, headers=BROWSER
    )
    assert broken.status_code == 200 and 'data-verdict="INVALID"' in broken.text
    empty = verify_client.get("/verify", params={"url": " "}, follow_redirects=False)
    assert empty.status_code == 303 and empty.headers["location"] == "/?lang=fr"
    for hostile in ("//evil.example/01/x", "javascript:alert(1)", "\u202e" * 50):
        answer = verify_client.get("/verify", params={"url": hostile}, follow_redirects=False)
        assert answer.status_code in (200, 303, 404)
        assert not answer.headers.get("location", "/").startswith("//")


# ----------------------------------------------------------------------------------- bulk


def _upload(
    client: TestClient, content: bytes, *, fmt: str | None = None, headers: dict[str, str]
) -> object:
    data = {"format": fmt} if fmt else None
    return client.post(
        "/verify/bulk?lang=en",
        files={"file": ("scans.csv", content, "text/csv")},
        data=data,
        headers=headers,
    )


def test_bulk_page_shows_a_form(verify_client: TestClient) -> None:
    response = verify_client.get("/verify/bulk?lang=es", headers=BROWSER)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert 'value="csv"' in response.text and "1000" in response.text.replace(".", "")


def test_bulk_upload_gives_one_row_per_scan(
    verify_client: TestClient, inspector: Actor, certificate: CertificateRef
) -> None:
    uris = issue(verify_client, inspector, certificate, 3)
    content = ("url\n" + "\n".join(uris) + '\n\n=HYPERLINK("http://x")\nnot a label\n').encode()
    page = _upload(verify_client, content, headers=BROWSER)
    assert page.status_code == 200  # type: ignore[attr-defined]
    html = page.text  # type: ignore[attr-defined]
    assert html.count('<tr data-verdict="AUTHENTIC"') == 3
    assert html.count('<tr data-verdict="INVALID"') == 2
    assert 'href="data:text/csv;charset=utf-8;base64,' in html
    _assert_public(html)

    answer = _upload(verify_client, content, fmt="csv", headers=BROWSER)
    assert answer.headers["content-type"].startswith("text/csv")  # type: ignore[attr-defined]
    assert "attachment" in answer.headers["content-disposition"]  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))  # type: ignore[attr-defined]
    assert [row["verdict"] for row in rows] == ["AUTHENTIC"] * 3 + ["INVALID"] * 2
    assert rows[0]["artisan_arabic"] == "تعاونية أخيام"
    assert rows[3]["url"] == '\'=HYPERLINK("http://x")'  # never a formula in a spreadsheet


def test_bulk_upload_csv_via_the_query_string(
    verify_client: TestClient, inspector: Actor, certificate: CertificateRef
) -> None:
    uris = issue(verify_client, inspector, certificate, 2)
    response = verify_client.post(
        "/verify/bulk?format=csv",
        files={"file": ("scans.csv", "\r\n".join(uris).encode(), "text/csv")},
    )
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbfrow,url,verdict")


@pytest.mark.parametrize(
    ("content", "status", "slug", "words"),
    [
        (b"https://KHATEM.MA/01/1/21/1\n" * 1001, 422, "bulk-too-many-rows", "too many rows"),
        (b"x" * (600 * 1024 + 1), 413, "bulk-file-too-large", "too large"),
        (b"\xff\xfe\x00h\x00t", 422, "bulk-not-text", "not a readable CSV"),
        (b"\n\n , \n", 422, "bulk-empty", "holds no address"),
        (b'"' + b"a" * 200_000, 422, "bulk-malformed-csv", "malformed"),
    ],
)
def test_bad_uploads_are_clear_errors(
    verify_client: TestClient, content: bytes, status: int, slug: str, words: str
) -> None:
    page = _upload(verify_client, content, headers=BROWSER)
    assert page.status_code == status  # type: ignore[attr-defined]
    assert f'data-problem="{slug}"' in page.text and words in page.text  # type: ignore[attr-defined]
    api = _upload(verify_client, content, headers=API)
    assert api.status_code == status  # type: ignore[attr-defined]
    assert api.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    assert api.json()["type"].endswith("/" + slug)  # type: ignore[attr-defined]


def test_bulk_upload_without_a_file(verify_client: TestClient) -> None:
    response = verify_client.post(
        "/verify/bulk", data={"format": "html"}, files={"other": ("x", b"y")}, headers=BROWSER
    )
    assert response.status_code == 422
    assert 'data-problem="bulk-no-file"' in response.text
    wrong_type = verify_client.post(
        "/verify/bulk", content=b"url=x", headers={"Content-Type": "application/json"}
    )
    assert wrong_type.status_code in (400, 415)


def test_pages_are_public_and_never_need_a_session(
    verify_client: TestClient, session: Session, code: str
) -> None:
    for path in ("/", "/verify/bulk", f"/certificates/{code}", f"/certificates/{code}/badge.svg"):
        assert verify_client.get(path).status_code == 200, path


def test_pages_are_rate_limited_per_client(settings: Settings, code: str) -> None:
    strict = settings.model_copy(
        update={"rate_limit_pages_burst": 2, "rate_limit_pages_per_minute": 1}
    )
    with TestClient(create_app(strict), raise_server_exceptions=False) as client:
        answers = [client.get(f"/certificates/{code}/badge.svg") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert int(answers[2].headers["retry-after"]) >= 1
    assert answers[2].headers["content-type"] == "application/problem+json"


def test_an_unknown_language_falls_back_instead_of_failing(verify_client: TestClient) -> None:
    response = verify_client.get("/?lang=de", headers={**BROWSER, "Accept-Language": "es"})
    assert response.status_code == 200 and response.headers["content-language"] == "es"
    assert verify_client.get("/?lang=" + "x" * 17).status_code == 422


def test_the_label_url_serves_the_page_with_working_language_links_and_its_policy(
    verify_client: TestClient, inspector: Actor, certificate: CertificateRef
) -> None:
    """The seam with the label route (labeling/verification/router.py): it must pass
    ``self_url=`` (path and query) to ``render_label_page`` — else the language links drop
    the signed ``S`` and lead to an INVALID page — and send ``page_headers(lang)``."""
    [uri] = issue(verify_client, inspector, certificate, 1)
    path = "/" + uri.split("/", 3)[3]
    response = verify_client.get(path + "&lang=es", headers=BROWSER)
    assert response.status_code == 200 and 'data-verdict="AUTHENTIC"' in response.text
    signature = path.split("?S=", 1)[1]
    links = re.findall(r'<a href="([^"]+)" lang="(\w\w)" hreflang', response.text)
    assert len(links) == 4
    for href, _ in links:
        assert f"S={signature}" in href, "label route: pass self_url= to render_label_page"
    assert response.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY, (
        "label route: send verify.pages.page_headers(lang)"
    )


def test_expired_and_withdrawn_certificates_say_so(
    verify_client: TestClient,
    session: Session,
    inspector: Actor,
    other_artisan: Actor,
    certificate: CertificateRef,
    admin: Actor,
) -> None:
    today = registry_today()
    expired = make_certificate(
        session,
        inspector=inspector,
        workshop=other_artisan,
        valid_from=today - timedelta(days=400),
        valid_until=today - timedelta(days=1),
        code=0x0BADCAFE,
    )
    code = format_certificate_code(expired.code)
    page = verify_client.get(f"/certificates/{code}?lang=en").text
    assert 'data-status="expired"' in page and "Expired" in page
    assert "items labelled while it was valid remain genuine" in page
    badge = verify_client.get(f"/certificates/{code}/badge.svg?lang=en", headers=IMAGE).text
    assert ">expired</text>" in badge

    withdrawn = verify_client.post(
        f"/api/v1/certificates/{certificate.id}/withdraw",
        json={"reason_code": "fraud"},
        headers=admin.headers,
    )
    assert withdrawn.status_code == 200, withdrawn.text
    code = format_certificate_code(certificate.code)
    page = verify_client.get(f"/certificates/{code}?lang=es").text
    assert 'data-status="withdrawn"' in page and "Retirado" in page and "Motivo: fraude" in page
    badge = verify_client.get(f"/certificates/{code}/badge.svg?lang=es", headers=IMAGE).text
    assert ">retirado</text>" in badge
