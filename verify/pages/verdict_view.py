"""The verdict as a page shows it: its look (colour and icon), the verdict box's headline
(which check decided, why, and what it means) and one row per check, in the page's language.

Shared by the label page, the short-address page and the bulk results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from verify.decision import COPY_EVIDENCE_REASONS
from verify.pages.i18n import Lang
from verify.pages.reason_text import REASON_TEXTS
from verify.pages.status_text import STATUS_REASON_TEXTS
from verify.pages.suspicion_text import evidence_text
from verify.pages.verdict_text import (
    CAUSES,
    CHECK_TITLES,
    OUTCOME_WORDS,
    SUPERSEDED,
    VERDICT_MEANINGS,
    WHY,
)
from verify.verdict import Check, Outcome, Overall, Verdict

__all__ = [
    "CheckView",
    "Headline",
    "Style",
    "check_headline",
    "check_views",
    "headline",
    "reason_text",
    "status_reason_text",
    "verdict_style",
]


@dataclass(frozen=True, slots=True)
class Style:
    """How a verdict or status looks: a CSS class (colour) and an icon (shape)."""

    css: str
    icon: str


_VERDICT_STYLES: Final[dict[Overall, Style]] = {
    Overall.AUTHENTIC: Style("ok", "check"),
    Overall.AUTHENTIC_WITH_WARNINGS: Style("warn", "warning"),
    Overall.SUSPENDED: Style("suspended", "pause"),
    Overall.REVOKED: Style("revoked", "ban"),
    Overall.INVALID: Style("invalid", "cross"),
    Overall.UNKNOWN: Style("unknown", "question"),
    Overall.SUSPICIOUS: Style("invalid", "warning"),
}
_OUTCOME_ICONS: Final[dict[Outcome, str]] = {
    Outcome.PASSED: "check",
    Outcome.FAILED: "cross",
    Outcome.WARNING: "warning",
    Outcome.NOT_APPLICABLE: "dash",
}


def verdict_style(verdict: Overall) -> Style:
    return _VERDICT_STYLES[verdict]


@dataclass(frozen=True, slots=True)
class CheckView:
    name: str
    title: str
    outcome: str
    outcome_word: str
    icon: str
    text: str
    status_reason: str | None


def status_reason_text(code: str | None, lang: Lang) -> str | None:
    """A status reason code in words (an unknown code reads as "other reason")."""
    if not code:
        return None
    return STATUS_REASON_TEXTS.get(code, STATUS_REASON_TEXTS["other"])(lang)


def reason_text(code: str, lang: Lang) -> str:
    text = REASON_TEXTS.get(code)
    return text(lang) if text else code


def _reason_code(check: Check) -> str | None:
    """The body's or registry's reason code a failed status check carries, if any."""
    if check.outcome is not Outcome.FAILED or not check.detail:
        return None
    code = check.detail.get("reason_code")
    return str(code) if code else None


def _check_text(check: Check, lang: Lang) -> str:
    if check.name == "copy_evidence":
        return evidence_text(check.detail, check.reason, lang)
    return reason_text(check.reason, lang)


def _check_view(check: Check, lang: Lang) -> CheckView:
    title = CHECK_TITLES.get(check.name)
    reason_code = _reason_code(check)
    return CheckView(
        name=check.name,
        title=title(lang) if title else check.name,
        outcome=check.outcome.value,
        outcome_word=OUTCOME_WORDS[check.outcome](lang),
        icon=_OUTCOME_ICONS[check.outcome],
        text=_check_text(check, lang),
        status_reason=status_reason_text(reason_code, lang) if reason_code else None,
    )


#: A certificate no longer in force: its passed audit no longer vouches for the item.
_CERTIFICATE_ENDED: Final = frozenset({"certificate_suspended", "certificate_withdrawn"})


def _superseded_view(check: Check, ended: str, lang: Lang) -> CheckView:
    """The conformity check of a certificate since suspended or withdrawn: the audit that
    granted it passed, but that no longer vouches for the item (so the row does not say
    "passed" beside a suspension for a non-conformity)."""
    view = _check_view(check, lang)
    return CheckView(
        name=view.name,
        title=view.title,
        outcome="superseded",
        outcome_word=SUPERSEDED["word"](lang),
        icon=_OUTCOME_ICONS[Outcome.NOT_APPLICABLE],
        text=SUPERSEDED[ended](lang),
        status_reason=None,
    )


def check_views(verdict: Verdict, lang: Lang) -> tuple[list[CheckView], list[str]]:
    """The checks to list, and the titles of those that did not run (said in one line
    rather than one "not checked" row each)."""
    status = verdict.check("certificate_status")
    ended = status.reason if status is not None and status.reason in _CERTIFICATE_ENDED else None
    shown: list[CheckView] = []
    skipped: list[str] = []
    for check in verdict.checks:
        if check.outcome is Outcome.NOT_APPLICABLE and check.reason == "not_checked":
            title = CHECK_TITLES.get(check.name)
            skipped.append(title(lang) if title else check.name)
        elif ended and check.name == "conformity" and check.outcome is Outcome.PASSED:
            shown.append(_superseded_view(check, ended, lang))
        else:
            shown.append(_check_view(check, lang))
    return shown, skipped


@dataclass(frozen=True, slots=True)
class Headline:
    """What the verdict box says under the verdict word: ``cause``, the check that decided
    and why, in words (none for a plain AUTHENTIC), and ``meaning``, what it means for the
    person holding the item."""

    cause: str | None
    meaning: str


#: The checks whose failure decides each verdict, most telling first.
_DECIDING: Final[dict[Overall, tuple[str, ...]]] = {
    Overall.SUSPENDED: ("label_suspended", "certificate_suspended"),
    Overall.REVOKED: ("label_revoked", "certificate_withdrawn"),
    Overall.SUSPICIOUS: COPY_EVIDENCE_REASONS,
}


def _deciding_check(verdict: Verdict) -> Check | None:
    failed = [c for c in verdict.checks if c.outcome is Outcome.FAILED]
    for reason in _DECIDING.get(verdict.verdict, ()):
        for check in failed:
            if check.reason == reason:
                return check
    if verdict.verdict is Overall.AUTHENTIC_WITH_WARNINGS:
        warned = [c for c in verdict.checks if c.outcome is Outcome.WARNING]
        return warned[0] if warned else None
    if verdict.verdict is Overall.AUTHENTIC:
        return None
    return failed[0] if failed else None


def headline(verdict: Verdict, lang: Lang) -> Headline:
    """The verdict box's sentences: which check decided and why, then what it means."""
    return check_headline(verdict.verdict, _deciding_check(verdict), lang)


def check_headline(overall: Overall, check: Check | None, lang: Lang) -> Headline:
    """The verdict box's sentences for ``overall`` decided by ``check`` (the short address
    page says a SUSPICIOUS record's evidence through this, as the label page does)."""
    meaning = VERDICT_MEANINGS[overall](lang)
    if check is None:
        return Headline(None, meaning)
    cause = CAUSES.get(check.reason)
    if cause is None:
        return Headline(_check_text(check, lang), meaning)
    reason = status_reason_text(_reason_code(check), lang)
    why = WHY(lang, reason=reason) if reason else ""
    return Headline(cause(lang, why=why), meaning)
