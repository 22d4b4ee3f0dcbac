"""The report form as a buyer's phone uses it: no JavaScript, four languages, Arabic right to
left; the honeypot and the signed time token stop robots; errors come back on the form."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import text
from sqlmodel import Session

from core.settings import Settings
from labeling.reports.form_token import issue_token
from tests.reports.fixtures import ReportedLabel, jpeg_bytes

HTML = {"Accept": "text/html"}
#: What a browser sends for a file input left empty: the form stays multipart/form-data.
NO_PHOTO = {"photo": ("", b"", "application/octet-stream")}


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    return db_url


def _count(session: Session) -> int:
    value = int(session.execute(text("SELECT count(*) FROM fake_report")).one()[0])
    session.rollback()
    return value


def _form_url(label: ReportedLabel) -> str:
    return f"/report/{label.gtin}/{label.serial}"


def _aged_token(settings: Settings, label: ReportedLabel, seconds: float = 30) -> str:
    """The token the form would carry after the buyer spent ``seconds`` filling it in."""
    return issue_token(settings, label.gtin, label.serial, now=time.time() - seconds)


def _fields(**extra: str) -> dict[str, str]:
    return {
        "item": "Un tapis bleu en laine",
        "shop_name": "Bazar Atlas",
        "city": "Marrakech",
        "country": "MA",
        "bought_on": "2026-11-30",
        "contact_email": "",
        "website": "",
        **extra,
    }


def test_the_label_page_links_to_the_form(verify_client: TestClient, carpet: ReportedLabel) -> None:
    parts = urlsplit(carpet.uri)
    page = verify_client.get(f"{parts.path}?{parts.query}&lang=es", headers=HTML)
    assert page.status_code == 200
    assert f'href="/report/{carpet.gtin}/{carpet.serial}?lang=es"' in page.text
    assert "Denunciar una posible falsificación" in page.text


@pytest.mark.parametrize(
    ("lang", "direction", "words"),
    [
        ("fr", "ltr", "Signaler une contrefaçon présumée"),
        ("en", "ltr", "Report a suspected fake"),
        ("es", "ltr", "Denunciar una posible falsificación"),
        ("ar", "rtl", "الإبلاغ عن تقليد مشتبه به"),
    ],
)
def test_the_form_speaks_four_languages(
    verify_client: TestClient, carpet: ReportedLabel, lang: str, direction: str, words: str
) -> None:
    page = verify_client.get(f"{_form_url(carpet)}?lang={lang}")
    assert page.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in page.text
    assert words in page.text
    assert "<script" not in page.text
    assert 'name="form_token"' in page.text and 'name="website"' in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_a_buyer_sends_the_form_with_a_photo(
    verify_client: TestClient, carpet: ReportedLabel, settings: Settings, session: Session
) -> None:
    sent = verify_client.post(
        f"{_form_url(carpet)}?lang=ar",
        headers=HTML,
        data=_fields(form_token=_aged_token(settings, carpet)),
        files={"photo": ("IMG_0042.jpg", jpeg_bytes(), "image/jpeg")},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text[:800]
    thanks = verify_client.get(sent.headers["location"])
    assert thanks.status_code == 200 and "شكراً" in thanks.text
    row = session.execute(text("SELECT item, country, photo FROM fake_report")).one()
    session.rollback()
    assert (
        row[0] == "Un tapis bleu en laine" and row[1] == "MA" and bytes(row[2])[:2] == b"\xff\xd8"
    )


def test_a_robot_that_fills_the_honeypot_is_thanked_and_forgotten(
    verify_client: TestClient, carpet: ReportedLabel, settings: Settings, session: Session
) -> None:
    sent = verify_client.post(
        _form_url(carpet),
        files=NO_PHOTO,
        headers=HTML,
        data=_fields(
            website="http://cheap-pills.example", form_token=_aged_token(settings, carpet)
        ),
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert _count(session) == 0


@pytest.mark.parametrize("age", [0.5, 3 * 3600])
def test_a_form_sent_too_soon_or_too_late_comes_back(
    verify_client: TestClient,
    carpet: ReportedLabel,
    settings: Settings,
    session: Session,
    age: float,
) -> None:
    sent = verify_client.post(
        _form_url(carpet),
        files=NO_PHOTO,
        headers=HTML,
        data=_fields(form_token=_aged_token(settings, carpet, age)),
    )
    assert sent.status_code == 422
    assert 'role="alert"' in sent.text and "Un tapis bleu en laine" in sent.text  # kept
    assert _count(session) == 0


def test_a_token_of_another_label_or_forged_is_refused(
    verify_client: TestClient, carpet: ReportedLabel, settings: Settings, session: Session
) -> None:
    other = ReportedLabel(0, carpet.gtin, "0000000000", "")
    for token in (_aged_token(settings, other), "1700000000." + "0" * 64, "", "x.y"):
        verify_client.app.state.rate_limiters = None  # type: ignore[attr-defined]  # fresh budget
        sent = verify_client.post(
            _form_url(carpet), files=NO_PHOTO, headers=HTML, data=_fields(form_token=token)
        )
        assert sent.status_code == 422
    assert _count(session) == 0


def test_field_errors_come_back_beside_their_fields(
    verify_client: TestClient, carpet: ReportedLabel, settings: Settings, session: Session
) -> None:
    sent = verify_client.post(
        f"{_form_url(carpet)}?lang=en",
        files=NO_PHOTO,
        headers=HTML,
        data=_fields(item="", contact_email="nobody", form_token=_aged_token(settings, carpet)),
    )
    assert sent.status_code == 422
    assert re.search(r'id="item"[^>]*aria-invalid="true"', sent.text)
    assert re.search(r'id="contact_email"[^>]*aria-invalid="true"', sent.text)
    assert "This field is required." in sent.text
    assert _count(session) == 0


def test_a_photo_that_is_no_image_comes_back_on_the_form(
    verify_client: TestClient, carpet: ReportedLabel, settings: Settings, session: Session
) -> None:
    sent = verify_client.post(
        f"{_form_url(carpet)}?lang=fr",
        headers=HTML,
        data=_fields(form_token=_aged_token(settings, carpet)),
        files={"photo": ("x.jpg", b"MZ\x90\x00 not a photo", "image/jpeg")},
    )
    assert sent.status_code == 422
    assert re.search(r'id="photo"[^>]*aria-invalid="true"', sent.text)
    assert _count(session) == 0


def test_a_label_the_registry_never_issued_has_no_form(
    verify_client: TestClient, carpet: ReportedLabel
) -> None:
    page = verify_client.get(f"/report/{carpet.gtin}/ZZZZZZZZZZ", headers=HTML)
    assert page.status_code == 404


def test_a_client_that_is_no_browser_gets_problem_json(
    verify_client: TestClient, carpet: ReportedLabel, session: Session
) -> None:
    sent = verify_client.post(
        _form_url(carpet),
        files=NO_PHOTO,
        data=_fields(form_token="1.2"),
        headers={"Accept": "application/json"},
    )
    assert sent.status_code == 422
    assert sent.headers["content-type"].startswith("application/problem+json")
    assert sent.json()["type"].endswith("/report-form-refused")
    assert _count(session) == 0


@pytest.mark.parametrize(
    ("accept", "html"),
    [("text/html", True), ("application/json", False), ("*/*", False), (None, False)],
)
def test_the_address_limit_answers_a_page_to_browsers_only(
    verify_client: TestClient,
    carpet: ReportedLabel,
    settings: Settings,
    accept: str | None,
    html: bool,
) -> None:
    """The ``report`` budget of one address, spent before the body is read: a browser's
    form gets a page in its language (``?lang=`` here) with ``Retry-After``; any other
    client problem+json."""
    verify_client.app.state.rate_limiters = None  # type: ignore[attr-defined]
    headers = {"Accept": accept} if accept else {}
    answers = [
        verify_client.post(
            f"{_form_url(carpet)}?lang=es",
            files=NO_PHOTO,
            data=_fields(website="robot"),  # the honeypot: cheap, nothing stored
            headers=headers,
            follow_redirects=False,
        )
        for _ in range(settings.rate_limit_report_burst + 1)
    ]
    assert [a.status_code for a in answers[:-1]] == [303] * settings.rate_limit_report_burst
    refused = answers[-1]
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    if html:
        assert refused.headers["content-type"].startswith("text/html")
        assert refused.headers["content-language"] == "es"
        assert "Inténtelo de nuevo dentro de" in refused.text
        assert refused.headers["cache-control"] == "no-store"
    else:
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["type"].endswith("/rate-limited")


def _spend_the_address_budget(
    client: TestClient, label: ReportedLabel, settings: Settings, headers: dict[str, str]
) -> Response:
    """Honeypot posts (cheap, nothing stored) until the address is refused: the refusal."""
    client.app.state.rate_limiters = None  # type: ignore[attr-defined]
    for _ in range(settings.rate_limit_report_burst + 1):
        answer = client.post(
            _form_url(label),
            files=NO_PHOTO,
            data=_fields(website="robot"),
            headers=headers,
            follow_redirects=False,
        )
    return answer


@pytest.mark.parametrize(
    ("accept_language", "lang", "direction", "words"),
    [
        ("fr-FR,fr;q=0.9", "fr", "ltr", ("pas été envoyé", "Réessayez dans 1 minute")),
        ("ar-MA,ar;q=0.9,fr;q=0.5", "ar", "rtl", ("لم يُرسَل بلاغك", "حاول مجدداً بعد دقيقة")),
    ],
)
def test_a_buyer_refused_for_too_many_reports_reads_why_in_their_language(
    verify_client: TestClient,
    carpet: ReportedLabel,
    settings: Settings,
    accept_language: str,
    lang: str,
    direction: str,
    words: tuple[str, str],
) -> None:
    """The language comes from the browser's Accept-Language (no ``?lang=``): a page in it,
    right to left in Arabic, with a way back to the form, and no problem+json."""
    headers = {
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        "Accept-Language": accept_language,
    }
    refused = _spend_the_address_budget(verify_client, carpet, settings, headers)
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("text/html")
    assert refused.headers["content-language"] == lang
    assert f'<html lang="{lang}" dir="{direction}">' in refused.text
    assert all(word in refused.text for word in words)
    assert f'href="{_form_url(carpet)}?lang={lang}"' in refused.text  # back to the form
    assert refused.text.lower().startswith("<!doctype html>") and '"title":' not in refused.text


def test_a_label_that_had_its_reports_of_the_day_answers_a_page(
    verify_client: TestClient,
    labels_app: FastAPI,
    carpet: ReportedLabel,
    settings: Settings,
    session: Session,
) -> None:
    labels_app.state.rate_limiters = None
    labels_app.state.settings = settings.model_copy(
        update={"rate_limit_enabled": False, "report_max_per_label_per_day": 1}
    )
    answers = [
        verify_client.post(
            f"{_form_url(carpet)}?lang=es",
            files=NO_PHOTO,
            data=_fields(form_token=_aged_token(settings, carpet)),
            headers=HTML,
            follow_redirects=False,
        )
        for _ in range(2)
    ]
    assert answers[0].status_code == 303
    refused = answers[1]
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("text/html")
    assert "Su denuncia no se ha enviado" in refused.text and "Inténtelo mañana" in refused.text
    assert 'data-problem="report-limit-label"' in refused.text
    assert f'href="{_form_url(carpet)}?lang=es"' in refused.text
    assert _count(session) == 1
