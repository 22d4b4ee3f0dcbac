"""``khatem verify``: sync with a pinned root, verify URLs and QR photos, exit codes."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image, ImageFilter
from typer.testing import CliRunner

import verify.cli as cli
import verify.registry_client as registry_client
from labeling.artwork.segno_qr import make_label_qr
from tests.offline.simulator import NOW, Registry
from verify.offline import CACHE_FILES

runner = CliRunner()
REGISTRY_URL = "https://registry.test"


@pytest.fixture
def registry() -> Registry:
    return Registry()


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_now", lambda: NOW + timedelta(hours=1))


def _serve(registry: Registry, **overrides: bytes) -> httpx.Client:
    """An HTTP client whose registry serves ``registry``'s files (or ``overrides``)."""

    def handler(request: httpx.Request) -> httpx.Response:
        files = {
            "/.well-known/khatem/trust-list.json": registry.trust_list(),
            "/.well-known/khatem/status/labels.json": registry.label_snapshot(),
            "/.well-known/khatem/status/certificates.json": registry.certificate_snapshot(),
        }
        files.update({path: body for path, body in overrides.items()})
        body = files.get(request.url.path)
        return httpx.Response(200, content=body) if body else httpx.Response(404)

    return httpx.Client(transport=httpx.MockTransport(handler), base_url=REGISTRY_URL)


def _sync(client: httpx.Client, directory: Path, **kwargs: Any) -> cli.SyncResult:
    return cli.sync_cache(
        client=client, registry=REGISTRY_URL, directory=directory, now=NOW, **kwargs
    )


def _check(*args: str) -> Any:
    return runner.invoke(cli.app, list(args))


# sync


def test_sync_stores_verified_files_and_pins_the_root(registry: Registry, tmp_path: Path) -> None:
    registry.set_status("8G4M3NQ0YC", "revoked", "lost_or_stolen")
    result = _sync(_serve(registry), tmp_path, root_key=registry.vkey)
    assert result.pinned_now and result.listed_labels == 1 and result.certificates == 1
    assert (tmp_path / "root.vkey").read_text().strip() == registry.vkey
    assert (tmp_path / "registry.txt").read_text().strip() == REGISTRY_URL
    for name in CACHE_FILES.values():
        assert (tmp_path / name).is_file()


def test_sync_without_a_pinned_root_refuses(registry: Registry, tmp_path: Path) -> None:
    with pytest.raises(cli.SyncError, match="no root key pinned"):
        _sync(_serve(registry), tmp_path)
    assert not any(tmp_path.iterdir())


def test_sync_refuses_a_root_other_than_the_pinned_one(registry: Registry, tmp_path: Path) -> None:
    _sync(_serve(registry), tmp_path, root_key=registry.vkey)
    with pytest.raises(cli.SyncError, match="pins a different root key"):
        _sync(_serve(registry), tmp_path, root_key=Registry().vkey)


def test_sync_from_an_impostor_registry_stores_nothing(registry: Registry, tmp_path: Path) -> None:
    impostor = Registry()
    with pytest.raises(cli.SyncError, match="rejected"):
        _sync(_serve(impostor), tmp_path, root_key=registry.vkey)
    assert not (tmp_path / "trust-list.json").exists()


def test_sync_rejects_a_snapshot_with_a_bad_signature(registry: Registry, tmp_path: Path) -> None:
    forged = registry.label_snapshot().replace(b'"total_labels":0', b'"total_labels":1')
    client = _serve(registry, **{"/.well-known/khatem/status/labels.json": forged})
    with pytest.raises(cli.SyncError, match="signature does not verify"):
        _sync(client, tmp_path, root_key=registry.vkey)
    assert not (tmp_path / "status").exists()


def test_sync_refuses_to_roll_back_to_an_older_snapshot(registry: Registry, tmp_path: Path) -> None:
    _sync(_serve(registry), tmp_path, root_key=registry.vkey)
    older = registry.label_snapshot(issued_at=NOW - timedelta(days=3))
    client = _serve(registry, **{"/.well-known/khatem/status/labels.json": older})
    with pytest.raises(cli.SyncError, match="rollback"):
        _sync(client, tmp_path)


def test_trust_on_first_use_pins_what_the_registry_presents_and_says_so(
    registry: Registry, tmp_path: Path
) -> None:
    result = _sync(_serve(registry), tmp_path, trust_on_first_use=True)
    assert (tmp_path / "root.vkey").read_text().strip() == registry.vkey
    assert any("trust on first use" in warning for warning in result.warnings)


def test_the_sync_command_reports_failure_with_exit_code_3(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "http_client", lambda timeout: _serve(Registry()))
    outcome = _check(
        "sync", "--registry", REGISTRY_URL, "--dir", str(tmp_path), "--root-key", registry.vkey
    )
    assert outcome.exit_code == 3
    assert "nothing stored" in outcome.output


def test_the_sync_command_then_an_offline_check(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "http_client", lambda timeout: _serve(registry))
    synced = _check(
        "sync", "--registry", REGISTRY_URL, "--dir", str(tmp_path), "--root-key", registry.vkey
    )
    assert synced.exit_code == 0, synced.output
    outcome = _check(registry.issue(), "--offline", "--dir", str(tmp_path))
    assert outcome.exit_code == 0, outcome.output
    assert outcome.output.startswith("AUTHENTIC  (offline)")
    assert "Atelier Serghini / ورشة السرغيني" in outcome.output


# check: exit codes


@pytest.mark.parametrize(
    ("status", "expected_verdict", "code"),
    [(None, "AUTHENTIC", 0), ("revoked", "REVOKED", 12), ("suspended", "SUSPENDED", 11)],
)
def test_the_exit_code_says_the_verdict(
    registry: Registry, tmp_path: Path, status: str | None, expected_verdict: str, code: int
) -> None:
    uri = registry.issue("8G4M3NQ0YC")
    if status:
        registry.set_status("8G4M3NQ0YC", status, "inspection_hold")
    registry.write_cache(tmp_path)
    outcome = _check(uri, "--offline", "--json", "--dir", str(tmp_path))
    assert outcome.exit_code == code, outcome.output
    assert json.loads(outcome.output)["verdict"] == expected_verdict


def test_an_altered_label_exits_13(registry: Registry, tmp_path: Path) -> None:
    registry.write_cache(tmp_path)
    tampered = registry.issue().replace("/21/7F3K2MQ9XB", "/21/7F3K2MQ9XC")
    outcome = _check(tampered, "--offline", "--dir", str(tmp_path))
    assert outcome.exit_code == 13
    assert "signature_invalid" in outcome.output


def test_stale_data_is_authentic_with_warnings_and_exits_10(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry.write_cache(tmp_path)
    monkeypatch.setattr(cli, "_now", lambda: NOW + timedelta(days=7))
    outcome = _check(registry.issue(), "--offline", "--dir", str(tmp_path))
    assert outcome.exit_code == 10
    assert "[WARN] data_freshness" in outcome.output
    assert "status_data_stale  age_seconds=604800" in outcome.output


def test_an_offline_check_without_synced_data_exits_3(registry: Registry, tmp_path: Path) -> None:
    outcome = _check(registry.issue(), "--offline", "--dir", str(tmp_path))
    assert outcome.exit_code == 3
    assert "khatem verify sync" in outcome.output


# check: photos of the QR code


def _png(uri: str, path: Path, *, scale: int = 8) -> Path:
    make_label_qr(uri).save(str(path), kind="png", scale=scale, border=4)
    return path


def test_a_rendered_qr_png_is_read_and_verified(registry: Registry, tmp_path: Path) -> None:
    uri = registry.issue()
    cache = registry.write_cache(tmp_path / "cache")
    image = _png(uri, tmp_path / "label.png")
    assert cli.read_qr(image) == uri
    outcome = _check(str(image), "--offline", "--dir", str(cache))
    assert outcome.exit_code == 0, outcome.output


def test_a_rotated_blurred_photo_of_the_qr_is_still_read(
    registry: Registry, tmp_path: Path
) -> None:
    uri = registry.issue()
    clean = Image.open(_png(uri, tmp_path / "clean.png", scale=6)).convert("L")
    photo = clean.rotate(13, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    photo = photo.filter(ImageFilter.GaussianBlur(1.2))
    noisy = Image.eval(photo, lambda v: min(255, int(v * 0.8 + 30)))  # low contrast, grey paper
    noisy.save(tmp_path / "photo.jpg", quality=60)
    assert cli.read_qr(tmp_path / "photo.jpg") == uri


def test_an_image_without_a_qr_code_exits_3(tmp_path: Path) -> None:
    Image.new("L", (200, 200), 255).save(tmp_path / "blank.png")
    outcome = _check(str(tmp_path / "blank.png"), "--offline", "--dir", str(tmp_path))
    assert outcome.exit_code == 3
    assert "no QR code found" in outcome.output


# check: online


def test_online_mode_asks_the_registry_for_its_verdict(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uri = registry.issue()
    asked: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(200, json={"verdict": "SUSPENDED", "mode": "online", "checks": []})

    monkeypatch.setattr(
        cli, "http_client", lambda timeout: httpx.Client(transport=httpx.MockTransport(handler))
    )
    outcome = _check(uri, "--registry", REGISTRY_URL, "--dir", str(tmp_path))
    assert outcome.exit_code == 11
    (request,) = asked
    assert request.url.path == "/api/v1/verify"
    assert request.url.params["label"] == uri
    assert request.headers["accept"] == "application/json"


def test_khatem_verify_is_mounted_in_the_registry_cli(registry: Registry, tmp_path: Path) -> None:
    from labeling.cli import app as khatem

    registry.write_cache(tmp_path)
    outcome = runner.invoke(
        khatem, ["verify", registry.issue(), "--offline", "--dir", str(tmp_path)]
    )
    assert outcome.exit_code == 0, outcome.output
    assert outcome.output.startswith("AUTHENTIC")


def test_online_mode_falls_back_to_the_label_url_asking_for_json(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uri = registry.issue()
    asked: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        if request.url.path == "/api/v1/verify":
            return httpx.Response(404)
        return httpx.Response(200, json={"verdict": "AUTHENTIC", "mode": "online", "checks": []})

    monkeypatch.setattr(
        cli, "http_client", lambda timeout: httpx.Client(transport=httpx.MockTransport(handler))
    )
    outcome = _check(uri, "--registry", REGISTRY_URL, "--dir", str(tmp_path))
    assert outcome.exit_code == 0, outcome.output
    label_request = asked[-1]
    assert label_request.url.path == "/01/06111234000019/21/7F3K2MQ9XB"
    assert label_request.url.params["S"] == uri.split("?S=")[1]
    assert label_request.headers["accept"] == "application/json"


# sync under attack


class _Endless(httpx.SyncByteStream):
    """A response body that never ends (or a gzip bomb's), counting what was read of it."""

    def __init__(self, first: bytes, chunk: bytes, chunks: int) -> None:
        self.first, self.chunk, self.chunks, self.read = first, chunk, chunks, 0

    def __iter__(self) -> Any:
        self.read += 1
        yield self.first
        for _ in range(self.chunks):
            self.read += 1
            yield self.chunk


@pytest.mark.parametrize("bomb", [False, True])
def test_sync_stops_reading_an_oversized_download_at_the_limit(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bomb: bool
) -> None:
    """A hostile mirror (or a gzip bomb: 64 KiB that inflate to 64 MiB) cannot make the
    verifier hold more than the limit in memory: it stops reading there."""
    import zlib

    monkeypatch.setattr(registry_client, "MAX_DOWNLOAD", 1 << 20)
    if bomb:
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip
        first = packer.compress(bytes(1 << 20)) + packer.flush(zlib.Z_SYNC_FLUSH)
        chunk = packer.compress(bytes(1 << 20)) + packer.flush(zlib.Z_SYNC_FLUSH)
    else:
        first = chunk = bytes(64 << 10)
    body = _Endless(first, chunk, 1000)
    headers = {"Content-Encoding": "gzip"} if bomb else {}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=headers, stream=body)

    client = httpx.Client(transport=httpx.MockTransport(handler), base_url=REGISTRY_URL)
    with pytest.raises(cli.SyncError, match="larger than"):
        _sync(client, tmp_path, root_key=registry.vkey)
    assert body.read < 50, f"read {body.read} chunks past a 1 MiB limit"
    assert not (tmp_path / "trust-list.json").exists()


def test_sync_refuses_to_roll_back_the_certificate_snapshot_or_the_trust_list(
    registry: Registry, tmp_path: Path
) -> None:
    _sync(_serve(registry), tmp_path, root_key=registry.vkey)
    older = registry.certificate_snapshot(issued_at=NOW - timedelta(days=3))
    client = _serve(registry, **{"/.well-known/khatem/status/certificates.json": older})
    with pytest.raises(cli.SyncError, match="rollback"):
        _sync(client, tmp_path)
    old_trust = registry.trust_list(issued_at=NOW - timedelta(days=3))
    client = _serve(registry, **{"/.well-known/khatem/trust-list.json": old_trust})
    with pytest.raises(cli.SyncError, match="rejected|older|rollback"):
        _sync(client, tmp_path)


def test_sync_refuses_a_snapshot_of_the_wrong_kind(registry: Registry, tmp_path: Path) -> None:
    """A label snapshot served where the certificate snapshot belongs (both root-signed)."""
    swapped = registry.label_snapshot()
    client = _serve(registry, **{"/.well-known/khatem/status/certificates.json": swapped})
    with pytest.raises(cli.SyncError, match="kind"):
        _sync(client, tmp_path, root_key=registry.vkey)


def test_sync_refuses_a_snapshot_signed_by_a_label_key(registry: Registry, tmp_path: Path) -> None:
    """A label key is in the trust list, but only the pinned root signs snapshots."""
    by_label_key = registry.sign(registry.label_document(), key=registry.label_key)
    client = _serve(registry, **{"/.well-known/khatem/status/labels.json": by_label_key})
    with pytest.raises(cli.SyncError, match="root key"):
        _sync(client, tmp_path, root_key=registry.vkey)
    assert not (tmp_path / "status").exists()


def test_online_mode_stops_reading_an_endless_answer(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A verdict is a few kilobytes: an answer that does not end is abandoned early."""
    body = _Endless(b'{"verdict":"AUTHENTIC","pad":"', b"x" * (64 << 10), 1000)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=body)

    monkeypatch.setattr(
        cli, "http_client", lambda timeout: httpx.Client(transport=httpx.MockTransport(handler))
    )
    outcome = _check(registry.issue(), "--registry", REGISTRY_URL, "--dir", str(tmp_path))
    assert outcome.exit_code == cli.EXIT_NOT_VERIFIED
    assert body.read < 50, f"read {body.read} chunks of an endless answer"
