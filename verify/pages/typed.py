"""Pages for what a person types from a label: the registry's record of a printed serial,
and help when the text is no code at all.

A serial (or GTIN and serial, or the label's short address ``…/v/SERIAL``) is printed in
clear on the label, so anyone can copy it onto another item: the record page says what the
registry knows about that serial — the product, the certificate and its status, whether the
label was suspended or revoked — and, every time, that this proves nothing about the label
in hand: only the QR code carries the registry's signature. It never says "authentic", and
never "forged" either: a typed code that exists was printed by the registry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from verify.pages.chrome import VERIFY_URL, render_template, with_lang
from verify.pages.i18n import Lang, Text
from verify.pages.messages import UI
from verify.pages.render import certificate_path
from verify.pages.status_text import CERTIFICATE_STATUS_WORDS, LABEL_STATUS_WORDS
from verify.pages.verdict_text import VERDICT_WORDS
from verify.pages.verdict_view import (
    Headline,
    Style,
    check_headline,
    status_reason_text,
    verdict_style,
)
from verify.verdict import Overall
from verify.verifier import CopyEvidence, copy_evidence_check

__all__ = [
    "HELP_REASONS",
    "PrintedLabel",
    "render_printed_label_page",
    "render_typed_help_page",
]


@dataclass(frozen=True, slots=True)
class PrintedLabel:
    """The registry's public record of one issued label, found by its printed serial.

    ``status`` is the label's (``active``, ``suspended``, ``revoked``) with its reason code;
    ``certificate_status`` the certificate's effective status (``active``, ``suspended``,
    ``withdrawn``, ``expired``); ``certificate_code`` its printed form (``C-1D1FG6Y``).
    ``evidence`` is the registry's evidence that the label was copied (its standing marks):
    with the label and its certificate in force, the record is SUSPICIOUS and says why, as
    the label page does.
    """

    gtin: str
    serial: str
    status: str
    status_reason: str | None
    product_line: str
    certificate_code: str
    certificate_status: str
    evidence: tuple[CopyEvidence, ...] = ()


@dataclass(frozen=True, slots=True)
class _Suspicion:
    """A SUSPICIOUS record's verdict box (the label page's partial, ``verdict_box.html``)."""

    value: str
    style: Style
    word: str
    headline: Headline


@dataclass(frozen=True, slots=True)
class _RecordView:
    label: PrintedLabel
    css: str
    summary: str
    status_word: str
    certificate_word: str
    certificate_url: str
    suspicion: _Suspicion | None = None


#: The record's colour and its sentence: the label's own state first, then its certificate.
_LABEL_STATES: Final[dict[str, tuple[str, str]]] = {
    "revoked": ("revoked", "typed_label_revoked"),
    "suspended": ("suspended", "typed_label_suspended"),
}
_CERTIFICATE_STATES: Final[dict[str, tuple[str, str]]] = {
    "withdrawn": ("revoked", "typed_certificate_withdrawn"),
    "suspended": ("suspended", "typed_certificate_suspended"),
    "expired": ("warn", "typed_certificate_expired"),
}


def _word(words: dict[str, Text], status: str, lang: Lang) -> str:
    found = words.get(status)
    return found(lang) if found else status


#: A certificate no longer in force decides before any evidence of a copy (an expired one
#: does not: a copied label under an expired certificate is SUSPICIOUS, docs/verification.md).
_CERTIFICATE_ENDED: Final = frozenset({"suspended", "withdrawn"})


def _suspicion(label: PrintedLabel, lang: Lang) -> _Suspicion | None:
    """The SUSPICIOUS box of a record whose label and certificate are in force but which
    the registry holds evidence of copying against (a revocation or suspension outranks
    it, as in the verdict's order of precedence)."""
    if label.status != "active" or label.certificate_status in _CERTIFICATE_ENDED:
        return None
    check = copy_evidence_check(label.evidence)
    if check is None:
        return None
    overall = Overall.SUSPICIOUS
    return _Suspicion(
        value=overall.value,
        style=verdict_style(overall),
        word=VERDICT_WORDS[overall](lang),
        headline=check_headline(overall, check, lang),
    )


def _record_view(label: PrintedLabel, lang: Lang) -> _RecordView:
    css, key = _LABEL_STATES.get(label.status) or _CERTIFICATE_STATES.get(
        label.certificate_status, ("unknown", "typed_issued")
    )
    reason = status_reason_text(label.status_reason, lang) if label.status != "active" else None
    summary = UI[key](lang)
    if reason:
        summary += " " + UI["status_reason"](lang, reason=reason)
    return _RecordView(
        label=label,
        css=css,
        summary=summary,
        status_word=_word(LABEL_STATUS_WORDS, label.status, lang),
        certificate_word=_word(CERTIFICATE_STATUS_WORDS, label.certificate_status, lang),
        certificate_url=with_lang(certificate_path(label.certificate_code), lang),
        suspicion=_suspicion(label, lang),
    )


def render_printed_label_page(
    labels: Sequence[PrintedLabel], *, lang: Lang, self_url: str | None = None
) -> str:
    """What the registry knows about a typed serial (one record per GTIN that has it), and
    what that proves: nothing about the label in hand; the QR code's signature does."""
    if not labels:
        raise ValueError("a printed label page needs a record; say not found otherwise")
    return render_template(
        "printed.html",
        lang=lang,
        self_url=self_url,
        records=[_record_view(label, lang) for label in labels],
    )


#: Why a typed text led to the help page, and what it then says first.
HELP_REASONS: Final[dict[str, str]] = {
    "unknown": "typed_unknown",
    "serial_not_found": "typed_serial_not_found",
    "certificate_not_found": "typed_certificate_not_found",
}


def render_typed_help_page(
    *,
    lang: Lang,
    reason: str,
    typed: str = "",
    self_url: str | None = None,
    short_example: str = "khatem.ma/v/7F3K2MQ9XB",
    max_url: int = 4096,
) -> str:
    """What can be typed from a label, after a text that named nothing (``reason``: a key
    of :data:`HELP_REASONS`), with the box to try again. Never says "forged": a mistyped
    code is not a forgery. ``short_example`` is a short address as this registry prints it."""
    return render_template(
        "typed_help.html",
        lang=lang,
        self_url=self_url,
        reason=reason,
        message=UI[HELP_REASONS[reason]](lang),
        typed=typed[:80],
        short_example=short_example,
        verify_url=VERIFY_URL,
        max_url=max_url,
    )
