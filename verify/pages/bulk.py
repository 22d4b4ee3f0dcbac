"""The bulk page: a receiving clerk uploads a CSV of scanned label URLs and reads one verdict
per row, with the rows that share a serial flagged, or downloads the results as CSV.

The CSV in and out is :mod:`verify.pages.bulk_csv`; copied labels :mod:`verify.pages.copies`.
"""

from __future__ import annotations

from base64 import b64encode
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from verify.pages.bulk_csv import (
    MAX_ROWS,
    BulkFileError,
    ScanRow,
    Upload,
    csv_bytes,
    results_csv,
    upload_of,
)
from verify.pages.chrome import BULK_URL, count_text, render_template, with_lang
from verify.pages.copies import repeated_serials, sharing_rows
from verify.pages.i18n import Lang
from verify.pages.messages import UI
from verify.pages.verdict_text import VERDICT_WORDS
from verify.pages.verdict_view import headline, verdict_style
from verify.verdict import Overall, Verdict

__all__ = ["render_bulk_page"]


@dataclass(frozen=True, slots=True)
class _RowView:
    number: int
    verdict: str
    word: str
    css: str
    reason: str
    gtin: str
    serial: str
    artisan_latin: str
    artisan_arabic: str
    same_rows: str
    problem: bool


def _row_view(row: ScanRow, verdict: Verdict, same_rows: str, lang: Lang) -> _RowView:
    label, cert = verdict.label, verdict.certificate
    cause = headline(verdict, lang).cause
    return _RowView(
        number=row.number,
        verdict=verdict.verdict.value,
        word=VERDICT_WORDS[verdict.verdict](lang),
        css=verdict_style(verdict.verdict).css,
        reason=cause or UI["all_passed"](lang),
        gtin=label.gtin if label else "",
        serial=label.serial if label else "",
        artisan_latin=cert.artisan.display_name_latin if cert else "",
        artisan_arabic=cert.artisan.display_name_arabic if cert else "",
        same_rows=same_rows,
        problem=bool(same_rows) or verdict.verdict is not Overall.AUTHENTIC,
    )


def _list_text(numbers: Sequence[int], lang: Lang) -> str:
    return UI["list_separator"](lang).join(count_text(n, lang) for n in numbers)


def render_bulk_page(
    *,
    lang: Lang,
    self_url: str | None = None,
    scans: Upload | Sequence[str] | None = None,
    verdicts: Sequence[Verdict] | None = None,
    error: BulkFileError | None = None,
    max_rows: int = MAX_ROWS,
) -> str:
    """The upload form; with ``verdicts``, the results table and a CSV download link.

    Rows whose serial occurs more than once are flagged, and counted above the table;
    a link shows only the rows that need a look (not AUTHENTIC, or a repeated serial),
    with CSS alone (``:target``), so it works without JavaScript.
    """
    rows = summary = None
    csv_href = ""
    repeated_count = repeated_rows = problems = 0
    if verdicts is not None and scans is not None:
        upload = upload_of(scans)
        if len(upload.rows) != len(verdicts):
            raise ValueError("one verdict per scan")
        sharing = sharing_rows(verdicts)
        rows = [
            _row_view(row, v, _list_text([upload.rows[i].number for i in same], lang), lang)
            for row, v, same in zip(upload.rows, verdicts, sharing, strict=True)
        ]
        counts = Counter(v.verdict for v in verdicts)
        summary = [
            {"word": VERDICT_WORDS[kind](lang), "css": verdict_style(kind).css, "count": n}
            for kind in Overall
            if (n := counts.get(kind, 0))
        ]
        repeated_count = len(repeated_serials(verdicts))
        repeated_rows = sum(1 for same in sharing if same)
        problems = sum(1 for row in rows if row.problem)
        data = b64encode(csv_bytes(results_csv(upload, verdicts))).decode()
        csv_href = "data:text/csv;charset=utf-8;base64," + data
    return render_template(
        "bulk.html",
        lang=lang,
        self_url=self_url,
        form_action=with_lang(BULK_URL, lang),
        max_rows_text=count_text(max_rows, lang),
        error=error.message(lang) if error else None,
        error_slug=error.slug if error else "",
        rows=rows,
        summary=summary,
        count_text=count_text(len(rows or ()), lang),
        repeated_count=repeated_count,
        repeated_count_text=count_text(repeated_count, lang),
        repeated_rows_text=count_text(repeated_rows, lang),
        problems=problems,
        problems_text=count_text(problems, lang),
        csv_href=csv_href,
        csv_filename="khatem-verdicts.csv",
    )
