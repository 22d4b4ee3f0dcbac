"""Every string of every page exists in all four languages, with the same placeholders,
and every code the verifier can produce has its words."""

from __future__ import annotations

import re
import string

import pytest

from schemas.certificates_api import ReasonCode
from schemas.labels_api import LabelReasonCode
from verify.decision import REASONS
from verify.pages.badge import BADGE_WORDS
from verify.pages.i18n import LANGUAGES, Text
from verify.pages.messages import UI
from verify.pages.reason_text import REASON_TEXTS
from verify.pages.status_text import (
    CERTIFICATE_STATUS_WORDS,
    LABEL_STATUS_WORDS,
    STATUS_REASON_TEXTS,
)
from verify.pages.verdict_text import (
    CAUSES,
    CHECK_TITLES,
    OUTCOME_WORDS,
    SUPERSEDED,
    VERDICT_MEANINGS,
    VERDICT_WORDS,
    WHY,
)
from verify.verdict import CHECK_NAMES, Outcome, Overall

TABLES: dict[str, dict[object, Text]] = {
    "UI": UI,  # type: ignore[dict-item]
    "CERTIFICATE_STATUS_WORDS": CERTIFICATE_STATUS_WORDS,  # type: ignore[dict-item]
    "LABEL_STATUS_WORDS": LABEL_STATUS_WORDS,  # type: ignore[dict-item]
    "BADGE_WORDS": BADGE_WORDS,  # type: ignore[dict-item]
    "VERDICT_WORDS": VERDICT_WORDS,  # type: ignore[dict-item]
    "VERDICT_MEANINGS": VERDICT_MEANINGS,  # type: ignore[dict-item]
    "CHECK_TITLES": CHECK_TITLES,  # type: ignore[dict-item]
    "OUTCOME_WORDS": OUTCOME_WORDS,  # type: ignore[dict-item]
    "REASON_TEXTS": REASON_TEXTS,  # type: ignore[dict-item]
    "STATUS_REASON_TEXTS": STATUS_REASON_TEXTS,  # type: ignore[dict-item]
    "CAUSES": CAUSES,  # type: ignore[dict-item]
    "SUPERSEDED": SUPERSEDED,  # type: ignore[dict-item]
    "WHY": {"why": WHY},
}
MESSAGES = [
    (f"{table}[{key}]", text) for table, rows in TABLES.items() for key, text in rows.items()
]
ARABIC = re.compile(r"[\u0600-\u06FF]")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize(("where", "text"), MESSAGES, ids=[where for where, _ in MESSAGES])
def test_every_message_is_in_four_languages_with_the_same_placeholders(
    where: str, text: Text
) -> None:
    assert text._fields == LANGUAGES
    for lang in LANGUAGES:
        assert getattr(text, lang).strip(), f"{where} is empty in {lang}"
    assert len({frozenset(_placeholders(getattr(text, lang))) for lang in LANGUAGES}) == 1
    if any(ARABIC.search(getattr(text, lang)) for lang in ("fr", "en", "es")):
        pytest.fail(f"{where}: Arabic script in a Latin-script language")


def test_arabic_messages_are_in_arabic() -> None:
    latin_only = [
        where
        for where, text in MESSAGES
        if not ARABIC.search(text.ar)
        and text.ar not in {"GTIN"}
        and any(char.isalpha() for char in text.ar.replace("{reason}", ""))  # punctuation
    ]
    assert latin_only == []


def test_every_reason_code_of_the_verifier_has_words() -> None:
    codes = set().union(*REASONS.values())
    assert codes - set(REASON_TEXTS) == set()
    assert set(CHECK_NAMES) <= set(CHECK_TITLES)
    assert set(Overall) == set(VERDICT_WORDS) == set(VERDICT_MEANINGS)
    assert set(Outcome) == set(OUTCOME_WORDS)


def test_every_status_reason_of_the_registry_has_words() -> None:
    codes = {code.value for code in ReasonCode} | {code.value for code in LabelReasonCode}
    assert codes - set(STATUS_REASON_TEXTS) == set()


def test_every_certificate_status_has_words_and_a_meaning() -> None:
    for status in ("active", "suspended", "withdrawn", "expired"):
        assert status in CERTIFICATE_STATUS_WORDS and status in BADGE_WORDS
        assert f"status_meaning_{status}" in UI
