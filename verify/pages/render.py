"""Render the public pages: the label page, a certificate's page, home, errors, sign-in.

Each ``render_*`` function is pure (no database, no request): it takes the facts and a
language and returns the HTML document. Routes add the headers of :mod:`verify.pages.http`
(the Content-Security-Policy there allows exactly the inlined stylesheet, by its hash). What
every page shares (templates, stylesheet, language links) is in :mod:`verify.pages.chrome`;
the verdict's headline and check rows in :mod:`verify.pages.verdict_view`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from verify.pages.chrome import VERIFY_URL, page_context, render, with_lang
from verify.pages.i18n import Lang, format_day, wait_text
from verify.pages.item_text import item_view
from verify.pages.messages import UI
from verify.pages.names import NO_TRANSLATIONS, CatalogueNames, Name, text_language
from verify.pages.status_text import CERTIFICATE_STATUS_WORDS
from verify.pages.verdict_text import VERDICT_WORDS
from verify.pages.verdict_view import (
    Style,
    check_views,
    headline,
    status_reason_text,
    verdict_style,
)
from verify.verdict import CertificateFacts, Overall, Verdict

__all__ = [
    "CertificatePage",
    "badge_path",
    "certificate_path",
    "certificate_status_word",
    "render_certificate_page",
    "render_error_page",
    "render_home_page",
    "render_label_page",
    "render_login_page",
]

_STATUS_STYLES: Final[dict[str, Style]] = {
    "active": Style("ok", "check"),
    "suspended": Style("suspended", "pause"),
    "withdrawn": Style("revoked", "ban"),
    "expired": Style("warn", "warning"),
}


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
    checks, skipped = check_views(verdict, lang)
    context = page_context(lang, self_url)
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
    return render("label.html", context)


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
    context = page_context(lang, self_url)
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
    return render("certificate.html", context)


# -------------------------------------------------------------------- home, errors


def render_home_page(*, lang: Lang, self_url: str | None = None, max_url: int = 512) -> str:
    context = page_context(lang, self_url)
    context.update(verify_url=VERIFY_URL, max_url=max_url)
    return render("home.html", context)


def render_error_page(
    *,
    lang: Lang,
    message: str,
    slug: str,
    heading_key: str = "error_title",
    self_url: str | None = None,
) -> str:
    """An error for a browser (API clients get problem+json with the same ``slug``)."""
    context = page_context(lang, self_url)
    context.update(heading=UI[heading_key](lang), message=message, slug=slug)
    return render("error.html", context)


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
    context = page_context(lang, self_url)
    error = None
    if problem:
        wait = wait_text(retry_after, lang)
        error = UI[_LOGIN_MESSAGES.get(problem, "login_error")](lang, wait=wait)
    context.update(
        error=error,
        error_slug=problem or "",
        invalid=problem == "login-failed",
        email=email,
        next_page=next_page,
    )
    return render("login.html", context)
