"""The report form and its thank-you page: the public pages' chrome, stylesheet and
languages (``verify/pages/templates/base.html``), with this package's own templates and
words. Pure rendering: no database, no request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Final

from babel import Locale
from jinja2 import ChoiceLoader, FileSystemLoader
from markupsafe import Markup

from labeling.reports.words import FIELD_ERRORS, WORDS
from verify.pages.chrome import (
    BULK_URL,
    CSS,
    HOME_URL,
    TEMPLATES,
    language_links,
    template_environment,
    with_lang,
)
from verify.pages.i18n import Lang, direction
from verify.pages.messages import UI

__all__ = [
    "FormErrors",
    "countries",
    "render_report_form",
    "render_report_refused",
    "render_report_sent",
    "report_path",
]

_OWN: Final = Path(__file__).resolve().parent / "templates"
_ENV: Final = template_environment(_OWN)
_ENV.loader = ChoiceLoader([FileSystemLoader(_OWN), FileSystemLoader(TEMPLATES)])
#: Not countries: the EU, the UN, the eurozone, private-use and unknown codes.
_NOT_COUNTRIES: Final = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "XK", "ZZ"})


def report_path(gtin: str, serial: str) -> str:
    return f"/report/{gtin}/{serial}"


@cache
def countries(lang: Lang) -> tuple[tuple[str, str], ...]:
    """ISO 3166-1 alpha-2 codes and their names in ``lang`` (CLDR, through babel), by name."""
    names = Locale.parse(lang).territories
    pairs = [
        (code, name)
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    ]
    return tuple(sorted(pairs, key=lambda pair: pair[1].casefold()))


@dataclass
class FormErrors:
    message: str | None = None
    fields: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.message or self.fields)


def field_error(kind: str, lang: Lang, **values: object) -> str:
    return FIELD_ERRORS[kind](lang, **values)


def _chrome(lang: Lang, self_url: str | None) -> dict[str, Any]:
    def t(key: str, **values: Any) -> str:
        text = WORDS.get(key) or UI[key]
        return text(lang, **values)

    return {
        "lang": lang,
        "dir": direction(lang),
        "t": t,
        "css": Markup(CSS),  # noqa: S704 - our own stylesheet, pinned by its CSP hash
        "languages": language_links(self_url, lang),
        "home_url": with_lang(HOME_URL, lang),
        "bulk_url": with_lang(BULK_URL, lang),
    }


def render_report_form(
    *,
    lang: Lang,
    gtin: str,
    serial: str,
    token: str,
    max_photo_mb: int,
    retention_days: int,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    today: date,
) -> str:
    context = _chrome(lang, report_path(gtin, serial) + f"?lang={lang}")
    context.update(
        gtin=gtin,
        serial=serial,
        action=with_lang(report_path(gtin, serial), lang),
        token=token,
        countries=countries(lang),
        values=values or {},
        errors=errors or FormErrors(),
        max_photo_mb=max_photo_mb,
        retention_days=retention_days,
        today=today.isoformat(),
    )
    return _ENV.get_template("report.html").render(context)


def render_report_sent(*, lang: Lang, gtin: str, serial: str) -> str:
    context = _chrome(lang, report_path(gtin, serial) + f"?lang={lang}")
    context.update(gtin=gtin, serial=serial)
    return _ENV.get_template("report_sent.html").render(context)


def render_report_refused(
    *, lang: Lang, message: str, slug: str, gtin: str | None, serial: str | None
) -> str:
    """A report turned away before it was stored (too many from the buyer's connection, or
    for the label today): why, and a way back to the form (when the label is known)."""
    form = report_path(gtin, serial) if gtin and serial else None
    context = _chrome(lang, form)
    context.update(message=message, slug=slug, form_url=with_lang(form, lang) if form else None)
    return _ENV.get_template("report_refused.html").render(context)
