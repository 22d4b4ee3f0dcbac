"""Buyers report suspected fakes: a form linked from the label page, and a JSON API.

* ``GET /report/{gtin}/{serial}`` — the form (fr/en/es/ar, no JavaScript, a phone's width);
* ``POST /report/{gtin}/{serial}`` — the form sent (``multipart/form-data``, an optional
  photo): 303 to ``…/sent``, or the form again with its errors (422);
* ``POST /api/v1/reports`` — the same report as JSON (the photo base64), anonymous.

Spam: both POSTs spend the ``report`` rate limit of the client's address (in memory only,
``core.rate_limit``) before their body is read (a browser refused gets a page in its
language saying when to try again, 429 with ``Retry-After``; any other client
problem+json); a label takes at most
``report_max_per_label_per_day`` reports a day; the form carries a honeypot field (a robot
that fills it is thanked and nothing is stored) and a signed time token
(:mod:`labeling.reports.form_token`). Nothing of the request (address, user agent) is
stored with a report.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.requests import HTTPConnection

from core.auth import SessionDep, SettingsDep, public
from core.calendar import registry_today
from core.problems import (
    PayloadTooLarge,
    Problem,
    TooManyRequests,
    UnprocessableContent,
    problem_response,
    problem_responses,
)
from core.rate_limit import rate_limit, too_many
from core.settings import Settings
from labeling.reports import service
from labeling.reports.form_token import FormRefused, check_token, issue_token
from labeling.reports.page import (
    FormErrors,
    field_error,
    render_report_form,
    render_report_refused,
    render_report_sent,
    report_path,
)
from labeling.reports.photo import PhotoRefused
from labeling.reports.words import WORDS
from schemas.reports import FakeReportCreate, FakeReportReceived
from verify.pages import Lang, choose_language, page_headers, render_error_page, wants_html
from verify.pages.http import HTML_MEDIA_TYPE
from verify.pages.i18n import wait_text

__all__ = ["router"]

router = APIRouter(tags=["reports"], dependencies=[Depends(public)])

Gtin = Annotated[str, Path(pattern=r"^[0-9]{14}$", description="The label's GTIN-14")]
Serial = Annotated[str, Path(pattern=r"^[0-9A-Z]{1,12}$", description="The label's serial")]
LangQuery = Annotated[str | None, Query(max_length=16, description="fr, en, es or ar")]
FormLine = Annotated[str, Form(max_length=600)]
_HTML_OK: Final[dict[int | str, dict[str, Any]]] = {
    200: {"description": "The page", "content": {"text/html": {}}}
}
#: The form's fields, in the order the error summary lists them.
_FIELDS: Final = ("item", "shop_name", "city", "country", "bought_on", "contact_email", "photo")
#: The form's path, as the routes' ``Gtin`` and ``Serial`` accept it.
_FORM_PATH: Final = re.compile(r"/report/([0-9]{14})/([0-9A-Z]{1,12})")


def _lang(request: HTTPConnection, lang: str | None) -> Lang:
    return choose_language(lang, request.headers.get("accept-language"))


def _html(html: str, lang: Lang, status: int = 200) -> Response:
    headers = page_headers(lang)
    return Response(html, status_code=status, media_type=HTML_MEDIA_TYPE, headers=headers)


def _error(request: Request, lang: Lang, problem: Problem, message: str) -> Response:
    """The problem as a page for a browser, as problem+json for any other client."""
    if not wants_html(request.headers.get("accept")):
        answer = problem_response(problem)
        answer.headers.update({"Vary": "Accept, Accept-Language"})
        return answer
    page = render_error_page(
        lang=lang, message=message, slug=problem.instance_slug, self_url=request.url.path
    )
    response = _html(page, lang, problem.status)
    response.headers.update(problem.headers)
    return response


def _limited_page(connection: HTTPConnection, seconds: int) -> Response | None:
    """The form's refusal when this address sent too many reports: a page in the buyer's
    language saying when to try again (429, ``Retry-After``) for a browser; None for any
    other client, which gets problem+json. Nothing of the address is shown or kept."""
    if not wants_html(connection.headers.get("accept")):
        return None
    lang = _lang(connection, connection.query_params.get("lang"))
    message = WORDS["report_rate_limited"](lang, wait=wait_text(seconds, lang))
    # The guard charges before routing: the label comes from the path, checked as the
    # route's parameters would be (none, and no link back to the form, for anything else).
    found = _FORM_PATH.fullmatch(connection.url.path)
    label = found.groups() if found else (None, None)
    return _turned_away(lang, too_many("report", seconds), message, *label)


def _turned_away(
    lang: Lang, problem: Problem, message: str, gtin: str | None, serial: str | None
) -> Response:
    """A report refused before it was stored, as a page: why, and the way back."""
    page = render_report_refused(
        lang=lang, message=message, slug=problem.instance_slug, gtin=gtin, serial=serial
    )
    response = _html(page, lang, problem.status)
    response.headers.update(problem.headers)
    return response


def _refused(
    request: Request,
    settings: Settings,
    lang: Lang,
    body: tuple[str, str],
    problem: Problem,
    errors: FormErrors,
    values: dict[str, str],
) -> Response:
    """A refused form: the form again with its errors for a browser (422), problem+json
    for any other client."""
    if not wants_html(request.headers.get("accept")):
        return problem_response(problem)
    gtin, serial = body
    return _form(settings, lang, gtin, serial, values=values, errors=errors, status=problem.status)


def _form(
    settings: Settings,
    lang: Lang,
    gtin: str,
    serial: str,
    *,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status: int = 200,
) -> Response:
    html = render_report_form(
        lang=lang,
        gtin=gtin,
        serial=serial,
        token=issue_token(settings, gtin, serial),
        max_photo_mb=max(1, settings.report_photo_max_bytes // 1_048_576),
        retention_days=settings.report_retention_days,
        values=values,
        errors=errors,
        today=registry_today(),
    )
    return _html(html, lang, status)


@router.get(
    "/report/{gtin}/{serial}",
    dependencies=[Depends(rate_limit("pages"))],
    summary="The form to report a suspected fake of a label",
    response_class=Response,
    responses=_HTML_OK | problem_responses(404, 429),
)
def report_form(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    gtin: Gtin,
    serial: Serial,
    lang: LangQuery = None,
) -> Response:
    language = _lang(request, lang)
    if not service.reportable(session=session, gtin=gtin, serial=serial):
        problem = service.ReportedLabelNotFound()
        return _error(request, language, problem, WORDS["report_not_found"](language))
    return _form(settings, language, gtin, serial)


@router.get(
    "/report/{gtin}/{serial}/sent",
    dependencies=[Depends(rate_limit("pages"))],
    summary="Thanks for a report",
    response_class=Response,
    responses=_HTML_OK | problem_responses(429),
)
def report_sent(request: Request, gtin: Gtin, serial: Serial, lang: LangQuery = None) -> Response:
    language = _lang(request, lang)
    return _html(render_report_sent(lang=language, gtin=gtin, serial=serial), language)


def _validation_errors(exc: ValidationError, lang: Lang) -> FormErrors:
    errors = FormErrors(message=WORDS["form_has_errors"](lang))
    for error in exc.errors():
        loc = error.get("loc", ())
        name = str(loc[0]) if loc else ""
        if name not in _FIELDS:
            continue
        kind = str(error.get("type", ""))
        if kind == "missing":
            text = field_error("missing", lang)
        elif kind == "string_too_long":
            text = field_error("too_long", lang, limit=(error.get("ctx") or {}).get("max_length"))
        else:
            text = field_error("invalid", lang)
        errors.fields.setdefault(name, text)
    return errors


def _read_photo(photo: UploadFile | None, settings: Settings) -> bytes | None:
    if photo is None or not photo.filename:
        return None
    data = photo.file.read(settings.report_photo_max_bytes + 1)
    return data or None


@router.post(
    "/report/{gtin}/{serial}",
    dependencies=[Depends(rate_limit("report", page=_limited_page))],
    summary="Send the report form",
    response_class=Response,
    responses=_HTML_OK
    | {303: {"description": "Recorded: to the thank-you page"}}
    | problem_responses(
        404,
        413,
        422,
        429,
        descriptions={
            422: "A browser (Accept: text/html) gets the form again with its errors; other "
            "clients `report-form-refused` (the time token), `validation-error`, "
            "`photo-invalid`, `bought-in-the-future`",
            429: "`rate-limited` (this address) or `report-limit-label` (this label, a "
            "day), with `Retry-After`; a browser gets a page in its language saying when "
            "to try again",
        },
    ),
)
def send_report_form(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    gtin: Gtin,
    serial: Serial,
    item: FormLine = "",
    shop_name: FormLine = "",
    city: FormLine = "",
    country: FormLine = "",
    bought_on: FormLine = "",
    contact_email: FormLine = "",
    website: FormLine = "",
    form_token: Annotated[str, Form(max_length=100)] = "",
    photo: Annotated[UploadFile | None, File(description="JPEG, PNG or WebP")] = None,
    lang: LangQuery = None,
) -> Response:
    language = _lang(request, lang)
    if website:  # the honeypot: a robot filled a field no person sees
        return RedirectResponse(f"{report_path(gtin, serial)}/sent?lang={language}", 303)
    values = {
        "item": item.strip(),
        "shop_name": shop_name.strip(),
        "city": city.strip(),
        "country": country.strip(),
        "bought_on": bought_on.strip(),
        "contact_email": contact_email.strip(),
    }
    label = (gtin, serial)
    try:
        check_token(settings, form_token, gtin, serial)
    except FormRefused as problem:
        refused = FormErrors(message=WORDS["form_token_refused"](language))
        return _refused(request, settings, language, label, problem, refused, values)
    given: dict[str, Any] = {k: v for k, v in values.items() if v}
    try:
        body = FakeReportCreate.model_validate({"gtin": gtin, "serial": serial, **given})
    except ValidationError as exc:
        invalid = UnprocessableContent(
            "The form's fields do not match the documented schema.", slug="validation-error"
        )
        errors = _validation_errors(exc, language)
        return _refused(request, settings, language, label, invalid, errors, values)
    return _submit(request, session, settings, body, _read_photo(photo, settings), language, values)


def _submit(
    request: Request,
    session: SessionDep,
    settings: Settings,
    body: FakeReportCreate,
    photo: bytes | None,
    lang: Lang,
    values: dict[str, str],
) -> Response:
    gtin, serial = body.gtin, body.serial
    megabytes = max(1, settings.report_photo_max_bytes // 1_048_576)
    try:
        service.submit_report(session=session, settings=settings, body=body, photo=photo)
    except (PhotoRefused, PayloadTooLarge) as problem:
        session.rollback()
        errors = FormErrors(
            message=WORDS["form_has_errors"](lang),
            fields={"photo": field_error("photo", lang, megabytes=megabytes)},
        )
        return _refused(request, settings, lang, (gtin, serial), problem, errors, values)
    except service.BoughtInTheFuture as problem:
        errors = FormErrors(
            message=WORDS["form_has_errors"](lang),
            fields={"bought_on": field_error("future", lang)},
        )
        return _refused(request, settings, lang, (gtin, serial), problem, errors, values)
    except service.ReportedLabelNotFound as problem:
        return _error(request, lang, problem, WORDS["report_not_found"](lang))
    except TooManyRequests as problem:  # the label's reports of the day
        message = WORDS["report_label_limit"](lang)
        if wants_html(request.headers.get("accept")):
            return _turned_away(lang, problem, message, gtin, serial)
        return _error(request, lang, problem, message)
    return RedirectResponse(f"{report_path(gtin, serial)}/sent?lang={lang}", status_code=303)


@router.post(
    "/api/v1/reports",
    status_code=201,
    dependencies=[Depends(rate_limit("report"))],
    response_model=FakeReportReceived,
    summary="Report a suspected fake of a label (anonymous)",
    description="What was bought is required; where, when, a photo (base64 JPEG, PNG or "
    "WebP, re-encoded without its metadata) and a contact address are optional. The report "
    "opens a case for the body that certified the label's artisan, or joins the label's "
    "open case. Limited per client address (`report` rate limit) and per label "
    "(`report-limit-label`, a day).",
    responses=problem_responses(
        404,
        413,
        422,
        429,
        descriptions={
            404: "`label-not-found`: the registry issued no label with this GTIN and serial",
            413: "`payload-too-large`: the body or the photo is over its limit",
            422: "`validation-error`, `photo-invalid`, `bought-in-the-future`",
            429: "`rate-limited` (this address) or `report-limit-label` (this label, a day)",
        },
    ),
)
def report_fake(
    body: FakeReportCreate, session: SessionDep, settings: SettingsDep
) -> FakeReportReceived:
    photo = None
    if body.photo:
        try:
            photo = base64.b64decode(body.photo, validate=True)
        except (binascii.Error, ValueError):
            raise PhotoRefused("The photo is not valid base64.") from None
    return service.submit_report(session=session, settings=settings, body=body, photo=photo)
