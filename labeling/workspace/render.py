"""Render workspace pages: jinja2 templates in ``templates/``, one inlined stylesheet (the
public pages' tokens and rules plus ``workspace.css``), optional inlined scripts, a strict
Content-Security-Policy that admits exactly those by their SHA-256.

Templates get ``t("key", **values)`` (:data:`labeling.workspace.messages.WORDS`, or any
:class:`~labeling.workspace.i18n.Text` passed in), ``day``/``moment`` for dates, the
``viewer`` (name, role, CSRF token), the navigation of the viewer's role and the language
links. Every ``{{ value }}`` loses its bidi controls, then is escaped.
"""

from __future__ import annotations

import hashlib
from base64 import b64encode
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit

from markupsafe import Markup

from labeling.workspace.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    Text,
    WLang,
    direction,
    format_day,
    format_moment,
)
from labeling.workspace.messages import ROLE_NAMES, WORDS
from labeling.workspace.offline_words import outbox_words
from verify.pages.chrome import CSS as PUBLIC_CSS
from verify.pages.chrome import template_environment

__all__ = [
    "CSS",
    "LanguageLink",
    "Script",
    "Words",
    "PAGE_SCRIPTS",
    "csp_for",
    "language_links",
    "page_headers",
    "render",
    "script_file",
]

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"
CSS: Final[str] = PUBLIC_CSS + (TEMPLATES / "workspace.css").read_text(encoding="utf-8")
_CSS_SOURCE: Final = "'sha256-" + b64encode(hashlib.sha256(CSS.encode()).digest()).decode() + "'"


@dataclass(frozen=True, slots=True)
class Script:
    """An inlined script (progressive enhancement only: every form works without it)."""

    source: str

    @property
    def csp_source(self) -> str:
        digest = hashlib.sha256(self.source.encode()).digest()
        return "'sha256-" + b64encode(digest).decode() + "'"


def script_file(name: str) -> Script:
    """A script of ``templates/`` (read once, at import of the module that asks)."""
    return Script((TEMPLATES / name).read_text(encoding="utf-8"))


#: Scripts of every page (``base.html``): the offline outbox and the service worker's
#: registration (docs/workspace.md, "Offline").
PAGE_SCRIPTS: Final = (script_file("offline.js"),)


def csp_for(scripts: Sequence[Script] = ()) -> str:
    """The page's policy: its own stylesheet and scripts, images and forms of this origin,
    the workspace's service worker and manifest."""
    script_sources = " ".join(s.csp_source for s in (*scripts, *PAGE_SCRIPTS))
    return "; ".join(
        (
            "default-src 'none'",
            f"style-src {_CSS_SOURCE}",
            f"script-src {script_sources}",
            "img-src 'self' data: blob:",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        )
    )


def page_headers(lang: WLang, scripts: Sequence[Script] = ()) -> dict[str, str]:
    """Headers of a workspace page: private, never cached, never framed."""
    return {
        "Content-Security-Policy": csp_for(scripts),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Content-Language": lang,
        "Cache-Control": "no-store",
        "Vary": "Cookie, Accept-Language",
    }


_ENV: Final = template_environment(TEMPLATES)


class Words:
    """``t("key", **values)`` in a template: a key of :data:`WORDS` or a :class:`Text`."""

    def __init__(self, lang: WLang, extra: Mapping[str, Text] | None = None) -> None:
        self.lang = lang
        self.extra = extra or {}

    def __call__(self, key: str | Text, **values: Any) -> str:
        if isinstance(key, Text):
            return key(self.lang, **values)
        text = self.extra.get(key) or WORDS[key]
        return text(self.lang, **values)

    def day(self, value: date) -> str:
        return format_day(value, self.lang)

    def moment(self, value: datetime) -> str:
        return format_moment(value, self.lang)

    def role(self, role: str) -> str:
        return ROLE_NAMES[role](self.lang)


@dataclass(frozen=True, slots=True)
class LanguageLink:
    lang: WLang
    name: str
    href: str
    dir: str
    current: bool


def language_links(self_url: str, current: WLang) -> list[LanguageLink]:
    """The same page in each language (``?lang=`` replaced; a local path only)."""
    parts = urlsplit(self_url)
    path = parts.path if parts.path.startswith("/") and not parts.path.startswith("//") else "/"
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
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


@dataclass(frozen=True, slots=True)
class Chrome:
    """What the base template needs beyond the page's own values."""

    lang: WLang
    self_url: str
    viewer: Any = None  # a labeling.workspace.routing.Viewer, or None on error pages
    nav: Sequence[Any] = ()
    scripts: Sequence[Script] = ()
    words: Mapping[str, Text] = field(default_factory=dict)


def render(template: str, chrome: Chrome, **values: Any) -> str:
    words = Words(chrome.lang, chrome.words)
    context: dict[str, Any] = {
        "lang": chrome.lang,
        "dir": direction(chrome.lang),
        "t": words,
        "day": words.day,
        "moment": words.moment,
        "role_name": words.role,
        "css": Markup(CSS),  # noqa: S704 - our own stylesheet, pinned by its CSP hash
        "scripts": [  # noqa: S704 - ours, by hash
            Markup(s.source) for s in (*chrome.scripts, *PAGE_SCRIPTS)
        ],
        "outbox_words": outbox_words(chrome.lang),
        "languages": language_links(chrome.self_url, chrome.lang),
        "viewer": chrome.viewer,
        "nav": chrome.nav,
        "self_path": urlsplit(chrome.self_url).path,
    }
    context.update(values)
    return _ENV.get_template(template).render(context)
