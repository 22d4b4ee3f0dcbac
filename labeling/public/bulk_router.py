"""The bulk check: a receiving clerk uploads a CSV of up to 1,000 scanned label URLs and
gets a results table, or the results as CSV (``format=csv``).

* ``GET /verify/bulk`` — the upload form;
* ``POST /verify/bulk`` — the verdicts (rate-limited as ``bulk``, not ``pages``).

Included by :mod:`labeling.public.router`, whose tags and dependencies its routes take.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from core.auth import SettingsDep
from core.problems import problem_responses
from core.rate_limit import rate_limit
from labeling.public.errors import bulk_problem
from labeling.public.responses import (
    HTML_OK,
    PAGES,
    LangQuery,
    Responses,
    html_page,
    negotiated_problem,
    own_url,
    page_language,
)
from labeling.verification.service import verify_uris
from labeling.verification.telemetry import scan_country
from verify.pages import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    BulkFileError,
    Lang,
    csv_bytes,
    read_upload,
    render_bulk_page,
    results_csv,
    wants_html,
)
from verify.pages.bulk_csv import Upload

__all__ = ["router"]

router = APIRouter()

_BULK_OK: Final[Responses] = {
    200: {
        "description": "The results table (HTML), or the results as CSV with format=csv",
        "content": {"text/html": {}, "text/csv": {}},
    }
}
OutputFormat = Literal["html", "csv"]


@router.get(
    "/verify/bulk",
    dependencies=PAGES,
    summary="The bulk check page: upload a CSV of scanned label URLs",
    response_class=Response,
    responses=HTML_OK | problem_responses(429),
)
def bulk_form(request: Request, lang: LangQuery = None) -> Response:
    language = page_language(request, lang)
    page = render_bulk_page(lang=language, self_url=own_url(request), max_rows=MAX_ROWS)
    return html_page(page, language)


def _read_upload(file: UploadFile | None) -> Upload:
    if file is None:
        raise BulkFileError("bulk-no-file", 422, "bulk_error_no_file")
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    return read_upload(data, max_rows=MAX_ROWS, max_bytes=MAX_UPLOAD_BYTES)


def _bulk_error(request: Request, error: BulkFileError, lang: Lang) -> Response:
    if wants_html(request.headers.get("accept")):
        page = render_bulk_page(
            lang=lang, self_url=own_url(request), error=error, max_rows=MAX_ROWS
        )
        return html_page(page, lang, status=error.status)
    return negotiated_problem(bulk_problem(error))


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
    language = page_language(request, lang)
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
        self_url=own_url(request),
        scans=upload,
        verdicts=verdicts,
        max_rows=MAX_ROWS,
    )
    return html_page(page, language)
