"""Names the registry stores are shown as text: HTML is escaped, and the invisible bidi
controls that would make a name read as another one (U+202E "RIGHT-TO-LEFT OVERRIDE"
turning ``Coop gnp.exe`` into ``Coop exe.png``) never reach a page."""

from __future__ import annotations

import base64
import re

import pytest

from tests.pages.sample import certificate_facts, verdict_of
from verify.pages import (
    CertificatePage,
    render_bulk_page,
    render_certificate_page,
    results_csv,
)
from verify.pages import render_label_page as label_page
from verify.verdict import Overall

SCRIPT = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
#: Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI).
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _hostile_certificate() -> object:
    facts = certificate_facts()
    artisan = facts.artisan.model_copy(
        update={
            "display_name_latin": "Coop \u202eAkhiam" + SCRIPT,
            "display_name_arabic": "\u2067تعاونية\u202d" + SCRIPT,
            "craft": "Tissage\u202e",
            "region_name": "Drâa\u202b",
        }
    )
    conformity = facts.conformity.model_copy(update={"scheme_name": "Scheme\u202e" + SCRIPT})
    return facts.model_copy(update={"artisan": artisan, "conformity": conformity})


def _assert_inert(html: str) -> None:
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    for control in BIDI_CONTROLS:
        assert control not in html, f"U+{ord(control):04X} reached the page"


@pytest.mark.parametrize("lang", ["fr", "en", "es", "ar"])
def test_the_label_page_shows_hostile_names_as_plain_text(lang: str) -> None:
    verdict = verdict_of(Overall.AUTHENTIC).model_copy(
        update={"certificate": _hostile_certificate()}
    )
    _assert_inert(label_page(verdict, lang=lang))  # type: ignore[arg-type]


def test_the_certificate_page_shows_hostile_names_as_plain_text() -> None:
    page = CertificatePage(
        facts=_hostile_certificate(),  # type: ignore[arg-type]
        status="active",
        product_lines=("Tapis\u202e" + SCRIPT,),
    )
    _assert_inert(render_certificate_page(page, lang="en", base_url="https://khatem.ma"))


def test_the_bulk_results_show_hostile_names_as_plain_text() -> None:
    verdict = verdict_of(Overall.AUTHENTIC).model_copy(
        update={"certificate": _hostile_certificate()}
    )
    html = render_bulk_page(lang="ar", scans=["x"], verdicts=[verdict])
    data = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', html)
    assert data is not None
    _assert_inert(html.replace(data.group(1), ""))
    # The results CSV (the download link, and format=csv) keeps the names, not the controls.
    text = base64.b64decode(data.group(1)).decode("utf-8-sig")
    assert "Akhiam" in text
    assert not any(control in text for control in BIDI_CONTROLS)
    assert not any(control in results_csv(["x\u202e"], [verdict]) for control in BIDI_CONTROLS)
