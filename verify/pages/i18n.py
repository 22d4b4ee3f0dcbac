"""Languages of the public pages: which one a reader gets, its direction, its dates.

The pages speak French (the default), English, Spanish and Arabic (right to left). A reader
gets the language of ``?lang=`` when it names one of these, else the best match of the
browser's ``Accept-Language`` (negotiated by babel, so ``es-ES`` gets Spanish), else French.
Dates are formatted by babel in the page's language (CLDR month names).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Final, Literal, NamedTuple

from babel.core import negotiate_locale
from babel.dates import format_date, format_time, format_timedelta

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "Lang",
    "Text",
    "choose_language",
    "direction",
    "format_day",
    "format_moment",
    "parse_accept_language",
    "wait_text",
]

Lang = Literal["fr", "en", "es", "ar"]
LANGUAGES: Final[tuple[Lang, ...]] = ("fr", "en", "es", "ar")
DEFAULT_LANGUAGE: Final[Lang] = "fr"
#: Each language named in itself, for the switcher.
LANGUAGE_NAMES: Final[dict[Lang, str]] = {
    "fr": "Français",
    "en": "English",
    "es": "Español",
    "ar": "العربية",
}
_MAX_HEADER: Final = 512
_MAX_TAGS: Final = 16


class Text(NamedTuple):
    """One message in every language; a missing language is a TypeError at import time."""

    fr: str
    en: str
    es: str
    ar: str

    def __call__(self, lang: Lang, /, **values: object) -> str:
        template: str = getattr(self, lang)
        return template.format(**values) if values else template


def direction(lang: Lang) -> Literal["ltr", "rtl"]:
    return "rtl" if lang == "ar" else "ltr"


def parse_accept_language(header: str | None) -> list[str]:
    """The language tags of an ``Accept-Language`` header, best first (q=0 dropped).

    Bounded: a hostile header longer than 512 characters or with more than 16 tags is read
    only that far.
    """
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header[:_MAX_HEADER].split(",")[:_MAX_TAGS]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*" or len(tag) > 35:
            continue
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                continue
            if not 0.0 < quality <= 1.0:
                continue
        weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def choose_language(query_lang: str | None, accept_language: str | None) -> Lang:
    """``?lang=`` first, then ``Accept-Language`` (negotiated by babel), then French."""
    if query_lang:
        wanted = query_lang.strip().lower()[:8]
        if wanted in LANGUAGES:
            return wanted
    preferred = parse_accept_language(accept_language)
    match = negotiate_locale(preferred, list(LANGUAGES), sep="-") if preferred else None
    if match in LANGUAGES:
        return match
    return DEFAULT_LANGUAGE


def format_day(day: date, lang: Lang) -> str:
    """``5 mars 2026``, ``March 5, 2026``, ``5 de marzo de 2026``, ``5 مارس 2026``."""
    return format_date(day, format="long", locale=lang)


def wait_text(seconds: int, lang: Lang) -> str:
    """How long to wait, in whole minutes (at least one), as ``lang`` says it: "1 minute",
    "3 minutos", "دقيقتان" (CLDR's plural forms, through babel)."""
    minutes = max(1, -(-seconds // 60))
    return format_timedelta(
        timedelta(minutes=minutes), granularity="minute", threshold=10**9, locale=lang
    )


def format_moment(at: datetime, lang: Lang) -> str:
    """A day and a UTC time of day, e.g. ``5 mars 2026, 14:03 UTC``."""
    at = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
    clock = format_time(at, format="HH:mm", locale=lang, tzinfo=UTC)
    separator = "، " if lang == "ar" else ", "
    return f"{format_day(at.date(), lang)}{separator}{clock} UTC"
