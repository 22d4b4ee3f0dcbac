"""The short address page (``/v/{serial}``) says SUSPICIOUS as the label page does: the
same verdict box (``verdict_box.html``), the same sentences of evidence, in the reader's
language; a revocation or suspension outranks it, as in the verdict's precedence."""

from __future__ import annotations

import dataclasses
import html
from datetime import date

import pytest

from verify.pages.i18n import LANGUAGES, Lang
from verify.pages.typed import PrintedLabel, render_printed_label_page
from verify.pages.verdict_view import check_headline
from verify.verdict import Overall
from verify.verifier import CopyEvidence, copy_evidence_check

EVIDENCE = (
    CopyEvidence(
        reason="scanned_in_many_countries",
        on=date(2026, 3, 3),
        countries=("DE", "FR", "MA"),
        window_days=7,
    ),
    CopyEvidence(reason="received_by_two_retailers", on=date(2026, 3, 1), country="ES"),
)


def _label(
    *,
    status: str = "active",
    certificate: str = "active",
    evidence: tuple[CopyEvidence, ...] = EVIDENCE,
) -> PrintedLabel:
    return PrintedLabel(
        gtin="06111234000019",
        serial="7F3K2MQ9XB",
        status=status,
        status_reason="lost_or_stolen" if status == "revoked" else None,
        product_line="Tapis Akhiam",
        certificate_code="C-1D1FG6Y",
        certificate_status=certificate,
        evidence=evidence,
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_copied_label_reads_suspicious_with_the_label_pages_sentences(lang: Lang) -> None:
    page = html.unescape(render_printed_label_page([_label()], lang=lang))
    check = copy_evidence_check(EVIDENCE)
    expected = check_headline(Overall.SUSPICIOUS, check, lang)
    assert 'data-verdict="SUSPICIOUS"' in page
    assert expected.cause and expected.cause in page
    assert expected.meaning in page
    # The proof section still says that only the QR code proves a label authentic.
    assert 'data-proof="registry-record-only"' in page


def test_the_evidence_is_told_in_the_buyers_language() -> None:
    page = html.unescape(render_printed_label_page([_label()], lang="es"))
    assert "Recibida por un comerciante en España el" in page
    assert "Escaneada en 3 países (Alemania, Francia, Marruecos) en 7 días" in page


@pytest.mark.parametrize(
    ("status", "certificate"),
    [("revoked", "active"), ("suspended", "active"), ("active", "withdrawn")],
)
def test_a_revocation_or_suspension_outranks_the_evidence(status: str, certificate: str) -> None:
    page = render_printed_label_page([_label(status=status, certificate=certificate)], lang="en")
    assert "SUSPICIOUS" not in page


def test_a_copied_label_under_an_expired_certificate_is_still_suspicious() -> None:
    page = render_printed_label_page([_label(certificate="expired")], lang="en")
    assert 'data-verdict="SUSPICIOUS"' in page


def test_a_label_without_evidence_has_no_verdict_box() -> None:
    page = render_printed_label_page([_label(evidence=())], lang="en")
    assert "data-verdict" not in page


def test_two_records_keep_their_ids_apart() -> None:
    other = dataclasses.replace(_label(), gtin="06111234000026")
    page = render_printed_label_page([_label(), other], lang="fr")
    assert page.count('id="verdict-word-1"') == 1
    assert page.count('id="verdict-word-2"') == 1
