"""Public pages: home, paste-a-label, bulk CSV upload, certificate pages and badges.

* ``GET /`` — what Khatem is, a field to paste a label address, the bulk page link;
* ``GET /verify?url=…`` — a pasted label address: redirected to its own label page on this
  site when it is a label, else the INVALID verdict page;
* ``GET /verify/bulk`` and ``POST /verify/bulk`` — a receiving clerk uploads a CSV of up to
  1,000 scanned URLs and gets a results table, or the results as CSV (``format=csv``);
* ``GET /certificates/{code}`` and ``GET /certificates/{code}/badge.svg`` — a certificate's
  public page and its embeddable badge, with ETag / ``If-None-Match`` and a short max-age.

Errors are pages for browsers (``Accept: text/html``) and problem+json for everyone else,
with the same problem type. No input yields a 500.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from core.auth import SessionDep, SettingsDep, public
from core.calendar import registry_today
from core.problems import Problem, problem_response, problem_responses
from core.rate_limit import rate_limit
from core.settings import Settings
from labeling.catalog.names import catalogue_names
from labeling.public import service
from labeling.public.errors import CertificateNotFound, bulk_problem
from labeling.verification.service import verify_uri, verify_uris
from verify.label_codec import MAX_URI_LENGTH, LabelFormatError, parse_label_uri
from verify.pages import (
    BADGE_HEADERS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    BulkFileError,
    Lang,
    choose_language,
    csv_bytes,
    etag_for,
    etag_matches,
    page_headers,
    read_upload,
    render_badge_svg,
    render_bulk_page,
    render_certificate_page,
    render_error_page,
    render_home_page,
    render_label_page,
    results_csv,
    wants_html,
)
from verify.pages.bulk import Upload
from verify.pages.http import HTML_MEDIA_TYPE, SVG_MEDIA_TYPE
from verify.pages.messages import UI

__all__ = ["router"]

router = APIRouter(tags=["public pages"], dependencies=[Depends(public)])

_PAGES = [Depends(rate_limit("pages"))]
Responses = dict[int | str, dict[str, Any]]
_HTML_OK: Final[Responses] = {200: {"description": "The page", "content": {"text/html": {}}}}
_BADGE_OK: Final[Responses] = {
    200: {"description": "The badge", "content": {"image/svg+xml": {}}},
    304: {"description": "Not modified (If-None-Match)"},
}
_BULK_OK: Final[Responses] = {
    200: {
        "description": "The results table (HTML), or the results as CSV with format=csv",
        "content": {"text/html": {}, "text/csv": {}},
    }
}
_CERTIFICATE_CACHE: Final = "public, max-age=60"
_BADGE_CACHE: Final = "public, max-age=300"
#: What a pasted label address may be (longer is no label; the form says the same).
_MAX_PASTED: Final = 4096

LangQuery = Annotated[
    str | None,
    Query(
        max_length=16,
        description="The page's language: fr, en, es or ar (anything else: Accept-Language, "
        "else French).",
    ),
]
CodePath = Annotated[
    str,
    Path(
        max_length=16,
        description="A certificate code such as C-1Z8K3QD (case and hyphens do not matter).",
    ),
]
OutputFormat = Literal["html", "csv"]


def _lang(request: Request, lang: str | None) -> Lang:
    return choose_language(lang, request.headers.get("accept-language"))


def _self_url(request: Request) -> str:
    query = request.url.query
    return request.url.path + ("?" + query if query else "")


def _html(
    html: str, lang: Lang, *, status: int = 200, cache: str = "no-store", etag: bool = False
) -> Response:
    headers = page_headers(lang, cache_control=cache)
    if etag:
        headers["ETag"] = etag_for(html.encode())
    return Response(html, status_code=status, media_type=HTML_MEDIA_TYPE, headers=headers)


def _conditional(request: Request, response: Response) -> Response:
    """304 Not Modified when the client already holds this representation."""
    etag = response.headers.get("etag")
    if etag and etag_matches(request.headers.get("if-none-match"), etag):
        keep = {"etag", "cache-control", "vary", "content-language"}
        headers = {k: v for k, v in response.headers.items() if k in keep}
        return Response(status_code=304, headers=headers)
    return response


#: A problem+json answer where the same URL may also answer a page or an image: caches
#: (a 404 is cacheable by default) must keep it apart from the other representations.
_NEGOTIATED_PROBLEM: Final[dict[str, str]] = {
    "Vary": "Accept, Accept-Language",
    "X-Content-Type-Options": "nosniff",
}


def _negotiated_problem(problem: Problem) -> Response:
    response = problem_response(problem)
    response.headers.update(_NEGOTIATED_PROBLEM)
    return response


def _problem(
    request: Request, problem: Problem, lang: Lang, message: str, heading: str
) -> Response:
    """The problem as a page for a browser, as problem+json for an API client."""
    if wants_html(request.headers.get("accept")):
        page = render_error_page(
            lang=lang,
            message=message,
            slug=problem.instance_slug,
            heading_key=heading,
            self_url=_self_url(request),
        )
        return _html(page, lang, status=problem.status)
    return _negotiated_problem(problem)


# ---------------------------------------------------------------------------------- home


@router.get(
    "/",
    dependencies=_PAGES,
    summary="Home page: what Khatem is, check a label",
    response_class=Response,
    responses=_HTML_OK | problem_responses(429),
)
def home(request: Request, lang: LangQuery = None) -> Response:
    language = _lang(request, lang)
    page = render_home_page(lang=language, self_url=_self_url(request), max_url=_MAX_PASTED)
    return _html(page, language, cache="public, max-age=300")


@router.get(
    "/verify",
    dependencies=_PAGES,
    summary="Check a pasted label address (redirects to its label page)",
    response_class=Response,
    responses=_HTML_OK
    | {303: {"description": "To the label's own page on this site, or home if empty"}}
    | problem_responses(429),
)
def verify_pasted(
    request: Request,
    settings: SettingsDep,
    url: Annotated[str, Query(max_length=_MAX_PASTED, description="A label URL")] = "",
    lang: LangQuery = None,
) -> Response:
    language = _lang(request, lang)
    pasted = url.strip()
    if not pasted:
        return RedirectResponse(f"/?lang={language}", status_code=303)
    if "://" not in pasted and pasted[:1].isalnum():
        pasted = "https://" + pasted  # typed from the label's printed text, without scheme
    try:
        parse_label_uri(pasted)
    except LabelFormatError:
        # Not a label: the reader still gets the verdict (INVALID, with the reason).
        verdict = verify_uri(pasted[: MAX_URI_LENGTH + 1], settings=settings)
        page = render_label_page(
            verdict, lang=language, self_url=_self_url(request), names=catalogue_names()
        )
        return _html(page, language)
    # The codec accepted it, so its path is a GS1 Digital Link path of digits and base32
    # characters: redirecting to that path on this site can never leave the site.
    parts = urlsplit(pasted)
    if not parts.path.startswith("/01/"):
        return RedirectResponse(f"/?lang={language}", status_code=303)
    query = parts.query + ("&" if parts.query else "") + urlencode({"lang": language})
    return RedirectResponse(f"{parts.path}?{query}", status_code=303)


# ---------------------------------------------------------------------------------- bulk


@router.get(
    "/verify/bulk",
    dependencies=_PAGES,
    summary="The bulk check page: upload a CSV of scanned label URLs",
    response_class=Response,
    responses=_HTML_OK | problem_responses(429),
)
def bulk_form(request: Request, lang: LangQuery = None) -> Response:
    language = _lang(request, lang)
    page = render_bulk_page(lang=language, self_url=_self_url(request), max_rows=MAX_ROWS)
    return _html(page, language)


def _read_upload(file: UploadFile | None) -> Upload:
    if file is None:
        raise BulkFileError("bulk-no-file", 422, "bulk_error_no_file")
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    return read_upload(data, max_rows=MAX_ROWS, max_bytes=MAX_UPLOAD_BYTES)


def _bulk_error(request: Request, error: BulkFileError, lang: Lang) -> Response:
    if wants_html(request.headers.get("accept")):
        page = render_bulk_page(
            lang=lang, self_url=_self_url(request), error=error, max_rows=MAX_ROWS
        )
        return _html(page, lang, status=error.status)
    return _negotiated_problem(bulk_problem(error))


@router.post(
    "/verify/bulk",
    dependencies=[Depends(rate_limit("bulk"))],
    summary="Check up to 1,000 scanned label URLs from a CSV file",
    response_class=Response,
    responses=_BULK_OK
    | problem_responses(
        413,
        422,
        429,
        descriptions={
            413: "`bulk-file-too-large`: the file is over 600 KiB",
            422: "`bulk-too-many-rows` (over 1,000), `bulk-empty`, `bulk-not-text`, "
            "`bulk-malformed-csv`, `bulk-no-file`",
        },
    ),
)
async def bulk_upload(
    request: Request,
    settings: SettingsDep,
    file: Annotated[UploadFile | None, File(description="CSV, one label URL per row")] = None,
    output: Annotated[OutputFormat | None, Form(alias="format")] = None,
    output_query: Annotated[OutputFormat | None, Query(alias="format")] = None,
    lang: LangQuery = None,
) -> Response:
    language = _lang(request, lang)
    try:
        upload = await run_in_threadpool(_read_upload, file)
    except BulkFileError as error:
        return _bulk_error(request, error, language)
    verdicts = await run_in_threadpool(verify_uris, upload.scans, settings=settings)
    if (output or output_query) == "csv":
        return Response(
            csv_bytes(results_csv(upload, verdicts)),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="khatem-verdicts.csv"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )
    page = render_bulk_page(
        lang=language,
        self_url=_self_url(request),
        scans=upload,
        verdicts=verdicts,
        max_rows=MAX_ROWS,
    )
    return _html(page, language)


# --------------------------------------------------------------------------- certificates


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
    dependencies=_PAGES,
    summary="A certificate's public page (status, scope, validity, badge snippet)",
    response_class=Response,
    responses=_HTML_OK
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
    language = _lang(request, lang)
    try:
        html = _certificate_page(session, settings, code, language, _self_url(request))
    except CertificateNotFound as problem:
        message = UI["certificate_not_found"](language)
        return _problem(request, problem, language, message, "not_found_title")
    return _conditional(request, _html(html, language, cache=_CERTIFICATE_CACHE, etag=True))


def _wants_badge(accept: str | None) -> bool:
    """An ``<img>`` (it accepts ``image/…``) gets an "unknown" badge with its 404, not a
    broken image; every other client gets problem+json."""
    return accept is not None and "image/" in accept.lower()


@router.get(
    "/certificates/{code}/badge.svg",
    dependencies=_PAGES,
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
    language = _lang(request, lang)
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
            return _negotiated_problem(problem)
        svg = render_badge_svg("unknown", lang=language, code=None)
        headers["Cache-Control"] = "public, max-age=60"
        return Response(svg, status_code=404, media_type=SVG_MEDIA_TYPE, headers=headers)
    svg = render_badge_svg(status, lang=language, code=canonical)
    headers["ETag"] = etag_for(svg.encode())
    response = Response(svg, media_type=SVG_MEDIA_TYPE, headers=headers)
    return _conditional(request, response)
