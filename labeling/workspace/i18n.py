"""The workspace's languages: French (default), Arabic (right to left), English.

A person's language is a preference, remembered in a cookie (``khatem_lang``, a year): a
``?lang=`` on any workspace page sets it (the language links do exactly that), and every
page honours it. Without one, the browser's ``Accept-Language`` decides, else French.

Messages are :class:`Text` triples; a message missing a language is a TypeError at import.
Add a page's words to :data:`WORDS` (or a module of your own built the same way).
"""

from __future__ import annotations

from typing import Final, Literal, NamedTuple

from babel.core import negotiate_locale
from starlette.responses import Response

from verify.pages.i18n import format_day, format_moment, parse_accept_language

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_COOKIE",
    "LANGUAGE_NAMES",
    "WLang",
    "Text",
    "choose_language",
    "direction",
    "format_day",
    "format_moment",
    "known_language",
    "remember_language",
]

WLang = Literal["fr", "ar", "en"]
LANGUAGES: Final[tuple[WLang, ...]] = ("fr", "ar", "en")
DEFAULT_LANGUAGE: Final[WLang] = "fr"
LANGUAGE_COOKIE: Final = "khatem_lang"
_YEAR: Final = 365 * 24 * 3600
LANGUAGE_NAMES: Final[dict[WLang, str]] = {"fr": "Français", "ar": "العربية", "en": "English"}


class Text(NamedTuple):
    """One message in the workspace's three languages (``{name}`` placeholders allowed)."""

    fr: str
    ar: str
    en: str

    def __call__(self, lang: WLang, /, **values: object) -> str:
        template: str = getattr(self, lang)
        return template.format(**values) if values else template


def direction(lang: WLang) -> Literal["ltr", "rtl"]:
    return "rtl" if lang == "ar" else "ltr"


def _known(value: str | None) -> WLang | None:
    if not value:
        return None
    wanted = value.strip().lower()[:8]
    for lang in LANGUAGES:
        if wanted == lang:
            return lang
    return None


def known_language(value: str | None) -> WLang | None:
    """``value`` when it names a workspace language, else None."""
    return _known(value)


def remember_language(response: Response, lang: WLang, *, secure: bool) -> None:
    """Remember ``lang`` as the person's preference (the cookie, a year)."""
    response.set_cookie(
        LANGUAGE_COOKIE, lang, max_age=_YEAR, httponly=True, samesite="lax", secure=secure
    )


def choose_language(
    query_lang: str | None, cookie_lang: str | None, accept_language: str | None
) -> WLang:
    """``?lang=`` first, then the remembered preference, then ``Accept-Language``, then
    French."""
    chosen = _known(query_lang) or _known(cookie_lang)
    if chosen is not None:
        return chosen
    preferred = parse_accept_language(accept_language)
    match = negotiate_locale(preferred, list(LANGUAGES), sep="-") if preferred else None
    return _known(match) or DEFAULT_LANGUAGE
