"""What a form says when a list it needs is left empty (found by the keyboard walk: an
audit with every product line unticked said only "Value not accepted")."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from labeling.workspace.i18n import WLang
from labeling.workspace.routing import form_errors
from schemas.audits_api import ProductLineIds


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fr", "Choisissez-en au moins un."), ("ar", "اختاروا واحدا على الأقل."), ("en", "Choose")],
)
def test_no_product_line_ticked_says_to_choose_one(lang: WLang, words: str) -> None:
    with pytest.raises(ValidationError) as refused:
        TypeAdapter(ProductLineIds).validate_python([])
    errors = form_errors(lang, validation=refused.value, field_of=lambda _: "product_line_ids")
    assert words in (errors.of("product_line_ids") or "")
