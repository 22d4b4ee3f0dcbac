"""The headline names the real cause (issue 13.10), on the label page and in the bulk table.

Verdicts come from the real verifier (:mod:`tests.pages.sample`).
"""

from __future__ import annotations

import pytest

from tests.pages.sample import verdict_of
from verify.pages.bulk import render_bulk_page
from verify.pages.i18n import LANGUAGES, Lang
from verify.pages.verdict_view import headline
from verify.verdict import Overall


def test_a_plain_authentic_verdict_needs_no_cause() -> None:
    line = headline(verdict_of(Overall.AUTHENTIC), "en")
    assert line.cause is None and line.meaning.startswith("This label was issued")


def test_a_suspension_names_what_was_suspended_and_why() -> None:
    line = headline(verdict_of(Overall.SUSPENDED), "en")
    assert line.cause == (
        "The artisan's certificate is suspended: a non-conformity found during a check."
    )
    assert "for example pending an inspection" not in line.meaning


def test_a_revocation_names_the_label_not_a_withdrawn_certificate() -> None:
    line = headline(verdict_of(Overall.REVOKED), "fr")
    assert line.cause == "Le registre a révoqué cette étiquette : étiquette perdue ou volée."
    assert "retiré" not in line.cause + line.meaning


@pytest.mark.parametrize("kind", [Overall.INVALID, Overall.UNKNOWN])
def test_a_refusal_gives_the_failed_check_s_finding(kind: Overall) -> None:
    verdict = verdict_of(kind)
    line = headline(verdict, "en")
    assert (
        line.cause
        == {
            Overall.INVALID: "The signature does not match: the label was altered or forged.",
            Overall.UNKNOWN: "The signing key is not a key the registry knows.",
        }[kind]
    )


def test_a_warning_is_the_cause_of_a_verdict_with_warnings() -> None:
    line = headline(verdict_of(Overall.AUTHENTIC_WITH_WARNINGS), "es")
    assert line.cause == (
        "Los datos de estado usados son antiguos: podría faltar una suspensión reciente."
    )


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", list(Overall))
def test_every_verdict_has_a_headline_in_every_language(kind: Overall, lang: Lang) -> None:
    line = headline(verdict_of(kind), lang)
    assert line.meaning
    assert (line.cause is None) == (kind is Overall.AUTHENTIC)


def test_the_bulk_table_gives_the_same_cause_as_the_label_page() -> None:
    verdicts = [verdict_of(Overall.SUSPENDED), verdict_of(Overall.AUTHENTIC)]
    html = render_bulk_page(lang="en", scans=["a", "b"], verdicts=verdicts)
    assert "a non-conformity found during a check" in html
    assert "All checks passed" in html
