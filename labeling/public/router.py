"""Public pages: home, paste-a-label, bulk CSV upload, certificate pages and badges.

* ``GET /`` — what Khatem is, a field to paste a label address, the bulk page link;
* ``GET /verify?url=…`` — what a person typed or pasted from a label
  (:mod:`labeling.public.typed`): a label address goes to its own label page on this site
  (or gets its INVALID verdict), a certificate code to its page, a serial to ``/v/``;
  anything else gets a page saying what can be typed, never a verdict;
* ``GET /v/{serial}`` — the short address printed on a label: what the registry knows
  about that serial, and that only the QR code proves the label authentic;
* ``GET /verify/bulk`` and ``POST /verify/bulk`` — a receiving clerk uploads a CSV of up to
  1,000 scanned URLs and gets a results table, or the results as CSV (``format=csv``):
  :mod:`labeling.public.bulk_router`;
* ``GET /certificates/{code}`` and ``GET /certificates/{code}/badge.svg`` — a certificate's
  public page and its embeddable badge, with ETag / ``If-None-Match`` and a short max-age:
  :mod:`labeling.public.certificates_router`.

Errors are pages for browsers (``Accept: text/html``) and problem+json for everyone else,
with the same problem type (:mod:`labeling.public.responses`). No input yields a 500.
"""

from __future__ import annotations

from typing import Annotated, Final
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from core.auth import SessionDep, SettingsDep, public
from core.calendar import registry_today
from core.problems import problem_responses
from core.settings import Settings
from labeling.catalog.names import catalogue_names
from labeling.public import service
from labeling.public.bulk_router import router as bulk_router
from labeling.public.certificates_router import router as certificates_router
from labeling.public.errors import PrintedLabelNotFound
from labeling.public.responses import (
    CERTIFICATE_CACHE,
    HTML_OK,
    PAGES,
    LangQuery,
    html_page,
    negotiated_problem,
    own_url,
    page_language,
    page_or_problem,
)
from labeling.public.typed import SHORT_PATH, normalise_serial, read_typed, short_address
from labeling.verification.service import verify_uri
from labeling.verification.telemetry import count_printed, scan_country
from verify.gtin import GtinError, normalise_gtin
from verify.label_codec import MAX_URI_LENGTH, LabelFormatError, parse_label_uri
from verify.pages import Lang, render_home_page, render_label_page, wants_html
from verify.pages.chrome import with_lang
from verify.pages.render import certificate_path
from verify.pages.typed import render_printed_label_page, render_typed_help_page

__all__ = ["router"]

router = APIRouter(tags=["public pages"], dependencies=[Depends(public)])

#: What a pasted label address may be (longer is no label; the form says the same).
_MAX_PASTED: Final = 4096


# ---------------------------------------------------------------------------------- home


@router.get(
    "/",
    dependencies=PAGES,
    summary="Home page: what Khatem is, check a label",
    response_class=Response,
    responses=HTML_OK | problem_responses(429),
)
def home(request: Request, lang: LangQuery = None) -> Response:
    language = page_language(request, lang)
    page = render_home_page(lang=language, self_url=own_url(request), max_url=_MAX_PASTED)
    return html_page(page, language, cache="public, max-age=300")


@router.get(
    "/verify",
    dependencies=PAGES,
    summary="Check what a person typed or pasted from a label",
    description="A label address (with its signature) redirects to its label page; a "
    "certificate code to its certificate page; a serial, a GTIN and serial, or a short "
    "address `…/v/SERIAL` to `/v/SERIAL` (what the registry knows about that item); "
    "anything else gets a page saying what can be typed (404).",
    response_class=Response,
    responses=HTML_OK
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
    language = page_language(request, lang)
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
        self_url=own_url(request),
        short_example=short_address(settings.label_host, "7F3K2MQ9XB"),
        max_url=_MAX_PASTED,
    )
    return html_page(page, lang, status=404)


def _pasted_label(request: Request, settings: Settings, pasted: str, language: Lang) -> Response:
    """A label address: its own page on this site, or its INVALID verdict."""
    try:
        parse_label_uri(pasted)
    except LabelFormatError:
        # A label address that does not parse (tampered, cut): the reader gets the verdict.
        verdict = verify_uri(pasted[: MAX_URI_LENGTH + 1], settings=settings)
        page = render_label_page(
            verdict, lang=language, self_url=own_url(request), names=catalogue_names()
        )
        return html_page(page, language)
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
    dependencies=PAGES,
    summary="The short address printed on a label: what the registry knows about a serial",
    description="The label prints `{host}/v/{serial}` for people without a scanner. The "
    "page gives the product, the certificate and its status, and whether the label was "
    "suspended or revoked; a typed serial carries no signature, so the page also says that "
    "only the QR code proves a label authentic. The serial is read leniently (any case, "
    "`O` as `0`, `I`/`L` as `1`, hyphens ignored) and redirected to its printed form.",
    response_class=Response,
    responses=HTML_OK
    | {301: {"description": "To the serial in its printed form"}}
    | problem_responses(429)
    | page_or_problem(404, "`printed-label-not-found`: no label has this serial"),
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
    language = page_language(request, lang)
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
    page = render_printed_label_page(labels, lang=language, self_url=own_url(request))
    return html_page(page, language, cache=CERTIFICATE_CACHE)


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
    return negotiated_problem(PrintedLabelNotFound("No label has this serial."))


# The bulk check and the certificates' pages and badges, after the routes above (the order
# of the OpenAPI document and of matching).
router.include_router(bulk_router)
router.include_router(certificates_router)
