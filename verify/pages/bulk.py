"""Bulk checks for a receiving clerk: read a CSV of scanned label URLs, write the verdicts.

Reading (:func:`read_scans`): UTF-8 text (a byte-order mark is fine), one scan per row;
in a row with several cells, the cell that holds a label path (``/01/``) is taken, else the
first non-empty cell; empty rows are skipped. The first row is a header when its cell has
neither a ``/`` nor a digit (``url``, ``Label URL``…). Limits: the file size and the row
count; anything off raises :class:`BulkFileError`, whose ``slug`` is the problem type.

Writing (:func:`results_csv`): one row per scan in upload order, with stable English column
names and the verdict's codes (retailer systems read it), plus both names of the artisan.
Cells that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return, also behind invisible characters or in full width) are
prefixed with a quote (CSV injection, OWASP).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from base64 import b64encode
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from schemas.text import WITHOUT_BIDI_CONTROLS
from verify.pages.i18n import Lang
from verify.pages.messages import UI
from verify.pages.render import (
    BULK_URL,
    count_text,
    headline,
    render_template,
    verdict_style,
    with_lang,
)
from verify.pages.verdict_text import VERDICT_WORDS
from verify.verdict import Overall, Verdict

__all__ = [
    "CSV_COLUMNS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "BulkFileError",
    "read_scans",
    "render_bulk_page",
    "results_csv",
    "safe_cell",
]

#: At most this many scans per upload (the bulk API's limit too).
MAX_ROWS: Final = 1000
#: 1,000 label URLs of at most 512 characters, a header and line ends, with room to spare.
MAX_UPLOAD_BYTES: Final = 600 * 1024
#: A scan longer than this is no label (the codec refuses URIs over 512 characters); it is
#: kept, cut, so that its row still gets its INVALID verdict.
_MAX_CELL: Final = 2048

CSV_COLUMNS: Final[tuple[str, ...]] = (
    "row",
    "url",
    "verdict",
    "reasons",
    "gtin",
    "serial",
    "certificate",
    "artisan_latin",
    "artisan_arabic",
    "region",
    "scheme",
    "checked_at",
)
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
#: Full-width equals, plus, hyphen-minus and commercial at (some spreadsheets fold them).
_WIDE_FORMULA_START: Final = ("\uff1d", "\uff0b", "\uff0d", "\uff20")


class BulkFileError(ValueError):
    """An upload that cannot be read; ``slug`` is the problem type, ``status`` its HTTP
    status, ``message_key`` and ``values`` the words shown to a person."""

    def __init__(self, slug: str, status: int, message_key: str, **values: Any) -> None:
        super().__init__(UI[message_key]("en", **values))
        self.slug = slug
        self.status = status
        self.message_key = message_key
        self.values = values

    def message(self, lang: Lang) -> str:
        return UI[self.message_key](lang, **self.values)


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BulkFileError("bulk-not-text", 422, "bulk_error_not_text") from exc
    if "\x00" in text:
        raise BulkFileError("bulk-not-text", 422, "bulk_error_not_text")
    return text


def _scan_of(row: list[str]) -> str | None:
    cells = [cell.strip() for cell in row if cell.strip()]
    if not cells:
        return None
    for cell in cells:
        if "/01/" in cell:
            return cell[:_MAX_CELL]
    return cells[0][:_MAX_CELL]


def _is_header(cell: str) -> bool:
    return "/" not in cell and not any(char.isdigit() for char in cell)


def read_scans(
    data: bytes, *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_UPLOAD_BYTES
) -> list[str]:
    """The scanned URLs of an uploaded CSV, in order (see the module doc)."""
    if len(data) > max_bytes:
        raise BulkFileError("bulk-file-too-large", 413, "bulk_error_too_large", limit=max_bytes)
    text = _decode(data)
    scans: list[str] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            scan = _scan_of(row)
            if scan is None:
                continue
            if not scans and reader.line_num == _first_line(text) and _is_header(scan):
                continue
            scans.append(scan)
            if len(scans) > max_rows:
                raise BulkFileError(
                    "bulk-too-many-rows", 422, "bulk_error_too_many_rows", limit=max_rows
                )
    except csv.Error as exc:
        where = f"line {reader.line_num}"
        raise BulkFileError("bulk-malformed-csv", 422, "bulk_error_malformed", where=where) from exc
    if not scans:
        raise BulkFileError("bulk-empty", 422, "bulk_error_empty")
    return scans


def _first_line(text: str) -> int:
    """The line number of the first non-blank line (the only one that may be a header)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip(" \t,;"):
            return number
    return 1


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula.

    The formula characters are looked for after any leading whitespace, control or
    invisible format characters (a space, a line feed, a zero-width space, a bidi
    override: some spreadsheets skip them), and in their full-width forms too.
    """
    if value.startswith(_FORMULA_START):
        return "'" + value
    for char in value:
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zs"):
            continue
        if char in _FORMULA_START or char in _WIDE_FORMULA_START:
            return "'" + value
        break
    return value


def _row_values(number: int, scan: str, verdict: Verdict) -> list[str]:
    label, cert = verdict.label, verdict.certificate
    return [
        str(number),
        scan,
        verdict.verdict.value,
        " ".join(verdict.reasons),
        label.gtin if label else "",
        label.serial if label else "",
        cert.code if cert else (label.certificate_code if label else ""),
        cert.artisan.display_name_latin if cert else "",
        cert.artisan.display_name_arabic if cert else "",
        cert.artisan.region_name if cert else "",
        cert.conformity.scheme_name if cert else "",
        verdict.checked_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    ]


def results_csv(scans: Sequence[str], verdicts: Sequence[Verdict]) -> str:
    """The verdicts as CSV text (UTF-8 with a byte-order mark when encoded by the caller)."""
    if len(scans) != len(verdicts):
        raise ValueError("one verdict per scan")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for number, (scan, verdict) in enumerate(zip(scans, verdicts, strict=True), start=1):
        values = _row_values(number, scan, verdict)
        writer.writerow([safe_cell(cell.translate(WITHOUT_BIDI_CONTROLS)) for cell in values])
    return out.getvalue()


def csv_bytes(text: str) -> bytes:
    """CSV text as a spreadsheet opens it right (UTF-8 with BOM, so Arabic survives Excel)."""
    return b"\xef\xbb\xbf" + text.encode("utf-8")


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


def _row_view(number: int, verdict: Verdict, lang: Lang) -> _RowView:
    label, cert = verdict.label, verdict.certificate
    cause = headline(verdict, lang).cause
    return _RowView(
        number=number,
        verdict=verdict.verdict.value,
        word=VERDICT_WORDS[verdict.verdict](lang),
        css=verdict_style(verdict.verdict).css,
        reason=cause or UI["all_passed"](lang),
        gtin=label.gtin if label else "",
        serial=label.serial if label else "",
        artisan_latin=cert.artisan.display_name_latin if cert else "",
        artisan_arabic=cert.artisan.display_name_arabic if cert else "",
    )


def render_bulk_page(
    *,
    lang: Lang,
    self_url: str | None = None,
    scans: Sequence[str] | None = None,
    verdicts: Sequence[Verdict] | None = None,
    error: BulkFileError | None = None,
    max_rows: int = MAX_ROWS,
) -> str:
    """The upload form; with ``verdicts``, the results table and a CSV download link."""
    rows = summary = None
    csv_href = ""
    if verdicts is not None and scans is not None:
        rows = [_row_view(n, v, lang) for n, v in enumerate(verdicts, start=1)]
        counts = Counter(v.verdict for v in verdicts)
        summary = [
            {"word": VERDICT_WORDS[kind](lang), "css": verdict_style(kind).css, "count": n}
            for kind in Overall
            if (n := counts.get(kind, 0))
        ]
        data = b64encode(csv_bytes(results_csv(scans, verdicts))).decode()
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
        csv_href=csv_href,
        csv_filename="khatem-verdicts.csv",
    )
