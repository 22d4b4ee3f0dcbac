"""The bulk page reads a clerk's spreadsheet as a spreadsheet shows it, gives it back with
the verdicts added, and flags a serial that the upload carries twice (issue 13, item 12)."""

from __future__ import annotations

import csv
import io

from tests.pages.sample import NOW, FakeSource, certificate_facts, label_uri, verdict_of
from verify.pages import read_upload, render_bulk_page, repeated_serials, results_csv
from verify.pages.bulk_csv import CSV_COLUMNS
from verify.verdict import Overall, Verdict
from verify.verifier import verify_label

URI = "HTTPS://KHATEM.MA/01/06111234000019/21/7F3K2MQ9XB?S=1" + "0" * 184


def _verdict(uri: str) -> Verdict:
    return verify_label(uri, FakeSource(cert=certificate_facts()), now=NOW)


def _damaged(uri: str) -> str:
    """The label with the last digit of its signature changed (same GTIN and serial)."""
    return uri[:-1] + ("1" if uri[-1] != "1" else "2")


def test_rows_are_numbered_as_the_spreadsheet_numbers_them() -> None:
    text = f'Date,Scan\n2026-11-20,{URI}\n\n"two\nlines",{URI}\n,\nx,{URI}\n'
    upload = read_upload(text.encode())
    assert upload.header == ("Date", "Scan")
    # header = row 1; the blank row 3 and the empty row 5 still count; a quoted line
    # break stays inside its row.
    assert [row.number for row in upload.rows] == [2, 4, 6]
    assert upload.rows[1].cells == ("two\nlines", URI)


def test_without_a_header_the_first_scan_is_row_1() -> None:
    upload = read_upload(f"{URI}\n{URI}\n".encode())
    assert upload.header is None
    assert [row.number for row in upload.rows] == [1, 2]


def test_results_keep_every_column_of_the_clerk_in_order_then_the_verdict() -> None:
    text = f"Pallet,Scan,Note,Extra\nP7,{URI},ok\nP8,=1+1,,more,beyond\n"
    upload = read_upload(text.encode())
    verdicts = [verdict_of(Overall.AUTHENTIC), verdict_of(Overall.INVALID)]
    rows = list(csv.reader(io.StringIO(results_csv(upload, verdicts))))
    width = 5  # the widest row has five cells: every row is padded to it
    assert rows[0] == ["Pallet", "Scan", "Note", "Extra", "", *CSV_COLUMNS]
    assert rows[1][:width] == ["P7", URI, "ok", "", ""]
    assert rows[2][:width] == ["P8", "'=1+1", "", "more", "beyond"]  # still no formula
    assert [row[width] for row in rows[1:]] == ["2", "3"]  # the spreadsheet's rows
    assert [row[width + 2] for row in rows[1:]] == ["AUTHENTIC", "INVALID"]


def test_a_spreadsheet_saved_with_semicolons_comes_back_with_semicolons() -> None:
    upload = read_upload(f"Date;Scan;Palette\n20/11/2026;{URI};P7\n".encode())
    assert upload.header == ("Date", "Scan", "Palette")
    assert upload.scans == [URI]
    text = results_csv(upload, [verdict_of(Overall.AUTHENTIC)])
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][:5] == ["20/11/2026", URI, "P7", "2", URI]


def test_a_serial_seen_twice_is_flagged_on_both_rows_whatever_its_verdicts() -> None:
    scans = [label_uri(), label_uri(serial="0000000002"), "x", _damaged(label_uri()), "x"]
    verdicts = [_verdict(scan) for scan in scans]
    assert [v.verdict for v in verdicts] == [Overall.AUTHENTIC] * 2 + [Overall.INVALID] * 3
    [repeated] = repeated_serials(verdicts)
    assert (repeated.gtin, repeated.serial) == ("06111234000019", "7F3K2MQ9XB")
    assert repeated.indexes == (0, 3)  # a damaged copy still repeats; "x" has no serial
    rows = list(csv.DictReader(io.StringIO(results_csv(scans, verdicts))))
    assert [row["same_serial_rows"] for row in rows] == ["1 4", "", "", "1 4", ""]


def test_the_page_flags_repeats_and_can_show_only_the_rows_to_look_at() -> None:
    verdicts = [
        _verdict(label_uri()),
        _verdict(label_uri(serial="0000000002")),
        _verdict("not a label"),
        _verdict(label_uri()),
    ]
    upload = read_upload(("Scan\n" + "\n".join(["a/1", "b/2", "c/3", "d/4"])).encode())
    for lang, words in {
        "fr": "Même numéro de série aux lignes 2, 5",
        "en": "Same serial on rows 2, 5",
        "es": "Mismo número de serie en las filas 2, 5",
        "ar": "الرقم التسلسلي نفسه في الأسطر 2، 5",
    }.items():
        html = render_bulk_page(lang=lang, scans=upload, verdicts=verdicts)  # type: ignore[arg-type]
        assert html.count(words) == 2
        assert 'data-repeated-serials="1"' in html
        assert html.count('class="problem"') == 3 and html.count('class="fine"') == 1
        assert '<a class="only" href="#problems">' in html and 'id="problems"' in html


def test_a_clean_shipment_says_no_serial_repeats() -> None:
    html = render_bulk_page(lang="en", scans=[URI], verdicts=[verdict_of(Overall.AUTHENTIC)])
    assert 'data-repeated-serials="0"' in html and "No serial appears twice." in html
    assert "No row needs a look." in html and 'class="only"' not in html
