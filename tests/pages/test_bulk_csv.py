"""Reading a clerk's CSV of scans and writing the verdicts back (no server needed)."""

from __future__ import annotations

import csv
import io

import pytest

from tests.pages.sample import certificate_facts, label_uri, verdict_of
from verify.pages import BulkFileError, read_scans, results_csv
from verify.pages.bulk_csv import safe_cell
from verify.verdict import Overall

URI = "HTTPS://KHATEM.MA/01/06111234000019/21/7F3K2MQ9XB?S=1" + "0" * 184


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"url\n{URI}\n", [URI]),  # a header
        (f"Label URL;\n{URI}\n", [URI]),
        (f"{URI}\n{URI}\n", [URI, URI]),  # no header
        (f"\n\n{URI}\r\n\r\n", [URI]),  # blank lines
        (f"2026-11-20 10:31,{URI},pallet 7\n", [URI]),  # the cell holding a label path
        (f'"{URI}"\n', [URI]),  # quoted
        ("\ufeffurl\nnot a label\n", ["not a label"]),  # a BOM; garbage is kept for its verdict
        ("url\nhttps://x/y\n", ["https://x/y"]),
    ],
)
def test_scans_are_read_in_order(text: str, expected: list[str]) -> None:
    assert read_scans(text.encode()) == expected


def test_a_first_row_with_digits_is_a_scan_not_a_header() -> None:
    assert read_scans(b"ABC123\nDEF\n") == ["ABC123", "DEF"]


@pytest.mark.parametrize(
    ("data", "slug"),
    [
        (b"url\n", "bulk-empty"),
        (b"", "bulk-empty"),
        (b"\xc3\x28", "bulk-not-text"),
        (b"a\x00b", "bulk-not-text"),
        (b"u\n" + b"x/1\n" * 11, "bulk-too-many-rows"),
        (b"x" * 101, "bulk-file-too-large"),
    ],
)
def test_unreadable_files_are_refused_with_their_problem(data: bytes, slug: str) -> None:
    with pytest.raises(BulkFileError) as refused:
        read_scans(data, max_rows=10, max_bytes=100)
    assert refused.value.slug == slug
    for lang in ("fr", "en", "es", "ar"):
        assert refused.value.message(lang)  # type: ignore[arg-type]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_cells_are_neutralised(start: str) -> None:
    assert safe_cell(start + "SUM(A1)") == "'" + start + "SUM(A1)"
    assert safe_cell("HTTPS://KHATEM.MA") == "HTTPS://KHATEM.MA"


def test_results_csv_has_one_row_per_scan_with_stable_columns() -> None:
    scans = [label_uri(), "=cmd|' /C calc'!A0"]
    verdicts = [verdict_of(Overall.AUTHENTIC), verdict_of(Overall.INVALID)]
    rows = list(csv.DictReader(io.StringIO(results_csv(scans, verdicts))))
    assert [row["row"] for row in rows] == ["1", "2"]
    assert rows[0]["verdict"] == "AUTHENTIC" and rows[0]["reasons"] == ""
    assert rows[0]["artisan_arabic"] == "تعاونية أخيام" and rows[0]["certificate"] == "C-0939AYD"
    assert rows[1]["verdict"] == "INVALID" and rows[1]["reasons"] == "signature_invalid"
    assert rows[1]["url"].startswith("'=")
    with pytest.raises(ValueError, match="one verdict per scan"):
        results_csv(scans, verdicts[:1])


@pytest.mark.parametrize(
    "hostile",
    [
        ' =HYPERLINK("https://evil.example")',  # leading space: LibreOffice still evaluates
        "\n=1+1",  # a line feed first
        "\u00a0+1",  # a no-break space first
        "\u202e=1+1",  # a bidi override first (invisible)
        "\u200b@SUM(A1)",  # a zero-width space first
        "\uff1d1+1",  # full-width equals sign: some spreadsheets read it as "="
        "\uff0b1",
        "\uff0d1",
        "\uff201",
    ],
)
def test_formula_cells_hidden_behind_invisible_or_full_width_characters_are_neutralised(
    hostile: str,
) -> None:
    assert safe_cell(hostile).startswith("'")


def test_an_artisan_name_cannot_inject_a_formula_into_the_results_csv() -> None:
    verdict = verdict_of(Overall.AUTHENTIC)
    assert verdict.certificate is not None
    artisan = verdict.certificate.artisan.model_copy(
        update={
            "display_name_latin": ' =HYPERLINK("https://evil.example","x")',
            "display_name_arabic": "\u202e=1+1",
        }
    )
    cert = certificate_facts().model_copy(update={"artisan": artisan})
    named = verdict.model_copy(update={"certificate": cert})
    rows = list(csv.DictReader(io.StringIO(results_csv([label_uri()], [named]))))
    assert rows[0]["artisan_latin"].startswith("'")
    assert rows[0]["artisan_arabic"].startswith("'")
