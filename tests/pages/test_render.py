"""Rendering the verdict page: every verdict kind in every language, directions, scripts,
public data only; and the language choice, the headers and the badge."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.pages.sample import ARTISAN, PRIVATE_STRINGS, certificate_facts, verdict_of
from verify.pages import (
    CONTENT_SECURITY_POLICY,
    LANGUAGES,
    CertificatePage,
    choose_language,
    etag_matches,
    page_headers,
    render_badge_svg,
    render_certificate_page,
    render_error_page,
    render_home_page,
    render_label_page,
    wants_html,
)
from verify.pages.chrome import CSS, CSS_SHA256, language_links
from verify.pages.i18n import parse_accept_language
from verify.pages.verdict_text import VERDICT_WORDS
from verify.verdict import Overall

SELF = "/01/06111234000019/21/7F3K2MQ9XB?S=1234567890&lang=fr"


class _Page(HTMLParser):
    """The parts of a page the tests look at: the root's attributes, every element's
    attributes, inline styles and scripts, and the visible text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.root: dict[str, str | None] = {}
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.root = values
        self.elements.append((tag, values))
        if tag in ("style", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.text.append(data.strip())

    def with_class(self, name: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.elements if name in (a.get("class") or "").split()]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", list(Overall))
def test_every_verdict_renders_in_every_language(kind: Overall, lang: str) -> None:
    verdict = verdict_of(kind)
    html = render_label_page(verdict, lang=lang, self_url=SELF)  # type: ignore[arg-type]
    page = _Page(html)
    assert page.root == {"lang": lang, "dir": "rtl" if lang == "ar" else "ltr"}
    # The verdict in words, with a colour class and an icon (never colour alone).
    [banner] = [a for t, a in page.elements if a.get("data-verdict")]
    assert banner["data-verdict"] == kind.value
    assert VERDICT_WORDS[kind](lang) in page.text  # type: ignore[arg-type]
    assert "<svg" in html.split('data-verdict="', 1)[1].split("</section>", 1)[0]
    # Every check that ran is explained in the page's language, never as a bare code; those
    # an earlier check made moot are named in one line, not listed as rows.
    checks = [a for t, a in page.elements if a.get("data-check")]
    assert len(checks) == len([c for c in verdict.checks if c.reason != "not_checked"])
    for check in verdict.checks:
        assert check.reason not in page.text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", " ".join(page.text)), "a code leaked"
    # No script, no inline style attribute (the CSP would block it), no foreign resource.
    assert "<script" not in html and " style=" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_names_keep_their_own_script_and_direction(lang: str) -> None:
    page = _Page(render_label_page(verdict_of(Overall.AUTHENTIC), lang=lang))  # type: ignore[arg-type]
    [latin] = page.with_class("latin")
    [arabic] = page.with_class("arabic")
    assert (latin["lang"], latin["dir"]) == ("fr", "ltr")
    assert (arabic["lang"], arabic["dir"]) == ("ar", "rtl")
    assert ARTISAN.display_name_latin in page.text
    assert ARTISAN.display_name_arabic in page.text


def test_the_page_says_what_the_certificate_vouches_for() -> None:
    html = render_label_page(verdict_of(Overall.AUTHENTIC), lang="en")
    for fact in (
        "Drâa-Tafilalet",
        "Tapis noué main",
        "Estampille tapis — qualité supérieure",
        "NM 09.5.100 (2019)",
        "January 5, 2026",  # audit date, formatted by babel
        "Chambre d&#39;artisanat de Drâa-Tafilalet",
        "from January 10, 2026 to January 9, 2029",
        'href="/certificates/C-0939AYD?lang=en"',
        "06111234000019",
        "7F3K2MQ9XB",
        "not where the item was made",  # a 611 prefix is no proof of origin
    ):
        assert fact in html, fact
    spanish = render_label_page(verdict_of(Overall.AUTHENTIC), lang="es")
    assert "5 de enero de 2026" in spanish


def test_the_reason_for_a_suspension_is_given_in_words() -> None:
    html = render_label_page(verdict_of(Overall.SUSPENDED), lang="fr")
    assert "Motif : non-conformité relevée lors d&#39;un contrôle" in html
    revoked = render_label_page(verdict_of(Overall.REVOKED), lang="es")
    assert "Motivo: etiqueta perdida o robada" in revoked


def test_placeholder_records_are_marked_provisional() -> None:
    verdict = verdict_of(Overall.AUTHENTIC)
    plain = render_label_page(verdict, lang="en")
    assert "provisional" not in plain
    marked = render_label_page(verdict, lang="en", assumptions={"scheme", "body"})
    assert marked.count('class="tag"') == 2
    assert "Provisional record: the public sources do not give this detail yet." in marked


def test_no_personal_data_ever_reaches_a_page() -> None:
    pages = [
        render_label_page(verdict_of(kind), lang=lang) for kind in Overall for lang in LANGUAGES
    ]
    pages += [
        render_certificate_page(CertificatePage(certificate_facts(), "active"), lang=lang)
        for lang in LANGUAGES
    ]
    for html in pages:
        for private in PRIVATE_STRINGS:
            assert private not in html
        for field in ("national_id", "phone", "address", "email", "nia", "public_id"):
            assert field not in html


def test_language_links_keep_the_signed_query() -> None:
    links = language_links(SELF, "ar")
    assert [link.lang for link in links] == ["fr", "en", "es", "ar"]
    for link in links:
        assert link.href.startswith("/01/06111234000019/21/7F3K2MQ9XB?S=1234567890&lang=")
        assert link.href.count("lang=") == 1
    assert [link.current for link in links] == [False, False, False, True]
    # Only a local path is ever kept: a link cannot lead off the site.
    for hostile in ("https://evil.example/x?S=1", "//evil.example/x", "/\\evil.example"):
        for link in language_links(hostile, "fr"):
            assert link.href.startswith(("/x?", "?lang=")) and "evil" not in link.href


@pytest.mark.parametrize(
    ("query", "header", "expected"),
    [
        (None, None, "fr"),
        ("ar", "es", "ar"),
        ("AR", None, "ar"),
        ("de", "en-GB,en;q=0.8", "en"),
        (None, "es-ES,es;q=0.9,en;q=0.8", "es"),
        (None, "de-DE,ar-MA;q=0.7,en;q=0.5", "ar"),
        (None, "en;q=0.2,es;q=0.9", "es"),
        (None, "es;q=0", "fr"),
        (None, "*", "fr"),
        (None, "x" * 10_000, "fr"),
        (None, ",;q=abc, ;;, en", "en"),
    ],
)
def test_language_choice(query: str | None, header: str | None, expected: str) -> None:
    assert choose_language(query, header) == expected


def test_accept_language_parsing_is_bounded() -> None:
    assert len(parse_accept_language(",".join(["en"] * 1000))) <= 16


def test_the_policy_admits_the_stylesheet_and_nothing_else() -> None:
    headers = page_headers("ar")
    policy = headers["Content-Security-Policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert f"style-src '{CSS_SHA256}'" in policy and "default-src 'none'" in policy
    assert "unsafe-inline" not in policy and "script-src" not in policy
    html = render_home_page(lang="fr")
    assert f"<style>{CSS}</style>" in html  # byte for byte what the hash covers
    assert headers["Content-Language"] == "ar"


def test_error_page_and_home_in_arabic() -> None:
    error = _Page(render_error_page(lang="ar", message="رسالة", slug="x"))
    assert error.root["dir"] == "rtl" and "رسالة" in error.text
    assert _Page(render_home_page(lang="ar")).root == {"lang": "ar", "dir": "rtl"}


@pytest.mark.parametrize(
    ("status", "lang", "word"),
    [
        ("active", "fr", "certifié"),
        ("suspended", "en", "suspended"),
        ("suspended", "ar", "موقوف"),
        ("withdrawn", "es", "retirado"),
        ("expired", "en", "expired"),
        ("unknown", "fr", "inconnu"),
    ],
)
def test_badge_says_the_status(status: str, lang: str, word: str) -> None:
    svg = render_badge_svg(status, lang=lang, code="C-1Z8K3QD")  # type: ignore[arg-type]
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert f">{word}</text>" in svg and f'data-status="{status}"' in svg
    assert "<script" not in svg and "href" not in svg
    width = int(re.search(r'width="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    assert 80 < width < 300


def test_badge_escapes_what_it_shows() -> None:
    svg = render_badge_svg("active", lang="en", code='<x y="1">')
    assert '<x y="1">' not in svg


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        (None, False),
        ('"abc"', True),
        ('W/"abc"', True),
        ('"x", "abc"', True),
        ("*", True),
        ('"abd"', False),
    ],
)
def test_if_none_match(header: str | None, matches: bool) -> None:
    assert etag_matches(header, '"abc"') is matches


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        ("text/html,application/xhtml+xml,*/*;q=0.8", True),
        ("application/json", False),
        ("*/*", False),
        (None, False),
        ("application/json, text/html;q=0.5", False),
        ("text/html;q=abc", False),
    ],
)
def test_browsers_get_pages_and_api_clients_problems(accept: str | None, html: bool) -> None:
    assert wants_html(accept) is html


def test_an_invalid_label_s_claims_are_shown_as_unverified() -> None:
    html = render_label_page(verdict_of(Overall.INVALID), lang="en")
    assert "What the label claims (not verified)" in html
    assert "not where the item was made" not in html
    assert "What the label claims" not in render_label_page(
        verdict_of(Overall.AUTHENTIC), lang="en"
    )
