"""Render the public pages: jinja2 templates, one stylesheet inlined, four languages.

Each ``render_*`` function is pure (no database, no request): it takes the facts and a
language and returns the HTML document. Routes add the headers of :mod:`verify.pages.http`
(the Content-Security-Policy there allows exactly the inlined stylesheet, by its hash).

Language links keep the URL the reader is on: ``self_url`` (the request's path and query)
gets its ``lang`` parameter replaced, so the label page's signed ``S`` parameter survives a
change of language. Only a path is ever kept, never a scheme or host: a link cannot leave
the site.
"""

from __future__ import annotations

import hashlib
from base64 import b64encode
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit

from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from schemas.text import WITHOUT_BIDI_CONTROLS
from verify.decision import COPY_EVIDENCE_REASONS
from verify.pages.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    Lang,
    direction,
    format_day,
    format_moment,
)
from verify.pages.item_text import item_view
from verify.pages.messages import UI
from verify.pages.names import NO_TRANSLATIONS, CatalogueNames, Name, text_language
from verify.pages.reason_text import REASON_TEXTS
from verify.pages.status_text import CERTIFICATE_STATUS_WORDS, STATUS_REASON_TEXTS
from verify.pages.suspicion_text import evidence_text
from verify.pages.verdict_text import (
    CAUSES,
    CHECK_TITLES,
    OUTCOME_WORDS,
    SUPERSEDED,
    VERDICT_MEANINGS,
    VERDICT_WORDS,
    WHY,
)
from verify.verdict import (
    CertificateFacts,
    Check,
    Outcome,
    Overall,
    Verdict,
)

__all__ = [
    "CSS_SHA256",
    "CertificatePage",
    "Headline",
    "LanguageLink",
    "Style",
    "check_headline",
    "headline",
    "language_links",
    "render_certificate_page",
    "render_error_page",
    "render_home_page",
    "render_label_page",
    "render_login_page",
    "status_reason_text",
    "verdict_style",
]

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"
CSS: Final[str] = (TEMPLATES / "style.css").read_text(encoding="utf-8")
#: The CSP source that admits the inlined stylesheet and nothing else.
CSS_SHA256: Final[str] = "sha256-" + b64encode(hashlib.sha256(CSS.encode()).digest()).decode()

HOME_URL: Final = "/"
BULK_URL: Final = "/verify/bulk"
VERIFY_URL: Final = "/verify"


def _plain(value: Any) -> Any:
    """Every ``{{ value }}`` of a template: text loses its bidi controls (then the
    autoescape escapes it); our own markup (the stylesheet) is left alone."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return value.translate(WITHOUT_BIDI_CONTROLS)
    return value


def template_environment(folder: Path) -> Environment:
    """The Jinja environment of Khatem's pages (public and workspace): autoescaped, strict,
    every value stripped of bidi controls."""
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        finalize=_plain,
    )


_ENV: Final = template_environment(TEMPLATES)


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
_STATUS_STYLES: Final[dict[str, Style]] = {
    "active": Style("ok", "check"),
    "suspended": Style("suspended", "pause"),
    "withdrawn": Style("revoked", "ban"),
    "expired": Style("warn", "warning"),
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
class LanguageLink:
    lang: Lang
    name: str
    href: str
    dir: str
    current: bool


def _same_site_path(self_url: str | None) -> tuple[str, list[tuple[str, str]]]:
    """The path and query pairs of ``self_url``, or ``("", [])`` if it is not a local path."""
    if not self_url:
        return "", []
    parts = urlsplit(self_url)
    path = parts.path
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "", []
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return path, pairs


def language_links(self_url: str | None, current: Lang) -> list[LanguageLink]:
    """One link per language to the same page (same path and query, another ``lang``)."""
    path, pairs = _same_site_path(self_url)
    return [
        LanguageLink(
            lang=lang,
            name=LANGUAGE_NAMES[lang],
            href=path + "?" + urlencode([*pairs, ("lang", lang)]),
            dir=direction(lang),
            current=lang == current,
        )
        for lang in LANGUAGES
    ]


def with_lang(url: str, lang: Lang) -> str:
    """A local URL with ``?lang=``, for links between pages."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}lang={lang}"


class _Words:
    """What the templates call: ``t("key", **values)``, dates in the page's language."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: Any) -> str:
        return UI[key](self.lang, **values)

    def day(self, day: date) -> str:
        return format_day(day, self.lang)

    def moment(self, at: datetime) -> str:
        return format_moment(at, self.lang)


def _chrome(lang: Lang, self_url: str | None) -> dict[str, Any]:
    words = _Words(lang)
    return {
        "lang": lang,
        "dir": direction(lang),
        "t": words,
        "day": words.day,
        "moment": words.moment,
        "css": Markup(CSS),  # noqa: S704 - our own stylesheet, pinned by its CSP hash
        "languages": language_links(self_url, lang),
        "home_url": with_lang(HOME_URL, lang),
        "bulk_url": with_lang(BULK_URL, lang),
    }


def _render(template: str, context: dict[str, Any]) -> str:
    return _ENV.get_template(template).render(context)


# ------------------------------------------------------------------------------ label page


@dataclass(frozen=True, slots=True)
class _CheckView:
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


def _check_view(check: Check, lang: Lang) -> _CheckView:
    title = CHECK_TITLES.get(check.name)
    reason_code = _reason_code(check)
    return _CheckView(
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


def _superseded_view(check: Check, ended: str, lang: Lang) -> _CheckView:
    """The conformity check of a certificate since suspended or withdrawn: the audit that
    granted it passed, but that no longer vouches for the item (so the row does not say
    "passed" beside a suspension for a non-conformity)."""
    view = _check_view(check, lang)
    return _CheckView(
        name=view.name,
        title=view.title,
        outcome="superseded",
        outcome_word=SUPERSEDED["word"](lang),
        icon=_OUTCOME_ICONS[Outcome.NOT_APPLICABLE],
        text=SUPERSEDED[ended](lang),
        status_reason=None,
    )


def _check_views(verdict: Verdict, lang: Lang) -> tuple[list[_CheckView], list[str]]:
    """The checks to list, and the titles of those that did not run (said in one line
    rather than one "not checked" row each)."""
    status = verdict.check("certificate_status")
    ended = status.reason if status is not None and status.reason in _CERTIFICATE_ENDED else None
    shown: list[_CheckView] = []
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


@dataclass(frozen=True, slots=True)
class _Facts:
    """A certificate's catalogue names as the page shows them (see :mod:`.names`)."""

    region: Name
    craft: Name
    scheme: Name
    level_name: Name | None
    body: Name
    standards: tuple[tuple[str, Name], ...]


def _facts(cert: CertificateFacts, names: CatalogueNames, lang: Lang) -> _Facts:
    c = cert.conformity
    return _Facts(
        region=names.name("region", cert.artisan.region_code, cert.artisan.region_name, lang),
        craft=names.name("craft", cert.artisan.craft, cert.artisan.craft, lang),
        scheme=names.name("scheme", c.scheme_code, c.scheme_name, lang),
        level_name=names.name("level", c.scheme_code, c.level_name, lang) if c.level_name else None,
        body=names.name("body", c.body_code, c.body_name, lang),
        standards=tuple(
            (s.code, names.name("standard", s.code, s.title, lang)) for s in c.standards
        ),
    )


def _assumptions_of(verdict: Verdict) -> frozenset[str]:
    raw = verdict.extra.get("assumptions") if verdict.extra else None
    if isinstance(raw, str):
        return frozenset({raw})
    if isinstance(raw, Collection):
        return frozenset(str(item) for item in raw)
    return frozenset()


def certificate_path(code: str) -> str:
    return f"/certificates/{code}"


def render_label_page(
    verdict: Verdict,
    *,
    lang: Lang,
    self_url: str | None = None,
    certificate_url: str | None = None,
    assumptions: Collection[str] | None = None,
    names: CatalogueNames | None = None,
) -> str:
    """The page a buyer sees after scanning a label.

    ``self_url`` is the path and query of the page (for the language links);
    ``assumptions`` names the catalogue records that are placeholders (``scheme``, ``body``,
    ``craft``, ``region``, ``standards``), shown as provisional; by default they are read
    from ``verdict.extra["assumptions"]``. ``names`` translates the catalogue's names
    (:mod:`verify.pages.names`; without it they are shown as recorded).
    """
    cert = verdict.certificate
    checks, skipped = _check_views(verdict, lang)
    context = _chrome(lang, self_url)
    context.update(
        verdict=verdict,
        style=verdict_style(verdict.verdict),
        verdict_word=VERDICT_WORDS[verdict.verdict](lang),
        headline=headline(verdict, lang),
        checks=checks,
        skipped=skipped,
        cert=cert,
        item=item_view(verdict.item, lang) if verdict.item else None,
        names=_facts(cert, names or NO_TRANSLATIONS, lang) if cert else None,
        # What the label says is vouched for only once its signature held.
        trusted=verdict.verdict not in (Overall.INVALID, Overall.UNKNOWN),
        certificate_url=with_lang(certificate_url or certificate_path(cert.code), lang)
        if cert
        else None,
        assumptions=frozenset(assumptions) if assumptions is not None else _assumptions_of(verdict),
    )
    return _render("label.html", context)


# ------------------------------------------------------------------------ certificate page


@dataclass(frozen=True, slots=True)
class CertificatePage:
    """What the public certificate page shows: public facts only.

    ``status`` is the effective status (``active``, ``suspended``, ``withdrawn``,
    ``expired``); ``product_lines`` are the public names of the products in scope.
    """

    facts: CertificateFacts
    status: str
    status_since: date | None = None
    product_lines: tuple[str, ...] = ()
    assumptions: frozenset[str] = field(default_factory=frozenset)


def certificate_status_word(status: str, lang: Lang) -> str:
    return CERTIFICATE_STATUS_WORDS[status](lang)


def badge_path(code: str) -> str:
    return f"/certificates/{code}/badge.svg"


def render_certificate_page(
    page: CertificatePage,
    *,
    lang: Lang,
    self_url: str | None = None,
    base_url: str = "",
    names: CatalogueNames | None = None,
) -> str:
    """The public page of one certificate, with its badge and the snippet to embed it.

    ``base_url`` (the registry's public address) makes the snippet's links absolute, so it
    works on the artisan's own website.
    """
    facts = page.facts
    base = base_url.rstrip("/")
    page_url = base + certificate_path(facts.code)
    badge_url = with_lang(base + badge_path(facts.code), lang)
    status_word = certificate_status_word(page.status, lang)
    badge_alt = UI["badge_alt"](lang, code=facts.code, status=status_word)
    snippet = f'<a href="{page_url}"><img src="{badge_url}" alt="{badge_alt}" height="20"></a>'
    show_reason = page.status in ("suspended", "withdrawn")
    context = _chrome(lang, self_url)
    context.update(
        cert=facts,
        status=page.status,
        style=_STATUS_STYLES[page.status],
        status_word=status_word,
        status_meaning=UI[f"status_meaning_{page.status}"](lang),
        status_since=format_day(page.status_since, lang)
        if page.status_since and page.status != "active"
        else None,
        status_reason=status_reason_text(facts.status_reason, lang) if show_reason else None,
        names=_facts(facts, names or NO_TRANSLATIONS, lang),
        scope=[Name(name, text_language(name)) for name in page.product_lines],
        assumptions=page.assumptions,
        page_url=with_lang(certificate_path(facts.code), lang),
        badge_url=with_lang(badge_path(facts.code), lang),
        badge_alt=badge_alt,
        snippet=snippet,
    )
    return _render("certificate.html", context)


# -------------------------------------------------------------------- home, errors


def render_home_page(*, lang: Lang, self_url: str | None = None, max_url: int = 512) -> str:
    context = _chrome(lang, self_url)
    context.update(verify_url=VERIFY_URL, max_url=max_url)
    return _render("home.html", context)


def render_error_page(
    *,
    lang: Lang,
    message: str,
    slug: str,
    heading_key: str = "error_title",
    self_url: str | None = None,
) -> str:
    """An error for a browser (API clients get problem+json with the same ``slug``)."""
    context = _chrome(lang, self_url)
    context.update(heading=UI[heading_key](lang), message=message, slug=slug)
    return _render("error.html", context)


#: What the sign-in form says for each problem type of a refused sign-in.
_LOGIN_MESSAGES: Final[dict[str, str]] = {
    "login-failed": "login_failed",
    "login-locked": "login_locked",
    "login-busy": "login_busy",
}


def render_login_page(
    *,
    lang: Lang,
    self_url: str | None = None,
    problem: str | None = None,
    retry_after: int = 60,
    email: str = "",
    next_page: str = "",
) -> str:
    """The sign-in form; after a refused sign-in (``problem``, its problem type) it says why,
    and after wrong credentials it marks both fields invalid (``aria-invalid``), pointing at
    the message (``aria-describedby``). ``next_page``: where to go once signed in (a path
    the caller has checked), carried by the form."""
    context = _chrome(lang, self_url)
    error = None
    if problem:
        minutes = max(1, -(-retry_after // 60))
        error = UI[_LOGIN_MESSAGES.get(problem, "login_error")](lang, minutes=minutes)
    context.update(
        error=error,
        error_slug=problem or "",
        invalid=problem == "login-failed",
        email=email,
        next_page=next_page,
    )
    return _render("login.html", context)


def render_template(template: str, *, lang: Lang, self_url: str | None, **values: Any) -> str:
    """Render ``template`` with the common page chrome (used by the bulk page)."""
    context = _chrome(lang, self_url)
    context.update(values)
    return _render(template, context)


def count_text(count: int, lang: Lang) -> str:
    """A count as the page's language writes it (1 000, 1,000, 1.000)."""
    return format_decimal(count, locale=lang)
