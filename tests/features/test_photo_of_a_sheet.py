"""Step definitions of ``photo_of_a_sheet.feature``: ``khatem verify PHOTO`` verifies every
label of a photographed sheet (verify.photo), offline against the simulated registry's
signed files (tests.offline.simulator), the sheet drawn by the registry's own PDF renderer.
"""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageFilter
from pytest_bdd import given, parsers, scenarios, then, when
from typer.testing import CliRunner

import verify.cli as cli
from labeling.artwork import label_sheet_pdf
from tests.artwork.raster import pdf_pages, rasterise_pdf_page
from tests.artwork.samples import sample_artworks
from tests.offline.simulator import NOW, Registry
from verify.label_codec import format_certificate_code, parse_label_uri

scenarios("photo_of_a_sheet.feature")

SERIALS = ("7F3K2MQ9XB", "8G4M3NQ0YC", "9H5N4PR1ZD", "AJ6P5QS2ZE", "BK7Q6RT3ZF", "CM8R7SV4ZG")


@pytest.fixture(autouse=True)
def _this_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    """The officer checks an hour after the sync."""
    monkeypatch.setattr(cli, "_now", lambda: NOW + timedelta(hours=1))


@pytest.fixture
def forged() -> set[int]:
    """Which labels of the sheet (0-based) are forgeries."""
    return set()


def _ordinal(text: str) -> int:
    """ "2nd" -> index 1."""
    return int(text[:-2]) - 1


## Given


@given(
    parsers.parse("a Safi potter's registry issued {count:d} tajine labels"),
    target_fixture="registry",
)
def registry_with_labels(count: int) -> Registry:
    return Registry()


@given("the customs officer synced the registry's data this morning", target_fixture="device")
def synced(tmp_path: Path) -> Path:
    return tmp_path / "khatem-verify"


@given(parsers.parse("the {ordinal} label was revoked because it was stolen"))
def revoked(registry: Registry, ordinal: str) -> None:
    registry.set_status(SERIALS[_ordinal(ordinal)], "revoked", "lost_or_stolen")


@given(parsers.parse("the {ordinal} label on the sheet is a forgery of a genuine one"))
def forgery(forged: set[int], ordinal: str) -> None:
    forged.add(_ordinal(ordinal))


@given(parsers.parse("a photo of the sheet of the {count:d} labels"), target_fixture="photo")
def photo_of_sheet(
    registry: Registry, device: Path, forged: set[int], tmp_path: Path, count: int
) -> Path:
    registry.write_cache(device)  # the sync, after every status change above
    uris = [registry.issue(serial) for serial in SERIALS[:count]]
    for index in forged:  # the forger copies a label and changes its serial
        serial = SERIALS[index]
        uris[index] = uris[index].replace(f"/21/{serial}", f"/21/{serial[:-1]}Y")
    artworks = [
        dataclasses.replace(
            artwork,
            uri=uri,
            gtin=token.gtin,
            serial=token.serial,
            certificate_code=format_certificate_code(token.certificate_code),
        )
        for artwork, uri, token in zip(
            sample_artworks(count, seed=13), uris, map(parse_label_uri, uris), strict=True
        )
    ]
    [page] = pdf_pages(label_sheet_pdf(artworks))
    # What a phone makes of the printed sheet: turned a little, softened, JPEG-compressed.
    image = rasterise_pdf_page(page, px_per_pt=3).rotate(2.0, expand=True, fillcolor=235)
    buffer = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(0.8)).convert("RGB").save(buffer, "JPEG", quality=80)
    path = tmp_path / "sheet.jpg"
    path.write_bytes(buffer.getvalue())
    assert Image.open(path).size[0] > 1000
    return path


## When


def _run(photo: Path, device: Path, *extra: str) -> Any:
    return CliRunner().invoke(cli.app, [str(photo), "--offline", "--dir", str(device), *extra])


@when("the officer checks the photo without signal", target_fixture="outcome")
def officer_checks(photo: Path, device: Path) -> Any:
    return _run(photo, device)


@when(
    "the customs post's script checks the photo without signal and asks for JSON",
    target_fixture="outcome",
)
def script_checks(photo: Path, device: Path) -> Any:
    return _run(photo, device, "--json")


## Then


def _label_lines(outcome: Any) -> list[str]:
    return [line for line in outcome.stdout.splitlines() if line[:3].strip().rstrip(".").isdigit()]


@then(
    parsers.parse(
        "the officer reads {count:d} lines, one per label in the order of the sheet, "
        'each "{verdict}"'
    )
)
def lines_in_order(outcome: Any, count: int, verdict: str) -> None:
    lines = _label_lines(outcome)
    assert len(lines) == count, outcome.stdout
    for number, (line, serial) in enumerate(zip(lines, SERIALS, strict=False), start=1):
        assert line.startswith(f"{number}. {verdict} "), line
        assert f"serial {serial}" in line, line


@then(parsers.parse('the line of the {ordinal} label says "{verdict}"'))
def line_says(outcome: Any, ordinal: str, verdict: str) -> None:
    index = _ordinal(ordinal)
    line = _label_lines(outcome)[index]
    assert line.startswith(f"{index + 1}. {verdict} "), outcome.stdout


@then(parsers.parse('the officer reads "{summary}"'))
def reads_summary(outcome: Any, summary: str) -> None:
    assert outcome.stdout.splitlines()[-1] == summary, outcome.stdout


@then(parsers.parse("the command ends with exit code {code:d}"))
def exit_code(outcome: Any, code: int) -> None:
    assert outcome.exit_code == code, outcome.output


@then(parsers.parse("the script gets a list of {count:d} verdicts in the order of the sheet"))
def json_list(outcome: Any, count: int) -> None:
    verdicts = json.loads(outcome.stdout)
    assert isinstance(verdicts, list) and len(verdicts) == count
    assert [v["label"]["serial"] for v in verdicts] == list(SERIALS[:count])


@then(parsers.parse('the {ordinal} verdict is "{verdict}" and the others "{others}"'))
def json_verdicts(outcome: Any, ordinal: str, verdict: str, others: str) -> None:
    verdicts = [v["verdict"] for v in json.loads(outcome.stdout)]
    index = _ordinal(ordinal)
    assert verdicts[index] == verdict
    assert set(verdicts[:index] + verdicts[index + 1 :]) == {others}
