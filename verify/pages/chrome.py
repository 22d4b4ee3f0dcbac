"""What every public page shares: the jinja2 environment, the inlined stylesheet, the
language links and the words the templates call.

Language links keep the URL the reader is on: ``self_url`` (the request's path and query)
gets its ``lang`` parameter replaced, so the label page's signed ``S`` parameter survives a
change of language. Only a path is ever kept, never a scheme or host: a link cannot leave
the site.
"""

from __future__ import annotations

import hashlib
from base64 import b64encode
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit

from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from schemas.text import WITHOUT_BIDI_CONTROLS
from verify.pages.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    Lang,
    direction,
    format_day,
    format_moment,
)
from verify.pages.messages import UI

__all__ = [
    "BULK_URL",
    "CSS",
    "CSS_SHA256",
    "HOME_URL",
    "TEMPLATES",
    "VERIFY_URL",
    "LanguageLink",
    "count_text",
    "language_links",
    "page_context",
    "render",
    "render_template",
    "template_environment",
    "with_lang",
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


def page_context(lang: Lang, self_url: str | None) -> dict[str, Any]:
    """The template values every page has: language, direction, words, stylesheet, links."""
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


def render(template: str, context: dict[str, Any]) -> str:
    return _ENV.get_template(template).render(context)


def render_template(template: str, *, lang: Lang, self_url: str | None, **values: Any) -> str:
    """Render ``template`` with the common page chrome (used by the bulk page)."""
    context = page_context(lang, self_url)
    context.update(values)
    return render(template, context)


def count_text(count: int, lang: Lang) -> str:
    """A count as the page's language writes it (1 000, 1,000, 1.000)."""
    return format_decimal(count, locale=lang)
