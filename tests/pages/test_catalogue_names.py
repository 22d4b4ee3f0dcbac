"""Catalogue names per language (French as the fallback), each marked with its language.

The translations ship beside the seed (``labeling/catalog/data/catalogue-names.json``); these
tests keep them in step with the seed and check what the pages do with them: a translated
name in the page's language, else the recorded one marked as French (English, or what the
record says, for standards' titles).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from labeling.catalog.loader import _scheme_specs
from labeling.catalog.names import catalogue_names
from labeling.catalog.seed import read_seed
from tests.pages.sample import certificate_facts, verdict_of
from verify.pages import CertificatePage, render_certificate_page, render_label_page
from verify.pages.i18n import LANGUAGES, Lang
from verify.pages.names import NO_TRANSLATIONS, CatalogueNames, Name, text_language
from verify.verdict import Overall

SEED = read_seed()


class _Named(HTMLParser):
    """The ``(lang, text)`` of every catalogue name (``data-name``) of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.names: list[tuple[str, str]] = []
        self._open: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if "data-name" in found:
            self._open = found.get("lang") or ""

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.names.append((self._open, data))
            self._open = None


def test_every_translated_code_is_in_the_catalogue() -> None:
    names = catalogue_names()
    regions = {r["code"] for r in SEED["regions"]}
    assert set(names.table["region"]) == regions  # every region, in every language
    assert set(names.table["body"]) == {f"CHAMBRE-{code}" for code in regions}
    assert set(names.table["craft"]) <= {m["name"] for m in SEED["metiers"]}
    schemes = {spec.code for spec in _scheme_specs(SEED)}
    assert set(names.table["scheme"]) <= schemes and set(names.table["level"]) <= schemes
    assert set(names.recorded["standard"]) <= {s["code"] for s in SEED["standards"]}


def test_regions_have_their_arabic_english_and_spanish_names() -> None:
    regions = catalogue_names().table["region"]
    assert all(set(entry) == {"ar", "en", "es"} for entry in regions.values())
    assert regions["MA-08"]["ar"] == "درعة تافيلالت"
    assert all(re.search("[\u0600-\u06ff]", entry["ar"]) for entry in regions.values())


def test_a_name_falls_back_to_the_recorded_one_in_its_own_language() -> None:
    names = catalogue_names()
    assert names.name("region", "MA-08", "Drâa-Tafilalet", "ar") == Name("درعة تافيلالت", "ar")
    assert names.name("region", "MA-08", "Drâa-Tafilalet", "fr") == Name("Drâa-Tafilalet", "fr")
    # No established Arabic name for the carpet stamp: French, and said to be French.
    stamp = "Estampille tapis — qualité supérieure"
    assert names.name("scheme", "TAPIS-SUPERIEURE", stamp, "ar") == Name(stamp, "fr")
    # Standards' titles are recorded in English, one in French.
    title = "Carpet quality control and stamping"
    code = "Dahir 1974 (estampillage tapis)"
    assert names.name("standard", code, title, "fr") == Name(title, "en")
    leather = "Exigences pour certains produits en cuir et similaires du cuir"
    assert names.name("standard", "NM 09.4.104", leather, "en") == Name(leather, "fr")
    assert names.name("standard", "NM 09.4.104", leather, "fr") == Name(leather, "fr")
    # A record the catalogue does not know (a body created later) keeps its name.
    assert NO_TRANSLATIONS.name("body", "OC-X", "Organisme X", "es") == Name("Organisme X", "fr")


def test_a_broken_translations_file_is_refused() -> None:
    with pytest.raises(ValueError, match="regions"):
        CatalogueNames.from_mapping({"regions": ["MA-01"]})
    with pytest.raises(ValueError, match="unknown language"):
        CatalogueNames.from_mapping({"standards": {"X": {"recorded_in": "de"}}})


def test_free_text_is_arabic_when_written_in_arabic_letters() -> None:
    assert text_language("زربية الرباط") == "ar"
    assert text_language("Tapis de Boujaad") == "fr"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_catalogue_name_on_a_page_carries_its_language(lang: Lang) -> None:
    html = render_label_page(verdict_of(Overall.AUTHENTIC), lang=lang, names=catalogue_names())
    named = dict((text, name_lang) for name_lang, text in _Named(html).names)
    # The sample certificate: a Drâa-Tafilalet carpet cooperative under the carpet stamp.
    region = {"fr": "Drâa-Tafilalet", "en": "Draa-Tafilalet", "es": "Draa-Tafilalet"}
    assert named[region.get(lang, "درعة تافيلالت")] == lang
    craft = {"fr": "Tapis noué main", "en": "Hand-knotted carpet", "ar": "زربية معقودة يدويًا"}
    assert named[craft.get(lang, "Alfombra anudada a mano")] == lang
    assert named["Estampille tapis — qualité supérieure"] == "fr"
    assert named["Labelling and chemical conformity"] == "en"
    assert len(named) == 6  # region, craft, scheme, level, standard, body


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_certificate_s_products_carry_their_language(lang: Lang) -> None:
    page = CertificatePage(
        certificate_facts(), "active", product_lines=("Tapis de Boujaad", "زربية الرباط")
    )
    html = render_certificate_page(page, lang=lang, names=catalogue_names())
    named = _Named(html).names
    assert ("fr", "Tapis de Boujaad") in named and ("ar", "زربية الرباط") in named
