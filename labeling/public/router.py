"""Public pages: home, paste-a-label, bulk CSV upload, certificate pages and badges.

* ``GET /`` — what Khatem is, a field to paste a label address, the bulk page link;
* ``GET /verify?url=…`` — what a person typed or pasted from a label
  (:mod:`labeling.public.typed`): a label address goes to its own label page on this site
  (or gets its INVALID verdict), a certificate code to its page, a serial to ``/v/``;
  anything else gets a page saying what can be typed, never a verdict;
* ``GET /v/{serial}`` — the short address printed on a label: what the registry knows
  about that serial, and that only the QR code proves the label authentic;
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
from labeling.public.errors import CertificateNotFound, PrintedLabelNotFound, bulk_problem
from labeling.public.typed import SHORT_PATH, normalise_serial, read_typed, short_address
from labeling.verification.service import verify_uri, verify_uris
from labeling.verification.telemetry import count_printed, scan_country
from verify.gtin import GtinError, normalise_gtin
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
from verify.pages.bulk_csv import Upload
from verify.pages.chrome import with_lang
from verify.pages.http import HTML_MEDIA_TYPE, SVG_MEDIA_TYPE
from verify.pages.messages import UI
from verify.pages.render import certificate_path
from verify.pages.typed import render_printed_label_page, render_typed_help_page

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


def _page_or_problem(status: int, description: str) -> Responses:
    """An error answered as a page to a browser and as problem+json to anyone else."""
    responses = problem_responses(status, descriptions={status: description})
    responses[status]["content"]["text/html"] = {}
    return responses


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
    summary="Check what a person typed or pasted from a label",
    description="A label address (with its signature) redirects to its label page; a "
    "certificate code to its certificate page; a serial, a GTIN and serial, or a short "
    "address `…/v/SERIAL` to `/v/SERIAL` (what the registry knows about that item); "
    "anything else gets a page saying what can be typed (404).",
    response_class=Response,
    responses=_HTML_OK
    | {
        303: {
            "description": "To the label's, the certificate's or the serial's page; home if empty"
        },
        404: {
            "description": "Nothing has this code: a page saying what can be typed",
            "content": {"text/html": {}},
        },
    }
    | problem_responses(429),
)
def verify_pasted(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    url: Annotated[str, Query(max_length=_MAX_PASTED, description="What was typed or pasted")] = "",
    lang: LangQuery = None,
) -> Response:
    language = _lang(request, lang)
    typed = read_typed(url)
    if typed.kind == "empty":
        return RedirectResponse(f"/?lang={language}", status_code=303)
    if typed.kind == "certificate" and typed.code is not None:
        code = service.existing_certificate(session=session, code=typed.code)
        if code is None:
            return _typed_help(request, settings, language, "certificate_not_found", url)
        return RedirectResponse(with_lang(certificate_path(code), language), status_code=303)
    if typed.kind == "item":
        query = {"gtin": typed.gtin} if typed.gtin else {}
        target = SHORT_PATH + typed.serial + "?" + urlencode({**query, "lang": language})
        return RedirectResponse(target, status_code=303)
    if typed.kind == "unknown":
        return _typed_help(request, settings, language, "unknown", url)
    return _pasted_label(request, settings, typed.label, language)


def _typed_help(
    request: Request, settings: Settings, lang: Lang, reason: str, typed: str = ""
) -> Response:
    page = render_typed_help_page(
        lang=lang,
        reason=reason,
        typed=typed.strip(),
        self_url=_self_url(request),
        short_example=short_address(settings.label_host, "7F3K2MQ9XB"),
        max_url=_MAX_PASTED,
    )
    return _html(page, lang, status=404)


def _pasted_label(request: Request, settings: Settings, pasted: str, language: Lang) -> Response:
    """A label address: its own page on this site, or its INVALID verdict."""
    try:
        parse_label_uri(pasted)
    except LabelFormatError:
        # A label address that does not parse (tampered, cut): the reader gets the verdict.
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


# ----------------------------------------------------------------------- short address


@router.get(
    SHORT_PATH + "{serial}",
    dependencies=_PAGES,
    summary="The short address printed on a label: what the registry knows about a serial",
    description="The label prints `{host}/v/{serial}` for people without a scanner. The "
    "page gives the product, the certificate and its status, and whether the label was "
    "suspended or revoked; a typed serial carries no signature, so the page also says that "
    "only the QR code proves a label authentic. The serial is read leniently (any case, "
    "`O` as `0`, `I`/`L` as `1`, hyphens ignored) and redirected to its printed form.",
    response_class=Response,
    responses=_HTML_OK
    | {301: {"description": "To the serial in its printed form"}}
    | problem_responses(429)
    | _page_or_problem(404, "`printed-label-not-found`: no label has this serial"),
)
def printed_label(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    serial: Annotated[
        str, Path(max_length=32, description="The serial as printed, e.g. 7F3K2MQ9XB")
    ],
    gtin: Annotated[
        str | None, Query(max_length=32, description="The GTIN printed beside it, if typed")
    ] = None,
    lang: LangQuery = None,
) -> Response:
    language = _lang(request, lang)
    printed = normalise_serial(serial)
    gtin14 = _gtin_or_none(gtin)
    if printed is None or (gtin is not None and gtin14 is None):
        return _not_printed(request, settings, language, "unknown", serial)
    if printed != serial:
        query = request.url.query
        return RedirectResponse(
            SHORT_PATH + printed + ("?" + query if query else ""), status_code=301
        )
    labels = service.printed_labels(
        session=session, serial=printed, gtin=gtin14, today=registry_today()
    )
    if not labels:
        return _not_printed(request, settings, language, "serial_not_found", serial)
    count_printed(
        session,
        [(label.gtin, label.serial) for label in labels],
        scan_country(request, settings),
        settings,
    )
    page = render_printed_label_page(labels, lang=language, self_url=_self_url(request))
    return _html(page, language, cache=_CERTIFICATE_CACHE)


def _gtin_or_none(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return normalise_gtin(text.strip())
    except GtinError:
        return None


def _not_printed(
    request: Request, settings: Settings, lang: Lang, reason: str, typed: str
) -> Response:
    if wants_html(request.headers.get("accept")):
        return _typed_help(request, settings, lang, reason, typed)
    return _negotiated_problem(PrintedLabelNotFound("No label has this serial."))


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
    verdicts = await run_in_threadpool(
        verify_uris, upload.scans, settings=settings, scanned_from=scan_country(request, settings)
    )
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
