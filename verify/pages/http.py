"""The HTTP headers of the public pages: a strict Content-Security-Policy, caching, ETags.

Pure functions over strings, so that every route serving a page (the label route, the
certificate page, the badge) sends the same headers without this package importing a web
framework.

The policy allows nothing but the page's own inlined stylesheet (by its SHA-256), images and
form submissions to our own origin: no script, no font, no frame, no third-party anything.
"""

from __future__ import annotations

import hashlib
from typing import Final

from verify.pages.chrome import CSS_SHA256
from verify.pages.i18n import Lang

__all__ = [
    "BADGE_HEADERS",
    "CONTENT_SECURITY_POLICY",
    "HTML_MEDIA_TYPE",
    "SVG_MEDIA_TYPE",
    "etag_for",
    "etag_matches",
    "page_headers",
    "wants_html",
]

HTML_MEDIA_TYPE: Final = "text/html; charset=utf-8"
SVG_MEDIA_TYPE: Final = "image/svg+xml; charset=utf-8"

CONTENT_SECURITY_POLICY: Final[str] = "; ".join(
    (
        "default-src 'none'",
        f"style-src '{CSS_SHA256}'",
        "img-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)

_COMMON: Final[dict[str, str]] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

#: A badge is an image other sites embed: nothing inside it may load or run anything, and
#: a cross-origin page may display it.
BADGE_HEADERS: Final[dict[str, str]] = {
    **_COMMON,
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Cross-Origin-Resource-Policy": "cross-origin",
}


def page_headers(lang: Lang, *, cache_control: str = "no-store") -> dict[str, str]:
    """Headers of an HTML page in ``lang``. The page depends on Accept-Language (and on
    Accept for the routes that also answer JSON), so caches must vary on both."""
    return {
        **_COMMON,
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Frame-Options": "DENY",
        "Content-Language": lang,
        "Vary": "Accept, Accept-Language",
        "Cache-Control": cache_control,
    }


def etag_for(body: bytes) -> str:
    """A strong validator of a response body."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 section 13.1.2: weak comparison against any listed tag, or ``*``."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    for candidate in if_none_match[:2048].split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


def wants_html(accept: str | None) -> bool:
    """Whether the client is a browser that reads pages (``text/html`` acceptable and
    preferred over JSON); API clients and ``*/*`` get problem+json for errors."""
    if not accept:
        return False
    best_html = best_json = 0.0
    for part in accept[:1024].split(","):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media in ("text/html", "application/xhtml+xml"):
            best_html = max(best_html, quality)
        elif media in ("application/json", "application/problem+json"):
            best_json = max(best_json, quality)
    return best_html > 0 and best_html >= best_json
