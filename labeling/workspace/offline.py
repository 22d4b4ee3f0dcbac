"""What makes the workspace installable and usable without signal: the web app manifest,
its icons, the favicon and the service worker (``templates/offline/``).

All of it is public and static — the same bytes for everyone, nothing private — so the
browser can fetch it as it does (a manifest and its icons are fetched without cookies).
The service worker lives at ``/workspace/sw.js``: its default scope would be
``/workspace/``, which leaves out the home page ``/workspace`` itself, so the script is
served with ``Service-Worker-Allowed: /workspace`` and registered with that scope. Its own
Content-Security-Policy lets it fetch this origin and nothing else. See docs/workspace.md,
"Offline".
"""

from __future__ import annotations

import io
import json
from functools import cache
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Query, Response
from PIL import Image, ImageDraw

from core.auth import public
from labeling.workspace.i18n import DEFAULT_LANGUAGE, LANGUAGES, WLang, direction
from labeling.workspace.messages import WORDS
from labeling.workspace.render import TEMPLATES

__all__ = ["SCOPE", "SW_PATH", "manifest", "router"]

SCOPE: Final = "/workspace"
SW_PATH: Final = "/workspace/sw.js"
MANIFEST_PATH: Final = "/workspace/manifest.webmanifest"
_BRAND: Final = "#7a2e1d"
_PAPER: Final = "#fbfaf7"
_FOLDER: Final = TEMPLATES / "offline"
SW_SOURCE: Final = (_FOLDER / "sw.js").read_text(encoding="utf-8")
ICON_SVG: Final = (_FOLDER / "icon.svg").read_bytes()

router = APIRouter(include_in_schema=False, dependencies=[Depends(public)])

_STATIC: Final = {
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'none'",
}
# An asset may be kept a day; the service worker script is checked on every load (the
# browser caps it at a day anyway) so that a new version reaches the field soon.
_DAY: Final = "public, max-age=86400"


def manifest(lang: WLang) -> dict[str, object]:
    """The web app manifest in ``lang`` (one app: the same ``id`` in every language)."""
    name = f"{WORDS['site_name'](lang)} · {WORDS['workspace'](lang)}"
    return {
        "id": SCOPE,
        "name": name,
        "short_name": WORDS["site_name"](lang),
        "description": WORDS["footer"](lang),
        "lang": lang,
        "dir": direction(lang),
        "start_url": SCOPE,
        "scope": SCOPE,
        "display": "standalone",
        "orientation": "any",
        "background_color": _PAPER,
        "theme_color": _BRAND,
        "icons": [
            {"src": "/workspace/icon.svg", "sizes": "any", "type": "image/svg+xml"},
            {"src": "/workspace/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {
                "src": "/workspace/icon-512.png",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any maskable",
            },
        ],
    }


@router.get(MANIFEST_PATH)
async def manifest_file(
    lang: Annotated[str | None, Query(max_length=8)] = None,
) -> Response:
    language: WLang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    body = json.dumps(manifest(language), ensure_ascii=False, separators=(",", ":"))
    return Response(
        body,
        media_type="application/manifest+json",
        headers={**_STATIC, "Cache-Control": _DAY},
    )


@router.get(SW_PATH)
async def service_worker() -> Response:
    return Response(
        SW_SOURCE,
        media_type="text/javascript; charset=utf-8",
        headers={
            **_STATIC,
            "Service-Worker-Allowed": SCOPE,
            "Cache-Control": "no-cache",
            "Content-Security-Policy": "default-src 'none'; connect-src 'self'",
        },
    )


def _star(size: int) -> Image.Image:
    """The icon (``icon.svg``) drawn at ``size`` pixels, four times larger then reduced."""
    big = size * 4
    scale = big / 512
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=round(96 * scale), fill=_BRAND)
    centre, half, width = 256 * scale, 110 * scale, round(28 * scale)
    square = [(centre - half, centre - half), (centre + half, centre - half)]
    square += [(centre + half, centre + half), (centre - half, centre + half)]
    diagonal = half * 2**0.5
    diamond = [(centre, centre - diagonal), (centre + diagonal, centre)]
    diamond += [(centre, centre + diagonal), (centre - diagonal, centre)]
    for outline in (square, diamond):
        draw.line([*outline, outline[0], outline[1]], fill="#ffffff", width=width, joint="curve")
    radius = 40 * scale
    draw.ellipse((centre - radius, centre - radius, centre + radius, centre + radius), "#ffffff")
    return image.resize((size, size), Image.Resampling.LANCZOS)


@cache
def icon_png(size: int) -> bytes:
    out = io.BytesIO()
    _star(size).save(out, format="PNG", optimize=True)
    return out.getvalue()


@cache
def favicon_ico() -> bytes:
    out = io.BytesIO()
    _star(64).save(out, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return out.getvalue()


def _image(body: bytes, media_type: str) -> Response:
    return Response(body, media_type=media_type, headers={**_STATIC, "Cache-Control": _DAY})


@router.get("/workspace/icon.svg")
async def icon_svg() -> Response:
    return _image(ICON_SVG, "image/svg+xml")


@router.get("/workspace/icon-192.png")
async def icon_192() -> Response:
    return _image(icon_png(192), "image/png")


@router.get("/workspace/icon-512.png")
async def icon_512() -> Response:
    return _image(icon_png(512), "image/png")


@router.get("/favicon.ico")
async def favicon() -> Response:
    """The favicon of every page, public and workspace (browsers ask for it by themselves)."""
    return _image(favicon_ico(), "image/x-icon")
