"""``verify.photo.verify_photo`` and ``khatem verify``: every label in a photo, and label text
with a scanner's white space around it (verify.label_text)."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
import segno
from PIL import Image
from typer.testing import CliRunner

import verify.cli as cli
from labeling.artwork.segno_qr import make_label_qr
from tests.offline.simulator import NOW, Registry
from verify.label_text import scanned_label
from verify.offline import OfflineSource
from verify.photo import UnreadableImage, verify_photo

runner = CliRunner()
NOT_A_LABEL = "https://shop.example/menu"


@pytest.fixture
def registry() -> Registry:
    return Registry()


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_now", lambda: NOW + timedelta(hours=1))


def _tile(text: str) -> Image.Image:
    buffer = io.BytesIO()
    symbol = segno.make_qr(text) if text == NOT_A_LABEL else make_label_qr(text)
    symbol.save(buffer, kind="png", scale=5, border=4)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def _photo(texts: list[list[str]], path: Path) -> Path:
    """The QR codes of ``texts`` laid out in rows, as on a table: one image."""
    tiles = [[_tile(text) for text in row] for row in texts]
    side = max(tile.size[0] for row in tiles for tile in row)
    width = max(len(row) for row in tiles) * (side + 40)
    image = Image.new("L", (width, len(tiles) * (side + 40)), 255)
    for r, row in enumerate(tiles):
        for c, tile in enumerate(row):
            image.paste(tile, (c * (side + 40), r * (side + 40)))
    image.save(path)
    return path


def test_every_label_of_a_photo_gets_its_verdict_in_reading_order(
    registry: Registry, tmp_path: Path
) -> None:
    first, second, third = (registry.issue(s) for s in ("7F3K2MQ9XB", "8G4M3NQ0YC", "9H5N4PR1ZD"))
    registry.set_status("8G4M3NQ0YC", "suspended", "inspection_hold")
    source = OfflineSource.from_directory(registry.write_cache(tmp_path / "cache"))
    photo = _photo([[first, second], [NOT_A_LABEL, third]], tmp_path / "table.png")

    found = verify_photo(photo, source, now=NOW + timedelta(hours=1))

    assert [item.found.text for item in found] == [first, second, NOT_A_LABEL, third]
    assert [item.verdict.verdict for item in found] == [
        "AUTHENTIC",
        "SUSPENDED",
        "INVALID",
        "AUTHENTIC",
    ]
    assert found[2].verdict.reasons == ("path_invalid",)
    assert found[1].found.y < found[2].found.y


def test_a_file_without_a_qr_code_is_refused(registry: Registry, tmp_path: Path) -> None:
    source = OfflineSource.from_directory(registry.write_cache(tmp_path / "cache"))
    Image.new("L", (120, 120), 255).save(tmp_path / "blank.png")
    with pytest.raises(UnreadableImage, match="no QR code"):
        verify_photo(tmp_path / "blank.png", source, now=NOW)


def test_a_photo_of_one_tag_prints_its_verdict_in_full_and_json_as_a_list(
    registry: Registry, tmp_path: Path
) -> None:
    cache = registry.write_cache(tmp_path / "cache")
    photo = _photo([[registry.issue()]], tmp_path / "tag.png")
    shown = runner.invoke(cli.app, [str(photo), "--offline", "--dir", str(cache)])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("AUTHENTIC  (offline)")
    assert "Atelier Serghini" in shown.stdout
    listed = runner.invoke(cli.app, [str(photo), "--offline", "--json", "--dir", str(cache)])
    assert [v["verdict"] for v in json.loads(listed.stdout)] == ["AUTHENTIC"]


def test_a_photo_exits_with_its_worst_verdict(registry: Registry, tmp_path: Path) -> None:
    genuine, stale = registry.issue("7F3K2MQ9XB"), registry.issue("8G4M3NQ0YC")
    registry.set_status("8G4M3NQ0YC", "suspended", "inspection_hold")
    cache = registry.write_cache(tmp_path / "cache")
    photo = _photo([[genuine, stale, NOT_A_LABEL]], tmp_path / "three.png")
    outcome = runner.invoke(cli.app, [str(photo), "--offline", "--dir", str(cache)])
    assert outcome.exit_code == cli.EXIT_CODES["INVALID"], outcome.output
    lines = outcome.stdout.splitlines()
    assert lines[0].startswith("1. AUTHENTIC ") and lines[1].startswith("2. SUSPENDED ")
    assert lines[2].startswith("3. INVALID ") and repr(NOT_A_LABEL) in lines[2]
    assert lines[-1] == "3 labels in three.png: 1 AUTHENTIC, 1 SUSPENDED, 1 INVALID"


@pytest.mark.parametrize(
    ("verdicts", "code"),
    [
        (["AUTHENTIC", "AUTHENTIC"], 0),
        (["AUTHENTIC", "AUTHENTIC_WITH_WARNINGS"], 10),
        (["UNKNOWN", "SUSPENDED", "AUTHENTIC"], 11),
        (["SUSPENDED", "REVOKED", "UNKNOWN"], 12),
        (["REVOKED", "INVALID"], 13),
        (["AUTHENTIC_WITH_WARNINGS", "UNKNOWN"], 14),
    ],
)
def test_the_worst_verdict_sets_the_exit_code(verdicts: list[str], code: int) -> None:
    assert cli.photo_exit_code([{"verdict": v} for v in verdicts]) == code


# white space around a label's text


@pytest.mark.parametrize("around", [("", "\n"), ("", "\r\n"), ("", "\t"), (" ", " "), ("\n", "")])
def test_the_command_line_ignores_white_space_around_a_label(
    registry: Registry, tmp_path: Path, around: tuple[str, str]
) -> None:
    cache = registry.write_cache(tmp_path)
    before, after = around
    outcome = runner.invoke(
        cli.app, [before + registry.issue() + after, "--offline", "--dir", str(cache)]
    )
    assert outcome.exit_code == 0, outcome.output


def test_white_space_inside_a_label_is_still_refused(registry: Registry, tmp_path: Path) -> None:
    cache = registry.write_cache(tmp_path)
    broken = registry.issue().replace("/21/", "/21/ ") + "\n"
    outcome = runner.invoke(cli.app, [broken, "--offline", "--json", "--dir", str(cache)])
    assert outcome.exit_code == 13
    assert json.loads(outcome.stdout)["reasons"] == ["uri_malformed"]


def test_only_ascii_white_space_around_the_text_is_removed() -> None:
    assert scanned_label(" \t\r\n\f\vHTTPS://K/01/1 2\r\n") == "HTTPS://K/01/1 2"
    assert scanned_label("\u00a0x\x1d") == "\u00a0x\x1d"  # not white space a scanner adds
