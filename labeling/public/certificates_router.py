"""A certificate's public page and its embeddable badge.

* ``GET /certificates/{code}`` — the page (status, scope, validity, badge snippet);
* ``GET /certificates/{code}/badge.svg`` — the badge; an image request for an unknown code
  gets an "unknown" badge with its 404, not a broken image.

Both carry an ETag, answer ``If-None-Match`` with 304, and have a short max-age. Included
by :mod:`labeling.public.router`, whose tags and dependencies its routes take.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlmodel import Session

from core.auth import SessionDep, SettingsDep
from core.calendar import registry_today
from core.problems import problem_responses
from core.settings import Settings
from labeling.catalog.names import catalogue_names
from labeling.public import service
from labeling.public.errors import CertificateNotFound
from labeling.public.responses import (
    CERTIFICATE_CACHE,
    HTML_OK,
    PAGES,
    LangQuery,
    Responses,
    conditional,
    html_page,
    negotiated_problem,
    own_url,
    page_language,
    problem_answer,
)
from verify.pages import BADGE_HEADERS, Lang, etag_for, render_badge_svg, render_certificate_page
from verify.pages.http import SVG_MEDIA_TYPE
from verify.pages.messages import UI

__all__ = ["router"]

router = APIRouter()

_BADGE_OK: Final[Responses] = {
    200: {"description": "The badge", "content": {"image/svg+xml": {}}},
    304: {"description": "Not modified (If-None-Match)"},
}
_BADGE_CACHE: Final = "public, max-age=300"

CodePath = Annotated[
    str,
    Path(
        max_length=16,
        description="A certificate code such as C-1Z8K3QD (case and hyphens do not matter).",
    ),
]


def _certificate_page(
    session: Session, settings: Settings, code: str, language: Lang, self_url: str
) -> str:
    page = service.certificate_page(session=session, code_text=code, today=registry_today())
    return render_certificate_page(
        page,
        lang=language,
        self_url=self_url,
        base_url=settings.public_base_url,
        names=catalogue_names(),
    )


@router.get(
    "/certificates/{code}",
    dependencies=PAGES,
    summary="A certificate's public page (status, scope, validity, badge snippet)",
    response_class=Response,
    responses=HTML_OK
    | {304: {"description": "Not modified (If-None-Match)"}}
    | problem_responses(404, 429, descriptions={404: "`certificate-not-found`"}),
)
def certificate_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    code: CodePath,
    lang: LangQuery = None,
) -> Response:
    language = page_language(request, lang)
    try:
        html = _certificate_page(session, settings, code, language, own_url(request))
    except CertificateNotFound as problem:
        message = UI["certificate_not_found"](language)
        return problem_answer(request, problem, language, message, "not_found_title")
    return conditional(request, html_page(html, language, cache=CERTIFICATE_CACHE, etag=True))


def _wants_badge(accept: str | None) -> bool:
    """An ``<img>`` (it accepts ``image/…``) gets an "unknown" badge with its 404, not a
    broken image; every other client gets problem+json."""
    return accept is not None and "image/" in accept.lower()


@router.get(
    "/certificates/{code}/badge.svg",
    dependencies=PAGES,
    summary="A certificate's embeddable status badge (SVG)",
    response_class=Response,
    responses=_BADGE_OK
    | problem_responses(
        404,
        429,
        descriptions={
            404: "`certificate-not-found` (an image request, `Accept: image/*`, gets an "
            "'unknown' badge in SVG instead)"
        },
    ),
)
def certificate_badge(
    request: Request,
    session: SessionDep,
    code: CodePath,
    lang: LangQuery = None,
) -> Response:
    language = page_language(request, lang)
    headers = {
        **BADGE_HEADERS,
        "Cache-Control": _BADGE_CACHE,
        "Vary": "Accept, Accept-Language",
        "Content-Language": language,
    }
    try:
        status, canonical = service.badge_status(
            session=session, code_text=code, today=registry_today()
        )
    except CertificateNotFound as problem:
        if not _wants_badge(request.headers.get("accept")):
            return negotiated_problem(problem)
        svg = render_badge_svg("unknown", lang=language, code=None)
        headers["Cache-Control"] = "public, max-age=60"
        return Response(svg, status_code=404, media_type=SVG_MEDIA_TYPE, headers=headers)
    svg = render_badge_svg(status, lang=language, code=canonical)
    headers["ETag"] = etag_for(svg.encode())
    response = Response(svg, media_type=SVG_MEDIA_TYPE, headers=headers)
    return conditional(request, response)
