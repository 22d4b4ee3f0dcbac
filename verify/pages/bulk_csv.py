"""The receiving clerk's CSV: the scanned label URLs read in, the verdicts written out.

Reading (:func:`read_upload`, :func:`read_scans`): UTF-8 text (a byte-order mark is fine),
cells separated by commas, semicolons or tabs (whichever the first line uses most), one scan
per row; in a row with several cells, the cell that holds a label path (``/01/``) is taken,
else the first non-empty cell; empty rows are skipped. The first row is a header
when its cell has neither a ``/`` nor a digit (``url``, ``Label URL``…). Each scan keeps
its row's cells and its row number as a spreadsheet shows it (the first line is row 1, so
below a header the first scan is row 2). Limits: the file size and the row count; anything
off raises :class:`BulkFileError`, whose ``slug`` is the problem type.

Writing (:func:`results_csv`), with the upload's separator: the clerk's own columns, all of
them in their order, then the verdict columns with stable English names and the verdict's
codes (retailer systems read them), plus both names of the artisan and the rows sharing the
serial (:mod:`verify.pages.copies`). Cells that a spreadsheet would take for a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, also behind invisible
characters or in full width) are prefixed with a quote (CSV injection, OWASP).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from schemas.text import WITHOUT_BIDI_CONTROLS
from verify.pages.copies import sharing_rows
from verify.pages.i18n import Lang
from verify.pages.messages import UI
from verify.verdict import Verdict

__all__ = [
    "CSV_COLUMNS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "BulkFileError",
    "ScanRow",
    "Upload",
    "csv_bytes",
    "read_scans",
    "read_upload",
    "results_csv",
    "safe_cell",
    "upload_of",
]

#: At most this many scans per upload (the bulk API's limit too).
MAX_ROWS: Final = 1000
#: 1,000 label URLs of at most 512 characters, a header and line ends, with room to spare.
MAX_UPLOAD_BYTES: Final = 600 * 1024
#: A scan longer than this is no label (the codec refuses URIs over 512 characters); it is
#: kept, cut, so that its row still gets its INVALID verdict.
_MAX_CELL: Final = 2048

#: The verdict columns, appended after the clerk's own columns. ``row`` is the row's
#: number in the uploaded spreadsheet; ``same_serial_rows`` the rows (this one included)
#: whose label has the same GTIN and serial, empty when the serial occurs once.
CSV_COLUMNS: Final[tuple[str, ...]] = (
    "row",
    "url",
    "verdict",
    "reasons",
    "same_serial_rows",
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


@dataclass(frozen=True, slots=True)
class ScanRow:
    """One scan of an upload: its row number in the spreadsheet, the label text taken
    from the row, and the row's cells as uploaded."""

    number: int
    scan: str
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Upload:
    """A clerk's CSV as read: its header row (``None`` without one) and its scans."""

    header: tuple[str, ...] | None
    rows: tuple[ScanRow, ...]
    delimiter: str = ","

    @property
    def scans(self) -> list[str]:
        return [row.scan for row in self.rows]

    @classmethod
    def of_scans(cls, scans: Sequence[str]) -> Upload:
        """Bare scans as an upload without a header or other columns, rows 1, 2, …"""
        return cls(None, tuple(ScanRow(n, scan, ()) for n, scan in enumerate(scans, start=1)))


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


#: The separators spreadsheets write: a comma, a semicolon (French and Spanish Excel, where
#: the comma is the decimal sign) or a tab.
_DELIMITERS: Final = (",", ";", "\t")


def _delimiter(text: str) -> str:
    """The separator of the first non-blank line: the most frequent one, a comma if none."""
    for line in text.splitlines():
        if line.strip(" \t,;"):
            counts = [(line.count(d), -n, d) for n, d in enumerate(_DELIMITERS)]
            count, _, delimiter = max(counts)
            return delimiter if count else ","
    return ","


def _is_header(cell: str) -> bool:
    return "/" not in cell and not any(char.isdigit() for char in cell)


def read_upload(
    data: bytes, *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_UPLOAD_BYTES
) -> Upload:
    """An uploaded CSV: its header and its scans with their rows (see the module doc).

    Rows are numbered as a spreadsheet numbers them: one per CSV record, blank ones
    included, a quoted cell with line breaks still one row.
    """
    if len(data) > max_bytes:
        raise BulkFileError("bulk-file-too-large", 413, "bulk_error_too_large", limit=max_bytes)
    text = _decode(data)
    header: tuple[str, ...] | None = None
    rows: list[ScanRow] = []
    seen_content = False
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            scan = _scan_of(row)
            if scan is None:
                continue
            first, seen_content = not seen_content, True
            if first and _is_header(scan):
                header = tuple(cell[:_MAX_CELL] for cell in row)
                continue
            rows.append(ScanRow(number, scan, tuple(cell[:_MAX_CELL] for cell in row)))
            if len(rows) > max_rows:
                raise BulkFileError(
                    "bulk-too-many-rows", 422, "bulk_error_too_many_rows", limit=max_rows
                )
    except csv.Error as exc:
        where = f"line {reader.line_num}"
        raise BulkFileError("bulk-malformed-csv", 422, "bulk_error_malformed", where=where) from exc
    if not rows:
        raise BulkFileError("bulk-empty", 422, "bulk_error_empty")
    return Upload(header, tuple(rows), delimiter)


def read_scans(
    data: bytes, *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_UPLOAD_BYTES
) -> list[str]:
    """The scanned URLs of an uploaded CSV, in order (see the module doc)."""
    return read_upload(data, max_rows=max_rows, max_bytes=max_bytes).scans


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


def _row_values(row: ScanRow, verdict: Verdict, same: str) -> list[str]:
    label, cert = verdict.label, verdict.certificate
    return [
        str(row.number),
        row.scan,
        verdict.verdict.value,
        " ".join(verdict.reasons),
        same,
        label.gtin if label else "",
        label.serial if label else "",
        cert.code if cert else (label.certificate_code if label else ""),
        cert.artisan.display_name_latin if cert else "",
        cert.artisan.display_name_arabic if cert else "",
        cert.artisan.region_name if cert else "",
        cert.conformity.scheme_name if cert else "",
        verdict.checked_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    ]


def upload_of(scans: Upload | Sequence[str]) -> Upload:
    return scans if isinstance(scans, Upload) else Upload.of_scans(scans)


def results_csv(scans: Upload | Sequence[str], verdicts: Sequence[Verdict]) -> str:
    """The verdicts as CSV text (UTF-8 with a byte-order mark when encoded by the caller):
    the clerk's columns (an :class:`Upload`'s; bare scans, or a file of one column without
    a header, have none but ``url``) then :data:`CSV_COLUMNS`, one row per scan in upload
    order."""
    upload = upload_of(scans)
    if len(upload.rows) != len(verdicts):
        raise ValueError("one verdict per scan")
    width = max([len(upload.header or ()), *(len(row.cells) for row in upload.rows)])
    if upload.header is None and width <= 1:
        width = 0  # the file is the scans alone: ``url`` gives them back
    out = io.StringIO()
    writer = csv.writer(out, delimiter=upload.delimiter, lineterminator="\r\n")
    own = list(upload.header or ()) + [""] * (width - len(upload.header or ()))
    writer.writerow([_clean(cell) for cell in own] + list(CSV_COLUMNS))
    sharing = sharing_rows(verdicts)
    for row, verdict, same in zip(upload.rows, verdicts, sharing, strict=True):
        numbers = " ".join(str(upload.rows[i].number) for i in same)
        cells = list(row.cells) + [""] * (width - len(row.cells))
        writer.writerow([_clean(cell) for cell in cells + _row_values(row, verdict, numbers)])
    return out.getvalue()


def _clean(cell: str) -> str:
    return safe_cell(cell.translate(WITHOUT_BIDI_CONTROLS))


def csv_bytes(text: str) -> bytes:
    """CSV text as a spreadsheet opens it right (UTF-8 with BOM, so Arabic survives Excel)."""
    return b"\xef\xbb\xbf" + text.encode("utf-8")
